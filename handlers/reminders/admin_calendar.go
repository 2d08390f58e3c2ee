package reminders

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Audit actions of the calendar and reminder settings.
const (
	auditClosedAdd    = "calendar.closed"
	auditClosedRemove = "calendar.open"
	auditTopicSet     = "topic.set"
)

// maxClosedSpan is the longest range one closed-day command covers.
const maxClosedSpan = 31

// adminCommand adds closed days and topic reminder knobs to the admin
// command.
func (a *Feature) adminCommand() bot.Command {
	return bot.Command{Name: "admin", Role: store.RoleAdmin, Sub: []bot.Command{
		{Name: "topic", Sub: []bot.Command{
			{Name: "set", Aliases: []string{"設定"}, UsageKey: "usage.admin.topic.set", Handler: a.setTopicReminders},
		}},
		a.closedCommand(),
	}}
}

// closedCommand is /soudan admin closed: the days besides weekends and
// national holidays when reminders do not count time.
func (a *Feature) closedCommand() bot.Command {
	return bot.Command{Name: "closed", Aliases: []string{"休業日"}, UsageKey: "usage.admin.closed", Sub: []bot.Command{
		{Name: "add", Aliases: []string{"追加"}, UsageKey: "usage.admin.closed.add", Handler: a.addClosedDays},
		{Name: "remove", Aliases: []string{"削除"}, UsageKey: "usage.admin.closed.remove", Handler: a.removeClosedDays},
		{Name: "list", Aliases: []string{"一覧"}, UsageKey: "usage.admin.closed.list", Handler: a.listClosedDays},
	}}
}

// parseDays reads "2026-12-29", "2026/12/29" or a range
// "2026-12-29..2027-01-03" (full-width digits too) as the dates it covers.
func parseDays(s string) ([]string, bool) {
	s = strings.ReplaceAll(store.Normalize(s), "/", "-")
	from, to, isRange := strings.Cut(s, "..")
	start, err := time.Parse("2006-01-02", from)
	if err != nil {
		return nil, false
	}
	end := start
	if isRange {
		if end, err = time.Parse("2006-01-02", to); err != nil || end.Before(start) || end.Sub(start) >= maxClosedSpan*24*time.Hour {
			return nil, false
		}
	}
	var out []string
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format("2006-01-02"))
	}
	return out, true
}

// addClosedDays answers /soudan admin closed add DATE[..DATE] [note].
func (a *Feature) addClosedDays(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) == 0 {
		return a.UsageError(u, "usage.admin.closed.add")
	}
	dates, ok := parseDays(m.Args[0])
	if !ok {
		return bot.Errorf(bot.CodeInvalid, "calendar.error.bad_date", "Date", handlers.Clean(m.Args[0]), "Max", maxClosedSpan)
	}
	_, note := bot.CutWord(m.ArgText)
	note = handlers.Excerpt(handlers.Clean(note), 100)
	span := dates[0]
	if len(dates) > 1 {
		span += ".." + dates[len(dates)-1]
	}
	err := a.Store.Update(func(tx *store.Tx) error {
		for _, d := range dates {
			if _, err := tx.AddClosedDay(store.ClosedDay{Date: d, Note: note, By: u.ID}); err != nil {
				return fmt.Errorf("add closed day: %w", err)
			}
		}
		return handlers.AuditTx(tx, u, auditClosedAdd, strings.TrimSpace(span+" "+note))
	})
	if err != nil {
		return err
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "calendar.closed.added", "Span", span, "Count", len(dates))})
	return err
}

