package connections

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

// parseDay reads a day an admin or member types: "2026-12-07",
// "2026/12/07", "12/7" (this year), "today"/"今日", "yesterday"/"昨日".
func parseDay(s string, now time.Time) (time.Time, bool) {
	s = strings.ToLower(text.Normalize(s))
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	switch s {
	case "today", "今日", "きょう":
		return today, true
	case "yesterday", "昨日", "きのう":
		return today.AddDate(0, 0, -1), true
	}
	s = strings.ReplaceAll(s, "/", "-")
	if t, err := time.ParseInLocation(dateFormat, s, now.Location()); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation("2006-1-2", s, now.Location()); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation("1-2", s, now.Location()); err == nil {
		return time.Date(now.Year(), t.Month(), t.Day(), 0, 0, 0, 0, now.Location()), true
	}
	return time.Time{}, false
}

// logOneOnOne answers /soudan 1on1 log PERSON [DATE] (the sender and
// PERSON met) or /soudan 1on1 log PERSON PERSON [DATE] (a manager of
// either's department, or an admin, records two others' 1on1). Only that
// it happened is kept, never what was said; the same two people on the
// same day count once, whoever logs it.
func (a *Feature) logOneOnOne(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	local := a.Now().In(a.Config.Location)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, local.Location())
	var names []string
	for _, arg := range m.Args {
		if d, ok := parseDay(arg, local); ok {
			day = d
			continue
		}
		names = append(names, arg)
	}
	if len(names) == 0 || len(names) > 2 {
		return a.UsageError(u, "usage.oneonone.log")
	}
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, local.Location())
	if day.After(today) || today.Sub(day) > maxOneOnOneAgeDays*24*time.Hour {
		return bot.Errorf(bot.CodeInvalid, "conn.error.oneonone_date", "Max", maxOneOnOneAgeDays)
	}
	var pair []store.User
	for _, n := range names {
		p, err := a.resolvePerson(ctx, m, n)
		if err != nil {
			return err
		}
		pair = append(pair, p)
	}
	if len(pair) == 1 {
		pair = append([]store.User{u}, pair...)
	}
	if pair[0].ID == pair[1].ID {
		return bot.Errorf(bot.CodeInvalid, "conn.error.self")
	}
	var o store.OneOnOne
	created := false
	err := a.Commit(ctx, func(tx *store.Tx) error {
		ps := newPeople(tx)
		if !a.mayLog(ps, u, pair[0], pair[1]) {
			return bot.Errorf(bot.CodeForbidden, "conn.error.oneonone_forbidden")
		}
		var err error
		o, created, err = tx.Connections().LogOneOnOne(store.OneOnOne{A: pair[0].ID, B: pair[1].ID, Date: day.Format(dateFormat),
			Quarter: quarterOf(day), LoggedBy: u.ID})
		return err
	})
	var be *bot.Error
	if errors.As(err, &be) {
		return be
	}
	if err != nil {
		return fmt.Errorf("log 1on1: %w", err)
	}
	key := "conn.oneonone.logged"
	if !created {
		key = "conn.oneonone.already"
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, key, "A", handlers.Clean(pair[0].Name), "B", handlers.Clean(pair[1].Name),
		"Date", o.Date, "Quarter", o.Quarter)})
	return err
}

// mayLog reports whether u may record a 1on1 of x and y: one of the two,
// a manager of either's department, or an admin.
func (a *Feature) mayLog(ps *people, u, x, y store.User) bool {
	if u.ID == x.ID || u.ID == y.ID || u.HasRole(store.RoleAdmin) {
		return true
	}
	for _, p := range []store.User{x, y} {
		if d := ps.dept(p.Department); d != "" && u.Manages(d) {
			return true
		}
	}
	return false
}
