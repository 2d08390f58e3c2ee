// Package handlers holds soudan's business rules: consultations, mentors,
// topics, profiles, admin and help. Handlers speak the neutral bot model
// and keep state in the store; they never import a platform adapter.
package handlers

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers/outbox"
	"github.com/soudan/soudan/store"
)

// Config wires an App.
type Config struct {
	Store  *store.Store
	Sender bot.Sender // sends on the bot's initiative (usually a bot.Mux)
	Log    *slog.Logger
	Now    func() time.Time

	Prefix        string         // slash command name, "soudan"
	DefaultLocale string         // "ja" or "en", for users whose locale is unknown
	Location      *time.Location // for dates shown to users; default Asia/Tokyo
	MaxRouted     int            // mentors asked per question; default 3
	DefaultTopic  string         // topic for questions that match none; default "その他"
	MaxText       int            // longest accepted text in characters; default 4000

	// DeliveryLimits are the outbox's sending rates by platform; nil means
	// outbox.DefaultLimits.
	DeliveryLimits map[string]outbox.Limit

	// Calendar measures working time for reminders; nil counts every hour.
	Calendar BusinessCalendar
	// Reminders are the global reminder stages; a topic's own knobs win.
	Reminders ReminderStages

	// FirstUserAdmin makes the first user the bot meets an admin (console).
	FirstUserAdmin bool
	// Admins are "platform:userID" entries granted admin when first seen.
	Admins []string
}

// App is the set of handlers with their dependencies.
type App struct {
	cfg  Config
	st   *store.Store
	send bot.Sender
	log  *slog.Logger
	now  func() time.Time
	cat  *catalog
	// out delivers what the bot sends on its own initiative.
	out *outbox.Worker
	// router is the router the handlers were registered on (help lists
	// its commands).
	router *bot.Router
}

// New checks cfg, fills in defaults and loads the message catalogs.
func New(cfg Config) (*App, error) {
	if cfg.Store == nil {
		return nil, errors.New("handlers: Config.Store is required")
	}
	if cfg.Sender == nil {
		return nil, errors.New("handlers: Config.Sender is required")
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
	if cfg.MaxRouted <= 0 {
		cfg.MaxRouted = 3
	}
	if cfg.DefaultTopic == "" {
		cfg.DefaultTopic = "その他"
	}
	if cfg.MaxText <= 0 {
		cfg.MaxText = 4000
	}
	if cfg.Calendar == nil {
		cfg.Calendar = wallClock{}
	}
	cfg.Reminders = cfg.Reminders.withDefaults()
	cat, err := loadCatalog(cfg.DefaultLocale)
	if err != nil {
		return nil, fmt.Errorf("handlers: %w", err)
	}
	a := &App{cfg: cfg, st: cfg.Store, send: cfg.Sender, log: cfg.Log, now: cfg.Now, cat: cat}
	if cfg.DeliveryLimits == nil {
		cfg.DeliveryLimits = outbox.DefaultLimits
	}
	a.out, err = outbox.New(outbox.Options{
		Store: cfg.Store, Sender: cfg.Sender, Limits: cfg.DeliveryLimits,
		Log: cfg.Log, Now: cfg.Now, OnSent: a.onSent, OnBatchDone: a.onBatchDone,
	})
	if err != nil {
		return nil, fmt.Errorf("handlers: %w", err)
	}
	if _, err := a.ensureDefaultTopic(); err != nil {
		return nil, fmt.Errorf("handlers: %w", err)
	}
	return a, nil
}

// Outbox returns the worker that delivers the messages the handlers send
// on their own initiative: run it (Run) next to the adapters, or flush it
// (Flush) after each message where output order matters (the console,
// tests).
func (a *App) Outbox() *outbox.Worker { return a.out }

// Register adds every command, post, action and form handler to rt, with
// the middleware they rely on.
func (a *App) Register(rt *bot.Router) {
	a.router = rt
	rt.Authorize = a.authorize
	rt.DefaultCommand = "help"
	rt.Use(a.recoverPanics, a.localizeErrors, a.identify, a.dedupe)
	a.registerHelp(rt)
	a.registerConsult(rt)
	a.registerPeople(rt)
	a.registerAdmin(rt)
	a.registerBroadcast(rt)
	a.registerHome(rt)
}

// ensureDefaultTopic creates the default topic on first start.
func (a *App) ensureDefaultTopic() (store.Topic, error) {
	t, err := a.st.DefaultTopic()
	if err == nil {
		return t, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return store.Topic{}, fmt.Errorf("default topic: %w", err)
	}
	if t, err := a.st.TopicByName(a.cfg.DefaultTopic); err == nil {
		return a.st.UpdateTopic(t.ID, func(t *store.Topic) error { t.Default = true; return nil })
	}
	t, err = a.st.CreateTopic(store.Topic{Name: a.cfg.DefaultTopic, Aliases: []string{"other", "general"}, Default: true})
	if errors.Is(err, store.ErrExists) {
		// "other"/"general" taken by an admin's topic: create the name alone.
		t, err = a.st.CreateTopic(store.Topic{Name: a.cfg.DefaultTopic, Default: true})
	}
	if err != nil {
		return store.Topic{}, fmt.Errorf("create default topic: %w", err)
	}
	return t, nil
}

// runes counts characters, as users count them.
func runes(s string) int { return len([]rune(s)) }

// excerpt shortens s to n characters on one line.
func excerpt(s string, n int) string {
	s = oneLine(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
