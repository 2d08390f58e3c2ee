// Package web is the read-only report pages: /soudan report sends a
// signed, short-lived link bound to the person who asked; opening it sets
// a session cookie for a working day; the pages show a survey round's
// report (trend lines, distributions, a department × item heatmap) and
// the programme's month, each chart with its numbers in a table, drawn on
// the server as inline SVG with no script and no external request. What a
// page shows comes from the survey and statistics features through the
// small interfaces below (cmd passes them); every survey figure is
// a round's release (figures.Publish), so the privacy rules of the chat reports hold here.
package web

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
)

// Lifetimes of links and sessions.
const (
	// DefaultLinkTTL is how long a link /soudan report sends stays valid.
	DefaultLinkTTL = 15 * time.Minute
	// DefaultSessionTTL is how long an opened link's session lasts: a
	// working day.
	DefaultSessionTTL = 10 * time.Hour
	// MaxLinkTTL is the longest a link may live: the store forgets used
	// links after a week (seen_events), so a longer one could be reused.
	MaxLinkTTL = 7 * 24 * time.Hour
)

// Surveys gives the survey pages; the survey feature implements it.
type Surveys interface {
	// ReportRounds are the closed rounds u may read, newest first.
	ReportRounds(ctx context.Context, u store.User) ([]figures.RoundRef, error)
	// ReportPage is a round's report as u may see it, by "department" or
	// "tenure"; for a manager, of their department dept ("" the first
	// they manage). A refusal is a *bot.Error.
	ReportPage(ctx context.Context, u store.User, round uint64, by, dept string) (figures.Page, error)
}

// Programme gives the programme's figures of a month ("2006-01"); cmd
// adapts the statistics feature to it.
type Programme interface {
	ProgrammeMonth(ctx context.Context, month string) (Month, error)
}

// Options configure the pages.
type Options struct {
	// BaseURL is the public address links start with, such as
	// "https://soudan.example.jp"; it is asked each time (the listener's
	// address may be known only once it listens). "" means the pages are
	// not served, and /soudan report says so.
	BaseURL func() string
	// Secret signs links and sessions; nil: the one kept in the data file.
	Secret []byte
	// LinkTTL and SessionTTL default to DefaultLinkTTL and
	// DefaultSessionTTL; DMLinkTTL (links in the monthly messages, which
	// wait in a chat) defaults to three days. Each is at most MaxLinkTTL.
	LinkTTL, SessionTTL, DMLinkTTL time.Duration
	Surveys                        Surveys     // nil: no survey pages
	Programme                      Programme   // nil: no programme page
	Connections                    Connections // nil: no connections pages
}

// Feature is /soudan report and the pages behind the links it sends.
type Feature struct {
	*handlers.Kit
	opt    Options
	mu     sync.Mutex
	secret []byte
}

// New returns the report pages feature.
func New(k *handlers.Kit, opt Options) *Feature {
	if opt.LinkTTL <= 0 {
		opt.LinkTTL = DefaultLinkTTL
	}
	if opt.SessionTTL <= 0 {
		opt.SessionTTL = DefaultSessionTTL
	}
	if opt.DMLinkTTL <= 0 {
		opt.DMLinkTTL = 3 * 24 * time.Hour
	}
	opt.LinkTTL, opt.DMLinkTTL = min(opt.LinkTTL, MaxLinkTTL), min(opt.DMLinkTTL, MaxLinkTTL)
	a := &Feature{Kit: k, opt: opt, secret: opt.Secret}
	// The secret is read (or made) now, so that links made later inside
	// another transaction (the monthly messages) need no store access.
	if _, err := a.key(); err != nil {
		k.Log.Warn("report pages: the link secret", "err", err)
	}
	return a
}

// Register adds /soudan report [レポート].
func (a *Feature) Register(rt *bot.Router) {
	rt.Command(bot.Command{
		Name:     "report",
		Aliases:  []string{"レポート", "報告"},
		UsageKey: "usage.report",
		Handler:  a.reportCommand,
		MaxWords: bot.NoWords,
	})
}

// base is the configured base URL without a trailing slash.
func (a *Feature) base() string {
	if a.opt.BaseURL == nil {
		return ""
	}
	return strings.TrimRight(strings.TrimSpace(a.opt.BaseURL()), "/")
}

// key is the signing secret: the configured one, or the data file's.
func (a *Feature) key() ([]byte, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.secret != nil {
		return a.secret, nil
	}
	var s []byte
	err := a.View(func(tx *store.Tx) (err error) { s, err = tx.LinkSecret(); return err })
	if err != nil {
		err = a.Commit(context.Background(), func(tx *store.Tx) (err error) { s, err = tx.LinkSecret(); return err })
	}
	if err != nil {
		return nil, err
	}
	a.secret = s
	return s, nil
}

// Link is a signed link for u to the page at path ("/report/",
// "/report/survey/12"), valid for ttl; ok is false when the pages are not
// served (no base URL).
func (a *Feature) Link(u store.User, path string, ttl time.Duration) (string, bool, error) {
	base := a.base()
	if base == "" {
		return "", false, nil
	}
	key, err := a.key()
	if err != nil {
		return "", false, err
	}
	tok := sign(key, claims{Kind: kindLink, User: u.ID, Exp: a.Now().Add(min(ttl, MaxLinkTTL)), Nonce: newNonce()})
	q := url.Values{"t": {tok}}
	if path != "" && path != pathHome {
		q.Set("next", path)
	}
	return base + pathOpen + "?" + q.Encode(), true, nil
}

// Button is a button to u's page at path for a message the bot sends on
// its own initiative (the monthly reports), with a link valid for
// DMLinkTTL; ok is false when the pages are not served.
func (a *Feature) Button(u store.User, path string) (bot.Button, bool) {
	link, ok, err := a.Link(u, path, a.opt.DMLinkTTL)
	if err != nil || !ok {
		if err != nil {
			a.Log.Warn("report pages: a link for a message", "err", err)
		}
		return bot.Button{}, false
	}
	return bot.Button{ID: "report.open", Label: a.T(u, "web.button"), URL: link}, true
}

// SurveyPath is the page of a survey round.
func SurveyPath(round uint64) string { return pathSurvey + itoa(round) }

// StatsPath is the programme page of a month ("2006-01").
func StatsPath(month string) string { return pathStats + month }

// reportCommand answers /soudan report: a link to the pages u may see,
// in a DM or visible to u alone.
func (a *Feature) reportCommand(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	link, ok, err := a.Link(u, pathHome, a.opt.LinkTTL)
	if err != nil {
		return err
	}
	if !ok {
		if u.HasRole(store.RoleAdmin) {
			// The admin is the one who can turn them on: name the settings.
			return bot.Errorf(bot.CodeUnavailable, "web.error.not_served_admin")
		}
		return bot.Errorf(bot.CodeUnavailable, "web.error.not_served")
	}
	mins := int(a.opt.LinkTTL / time.Minute)
	_, err = r.Reply(ctx, bot.Reply{
		Ephemeral: !m.Direct,
		Text:      a.T(u, "web.link", "Minutes", mins, "Hours", int(a.opt.SessionTTL/time.Hour)),
		Buttons:   []bot.Button{{ID: "report.open", Label: a.T(u, "web.button"), URL: link, Style: bot.StylePrimary}},
	})
	return err
}
