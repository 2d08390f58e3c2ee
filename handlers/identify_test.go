package handlers_test

import (
	"context"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

// TestASenderIsRecordedInOneCommit: what a message tells of its sender
// (a new user, the admin bootstrap, the DM address, a locale just chosen)
// is stored in one commit, and a known sender with nothing new costs
// none beyond the event's own.
func TestASenderIsRecordedInOneCommit(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	// The kit's middleware, and a post handler that stores nothing: every
	// commit below is the middleware's.
	e.Register()
	e.Router.Post(func(context.Context, *bot.Message, bot.Responder) error { return nil })
	commits := func(user, text string, edit func(*bot.Message)) uint64 {
		t.Helper()
		m := bottest.DM(user, text)
		if edit != nil {
			edit(m)
		}
		before := e.St.Commits()
		e.Do(m)
		return e.St.Commits() - before
	}
	// Warm the store up, so that every count below is one event's.
	commits("佐藤", "はじめまして", nil)
	known := commits("佐藤", "もう一度", nil)

	if got := commits("admin", "はじめまして", nil); got != known+1 {
		t.Errorf("a new admin's first DM took %d commits, want %d (the event's and one for the user, the role and the DM address)", got, known+1)
	}
	if u := e.Known("admin"); !u.HasRole(store.RoleAdmin) || u.DMChannel != testenv.DM("admin").Channel {
		t.Errorf("admin after the first DM = %+v, want the admin role and the DM channel", u)
	}
	if got := commits("佐藤", "English, please", func(m *bot.Message) { m.User.Locale, m.User.LocaleChosen = "en", true }); got != known+1 {
		t.Errorf("choosing a locale took %d commits, want %d", got, known+1)
	}
	if u := e.Known("佐藤"); u.Locale != "en" {
		t.Errorf("locale after choosing = %q, want en", u.Locale)
	}
	if got := commits("佐藤", "また", nil); got != known {
		t.Errorf("a known sender with nothing new took %d commits, want %d", got, known)
	}
}
