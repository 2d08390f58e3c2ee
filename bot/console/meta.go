package console

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/soudan/soudan/bot"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// meta runs a meta-line: word is its name (":as" -> "as"), rest its
// arguments. A successful ":as", ":in", ":dm" or ":thread" saves the
// state; press and submit dispatch. Both happen after the lock is
// released. It reports whether the line was ":quit".
func (a *Adapter) meta(ctx context.Context, d bot.Dispatcher, word, rest string) (quit bool) {
	var (
		m *bot.Message
		t *turn
		n *notice
	)
	a.mu.Lock()
	if a.asFailed && actsAsUser(word) {
		a.noticeLocked(&notice{key: msgAfterFailedAs, args: []any{a.current.name}})
		a.mu.Unlock()
		return false
	}
	switch word {
	case "as":
		n = a.asLine(rest)
		a.asFailed = n != nil && a.opt.StopAfterFailedAs
	case "in":
		n = a.inLine(rest)
	case "dm":
		n = a.dmLine(rest)
	case "thread":
		n = a.threadLine(rest)
	case "press":
		m, t, n = a.pressLine(rest)
	case "submit":
		m, t, n = a.submitLine(rest)
	case "react":
		m, t, n = a.reactLine(rest)
	case "who":
		u := a.current
		n = &notice{key: msgWho, args: []any{u.name, u.locale, u.conv.ownLabel()}}
	case "help":
		n = &notice{key: msgHelp, args: []any{a.opt.BotName}}
	case "quit":
		quit = true
	default:
		n = &notice{key: msgUnknownMeta, args: []any{word}}
	}
	switch {
	case n != nil:
		a.noticeLocked(n)
	case word == "as" || word == "in" || word == "dm" || word == "thread":
		a.changes++
	}
	a.mu.Unlock()
	a.save()
	if m != nil {
		a.dispatch(ctx, d, m, t)
	}
	return quit
}

// MaxNameLen is the longest console user name, in characters: a name is
// printed in every header and card, so ":as" refuses a longer one.
const MaxNameLen = 50

// asLine runs ":as NAME [LOCALE]": NAME becomes the current user. A locale
// given is kept for that user, and their next message tells the bot that
// they chose it; a new user's is Options.Locale.
func (a *Adapter) asLine(rest string) *notice {
	args := bot.Fields(rest)
	if len(args) == 0 || len(args) > 2 {
		return &notice{key: msgUsage, args: []any{":as NAME [ja|en]"}}
	}
	name := args[0]
	if n := utf8.RuneCountInString(name); n > MaxNameLen {
		return &notice{key: msgLongName, args: []any{MaxNameLen, n}}
	}
	if !a.validName(name) {
		return &notice{key: msgBadName, args: []any{name}}
	}
	locale := ""
	if len(args) == 2 {
		tag, err := language.Parse(args[1])
		if err != nil {
			return &notice{key: msgBadLocale, args: []any{args[1]}}
		}
		locale = tag.String()
	}
	u := a.userLocked(name)
	if locale != "" {
		u.locale, u.chose = locale, true
	}
	a.current = u
	a.announceLocked(u)
	return nil
}

// actsAsUser reports whether the meta-line word acts as the current user.
func actsAsUser(word string) bool {
	switch word {
	case "in", "dm", "thread", "press", "submit", "react":
		return true
	}
	return false
}

// announceLocked tells u, who just became the current user, that they
// post where an earlier run left them, when that is not their DM and
// Options.AnnounceResumed is set. Each restored place is announced once.
func (a *Adapter) announceLocked(u *user) {
	if !u.restored || !a.opt.AnnounceResumed {
		return
	}
	u.restored = false
	where := u.conv.ownLabel()
	if m, ok := a.byID[u.conv.thread]; ok && m.anchor != "" {
		where += " (#" + m.anchor + ")"
	}
	a.noticeLocked(&notice{key: msgResumed, args: []any{u.name, where}})
}

// validName reports whether name can be a console user: not the bot, no
// control characters, and not starting with a character that means
// something else on a line.
func (a *Adapter) validName(name string) bool {
	return !strings.EqualFold(name, a.opt.BotName) &&
		!strings.ContainsAny(name, "<>") && !hasControl(name) && utf8.ValidString(name) &&
		!strings.ContainsAny(name[:1], ":/#@") && !strings.HasPrefix(name, "＠")
}

// inLine runs ":in #CHANNEL": the current user posts in the channel.
func (a *Adapter) inLine(rest string) *notice {
	args := bot.Fields(rest)
	name := ""
	if len(args) == 1 {
		name = strings.TrimPrefix(norm.NFKC.String(args[0]), "#")
	}
	if name == "" {
		return &notice{key: msgUsage, args: []any{":in #CHANNEL"}}
	}
	a.current.conv = conv{channel: "#" + name}
	a.current.restored = false
	return nil
}

// dmLine runs ":dm": the current user posts in their DM with the bot.
func (a *Adapter) dmLine(rest string) *notice {
	if rest != "" {
		return &notice{key: msgUsage, args: []any{":dm"}}
	}
	a.current.conv = dmConv(a.current.name)
	a.current.restored = false
	return nil
}
