package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// Audit actions of the business calendar.
const (
	auditClosedAdd    = "calendar.closed"
	auditClosedRemove = "calendar.open"
)

// maxClosedSpan is the longest range one closed-day command covers.
const maxClosedSpan = 31

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
	s = strings.ReplaceAll(text.Normalize(s), "/", "-")
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
	// A closed day matters from today on, and for the reminders of the
	// next years at most: a past day or a typo such as 9999 is refused.
	local := a.Now().In(a.Config.Location)
	today, last := local.Format("2006-01-02"), local.AddDate(maxClosedYears, 0, 0).Format("2006-01-02")
	if dates[0] < today || dates[len(dates)-1] > last {
		return bot.Errorf(bot.CodeInvalid, "calendar.error.out_of_range", "Date", handlers.Clean(m.Args[0]), "From", today, "To", last)
	}
	_, note := bot.CutWord(m.ArgText)
	note = handlers.Excerpt(handlers.Clean(note), 100)
	span := dates[0]
	if len(dates) > 1 {
		span += ".." + dates[len(dates)-1]
	}
	added := 0
	err := a.Commit(ctx, func(tx *store.Tx) error {
		added = 0 // Commit may run the function again
		existing, err := tx.ClosedDays()
		if err != nil {
			return fmt.Errorf("add closed day: %w", err)
		}
		closed := map[string]bool{}
		for _, d := range existing {
			closed[d.Date] = true
		}
		// Days already closed keep their note (remove and add them to
		// change it): adding again changes nothing.
		for _, d := range dates {
			if closed[d] {
				continue
			}
			if _, err := tx.AddClosedDay(store.ClosedDay{Date: d, Note: note, By: u.ID}); err != nil {
				return fmt.Errorf("add closed day: %w", err)
			}
			added++
		}
		if added == 0 {
			return nil
		}
		return handlers.AuditTx(tx, u, auditClosedAdd, strings.TrimSpace(span+" "+note))
	})
	if err != nil {
		return err
	}
	text := a.T(u, "calendar.closed.added", "Span", span, "Count", len(dates))
	switch {
	case added == 0:
		text = a.T(u, "calendar.closed.already", "Span", span, "Count", len(dates))
	case added < len(dates):
		text = a.T(u, "calendar.closed.added_some", "Span", span, "Count", added, "Already", len(dates)-added)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: text})
	return err
}

// maxClosedYears is how far ahead a closed day may be set.
const maxClosedYears = 2

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
	err := a.Commit(ctx, func(tx *store.Tx) error {
		n = 0 // Commit may run the function again
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
	days, err := handlers.Read(a.Kit, (*store.Tx).ClosedDays)
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
