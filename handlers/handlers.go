// Package handlers is the shared kit of soudan's features: the message
// catalog and T, identifying the sender, delivery through the outbox, text
// checks, and the middleware every message passes. Each capability
// (consultations, mentors, admin, broadcast, reminders, help) is a package
// beneath it that registers its own commands, actions, forms, reactions
// and jobs; siblings never import each other: a feature that needs another
// declares a small interface, and cmd passes the implementation.
package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/internal/outbox"
	"github.com/soudan/soudan/store"
)

// Config wires a Kit.
type Config struct {
	Store  *store.Store
	Sender bot.Sender // sends on the bot's initiative (usually a bot.Mux)
	// Outbox is the worker that delivers what the bot sends on its own
	// initiative; cmd builds it and passes it here. The kit queues into the
	// store and wakes it.
	Outbox Waker
	Log    *slog.Logger
	Now    func() time.Time

	Prefix        string         // slash command name, "soudan"
	DefaultLocale string         // "ja" or "en", for users whose locale is unknown
	Location      *time.Location // for dates shown to users; default Asia/Tokyo
	MaxText       int            // longest accepted text in characters; default 4000
	// Calendar is the business calendar (reminders, statistics, survey
	// schedules); nil: PlainCalendar.
	Calendar Calendar

	// FirstUserAdmin makes the first user the bot meets an admin (console).
	FirstUserAdmin bool
	// Admins are "platform:userID" entries granted admin when first seen.
	Admins []string

	// Observe, when set, is told of every message handled: its platform,
	// kind (bot.Kind's String), result (ResultOK, ResultRefused or
	// ResultError) and how long handling took; for metrics. It must not
	// block.
	Observe func(platform, kind, result string, took time.Duration)
}

// Results of a handled message, as Config.Observe is told.
const (
	ResultOK      = "ok"      // handled, or nothing to do
	ResultRefused = "refused" // refused with a *bot.Error (the user is told why)
	ResultError   = "error"   // failed or panicked (an incident)
)

// Waker is the outbox worker as the kit sees it: told when new items for
// the platforms are due.
type Waker interface {
	WakeFor(platforms ...string)
}

// Outgoing is one message the bot sends on its own initiative.
type Outgoing = outbox.Message

// Kit is what every feature shares: the store, the sender, the catalog,
// the clock, and delivery. Features embed a *Kit.
type Kit struct {
	Config   Config
	Store    *store.Store
	Send     bot.Sender
	Log      *slog.Logger
	Now      func() time.Time
	Out      Waker
	Calendar Calendar // the one business calendar of the bot

	cat       *catalog
	sent      map[string]SentFunc
	done      map[string]BatchDoneFunc
	auditKeys map[string]string
	router    *bot.Router
}

// Feature is one capability. Register adds its commands, posts, actions,
// forms and reactions to the router and its delivery hooks to the kit.
type Feature interface {
	Register(rt *bot.Router)
}

// Job is a periodic job of a feature; cmd schedules it. Every activation
// claims its period in the store before it runs, so a restart or an
// overlap never runs one period twice.
type Job struct {
	Name   string // "consult:remind"
	Spec   string // cron spec, in the configured time zone
	Period Period // how activations group into claimed periods
	Run    func(ctx context.Context, now time.Time) error
}

// Period is how a job's activations are claimed.
type Period string

// Periods of a Job.
const (
	EachActivation Period = ""        // every activation is its own period
	Daily          Period = "daily"   // one run per calendar day
	Weekly         Period = "weekly"  // one run per ISO week
	Monthly        Period = "monthly" // one run per calendar month
)

// Jobber is a Feature with periodic jobs.
type Jobber interface {
	Jobs() []Job
}

// New checks cfg, fills in defaults and loads the message catalogs.
func New(cfg Config) (*Kit, error) {
	if cfg.Store == nil {
		return nil, errors.New("handlers: Config.Store is required")
	}
	if cfg.Sender == nil {
		return nil, errors.New("handlers: Config.Sender is required")
	}
	if cfg.Outbox == nil {
		return nil, errors.New("handlers: Config.Outbox is required")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "soudan"
	}
	if cfg.DefaultLocale == "" {
		cfg.DefaultLocale = "ja"
	}
	if cfg.Location == nil {
		loc, err := time.LoadLocation("Asia/Tokyo")
		if err != nil {
			loc = time.FixedZone("JST", 9*60*60)
		}
		cfg.Location = loc
	}
	if cfg.MaxText <= 0 {
		cfg.MaxText = 4000
	}
	if cfg.Calendar == nil {
		cfg.Calendar = PlainCalendar{}
	}
	cat, err := loadCatalog(cfg.DefaultLocale)
	if err != nil {
		return nil, fmt.Errorf("handlers: %w", err)
	}
	return &Kit{
		Config: cfg, Store: cfg.Store, Send: cfg.Sender, Log: cfg.Log, Now: cfg.Now, Out: cfg.Outbox, Calendar: cfg.Calendar,
		cat: cat, sent: map[string]SentFunc{}, done: map[string]BatchDoneFunc{}, auditKeys: map[string]string{},
	}, nil
}

// Register installs the middleware on rt and registers every feature.
func (k *Kit) Register(rt *bot.Router, features ...Feature) {
	k.router = rt
	rt.Authorize = k.authorize
	rt.DefaultCommand = "help"
	rt.Use(k.recoverPanics, k.localizeErrors, k.logEvents, k.observe, k.identify, k.dedupe)
	for _, f := range features {
		f.Register(rt)
	}
}

// Jobs returns the kit's own jobs and those of the features.
func (k *Kit) Jobs(features ...Feature) []Job {
	jobs := k.maintenanceJobs()
	for _, f := range features {
		if j, ok := f.(Jobber); ok {
			jobs = append(jobs, j.Jobs()...)
		}
	}
	return jobs
}

// Commands returns the commands registered on the router, for help.
func (k *Kit) Commands() []bot.Command {
	if k.router == nil {
		return nil
	}
	return k.router.Commands()
}

// Runes counts characters, as users count them.
func Runes(s string) int { return len([]rune(s)) }

// Excerpt shortens s to n characters on one line.
func Excerpt(s string, n int) string {
	s = OneLine(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