// removeClosedDays answers /soudan admin closed remove DATE[..DATE].
func (a *Feature) removeClosedDays(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) == 0 {
		return a.UsageError(u, "usage.admin.closed.remove")
	}
	dates, ok := parseDays(m.Args[0])
	if !ok {
		return bot.Errorf(bot.CodeInvalid, "calendar.error.bad_date", "Date", handlers.Clean(m.Args[0]), "Max", maxClosedSpan)
	}
	n := 0
	err := a.Store.Update(func(tx *store.Tx) error {
		for _, d := range dates {
			err := tx.RemoveClosedDay(d)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("remove closed day: %w", err)
			}
			n++
		}
		if n == 0 {
			return bot.Errorf(bot.CodeConflict, "calendar.error.not_closed", "Date", handlers.Clean(m.Args[0]))
		}
		return handlers.AuditTx(tx, u, auditClosedRemove, handlers.Clean(m.Args[0]))
	})
	if err != nil {
		return err
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "calendar.closed.removed", "Count", n)})
	return err
}

// listClosedDays answers /soudan admin closed list: the closed days from
// today on.
func (a *Feature) listClosedDays(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	days, err := a.Store.ClosedDays()
	if err != nil {
		return fmt.Errorf("list closed days: %w", err)
	}
	today := a.Now().In(a.Config.Location).Format("2006-01-02")
	var lines []string
	for _, d := range days {
		if d.Date < today {
			continue
		}
		line := d.Date
		if d.Note != "" {
			line += " " + d.Note
		}
		lines = append(lines, line)
	}
	text := a.T(u, "calendar.closed.none")
	if len(lines) > 0 {
		text = strings.Join(lines, "\n")
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Title: a.T(u, "calendar.closed.title", "Count", len(lines)), Text: text + "\n" + a.T(u, "calendar.closed.holidays")})
	return err
}

// setTopicReminders answers /soudan admin topic set TOPIC remind=N
// escalate=N resolve=N close=N: the topic's own reminder stages, in
// working hours and quiet days; 0 goes back to the default.
func (a *Feature) setTopicReminders(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) < 2 {
		return a.UsageError(u, "usage.admin.topic.set")
	}
	var name []string
	knobs := map[string]int{}
	for _, w := range m.Args {
		k, v, ok := strings.Cut(store.Normalize(w), "=")
		if !ok {
			name = append(name, w)
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1000 || !validKnob(k) {
			return bot.Errorf(bot.CodeInvalid, "calendar.error.bad_setting", "Setting", handlers.Clean(w))
		}
		knobs[k] = n
	}
	if len(knobs) == 0 || len(name) == 0 {
		return a.UsageError(u, "usage.admin.topic.set")
	}
	t, err := a.Store.TopicByName(strings.Join(name, " "))
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeNotFound, "admin.error.no_topic", "Name", handlers.Clean(strings.Join(name, " ")))
	} else if err != nil {
		return fmt.Errorf("set topic: %w", err)
	}
	err = a.Store.Update(func(tx *store.Tx) error {
		var err error
		t, err = tx.UpdateTopic(t.ID, func(t *store.Topic) error {
			for k, n := range knobs {
				switch k {
				case "remind":
					t.RemindAfterHours = n
				case "escalate":
					t.EscalateAfterHours = n
				case "resolve":
					t.ResolveAfterDays = n
				case "close":
					t.CloseAfterDays = n
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("set topic: %w", err)
		}
		return handlers.AuditTx(tx, u, auditTopicSet, fmt.Sprintf("%s: remind=%d escalate=%d resolve=%d close=%d", t.Name, t.RemindAfterHours, t.EscalateAfterHours, t.ResolveAfterDays, t.CloseAfterDays))
	})
	if err != nil {
		return err
	}
	s := a.opt.Stages.forTopic(t)
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "calendar.topic.set", "Topic", t.Name,
		"Remind", hours(s.RemindAfter), "Escalate", hours(s.EscalateAfter), "Resolve", days(s.AskResolveAfter), "Close", days(s.CloseAfter))})
	return err
}

// validKnob reports whether k names a reminder stage setting.
func validKnob(k string) bool {
	switch k {
	case "remind", "escalate", "resolve", "close":
		return true
	}
	return false
}
