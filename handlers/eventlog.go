package handlers

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
)

// logEvents writes one structured log line per handled event: its
// platform event id, platform, kind, the handler that took it (handlerName),
// the result and how long it took. Chatter no handler took is logged at
// debug level, the rest at info. It logs no text, no user and no form
// values: only names the bot itself chose. It sits inside localizeErrors,
// so it sees the handler's error before it is answered.
func (k *Kit) logEvents(next bot.Handler) bot.Handler {
	return func(ctx context.Context, m *bot.Message, r bot.Responder) (err error) {
		start := time.Now()
		name := k.handlerName(m)
		result := ResultError
		defer func() {
			level := slog.LevelInfo
			if err == bot.ErrSkip {
				level, result = slog.LevelDebug, "skipped"
			}
			k.Log.LogAttrs(ctx, level, "event handled", append(EventAttrs(m, name),
				slog.String("result", result), slog.Int64("duration_ms", time.Since(start).Milliseconds()))...)
		}()
		err = next(ctx, m, r)
		switch _, refused := bot.AsError(err); {
		case err == nil:
			result = ResultOK
		case refused:
			result = ResultRefused
		}
		return err
	}
}

// EventAttrs are the log attributes that name an event: its platform
// event id, platform, kind and handler.
func EventAttrs(m *bot.Message, handler string) []slog.Attr {
	return []slog.Attr{
		slog.String("event_id", safeName(m.ID, 100)),
		slog.String("platform", safeName(m.Address.Platform, 20)),
		slog.String("kind", m.Kind.String()),
		slog.String("handler", handler),
	}
}

// handlerName names what handles m, in the bot's own words: "command:admin
// forget", "action:consult.take", "form:tip", "reaction:white_check_mark",
// "post". A command word the bot does not know is "command:unknown", never
// what the user typed.
func (k *Kit) handlerName(m *bot.Message) string {
	switch m.Kind {
	case bot.KindCommand:
		if k.router == nil {
			return "command:unknown"
		}
		cmd := m.Command
		if strings.TrimSpace(cmd) == "" {
			cmd = k.router.DefaultCommand
		}
		c, ok := bot.FindCommand(k.router.Commands(), cmd)
		if !ok {
			return "command:unknown"
		}
		path := c.Name
		for _, arg := range m.Args {
			sub, ok := bot.FindCommand(c.Sub, arg)
			if !ok {
				break
			}
			path += " " + sub.Name
			c = sub
		}
		return "command:" + path
	case bot.KindAction:
		return "action:" + safeName(m.Action.ID, 64)
	case bot.KindFormSubmit:
		return "form:" + safeName(m.Action.ID, 64)
	case bot.KindReaction:
		return "reaction:" + safeName(m.Reaction, 64)
	case bot.KindHome:
		return "home"
	}
	return "post"
}

// safeName keeps the characters of an identifier (letters, digits and
// . _ : - /) and at most n of them, so that nothing a user typed reaches
// the log as free text.
func safeName(s string, n int) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= n {
			break
		}
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._:-/", r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
