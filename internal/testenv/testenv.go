// Package testenv runs soudan's handlers in tests the way a platform
// would: a real router and middleware, a real bbolt file in t.TempDir(),
// the real outbox worker, and a recording fake adapter (bottest). A
// feature's tests register that feature alone on the kit; cmd/soudan's
// whole-bot tests wire every feature through a Wire function of their own.
package testenv

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/internal/outbox"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// Flusher delivers everything due in the outbox.
type Flusher interface {
	Flush(ctx context.Context) error
}

// Wire builds the bot from the kit's configuration (Store, Sender, Log,
// Now and Admins are set): the kit, the router it registered on, and the
// outbox to flush after each message.
type Wire func(cfg handlers.Config) (*handlers.Kit, *bot.Router, Flusher, error)

// Options configure an Env.
type Options struct {
	// Now is the fixed time of the test; zero means DefaultNow.
	Now time.Time
	// Clock, when set, is the clock instead of the fixed Now.
	Clock func() time.Time
	// Admins are the platform ids granted admin when first seen; nil
	// means "admin".
	Admins []string
	// Sender wraps the fake adapter, to refuse or fail some sends.
	Sender func(*bottest.Adapter) bot.Sender
	// Config adjusts the kit's configuration.
	Config func(*handlers.Config)
	// Wire builds the bot; nil builds a kit with no feature (call
	// Register) and an outbox worker.
	Wire Wire
}

// Env is a bot under test.
type Env struct {
	T      testing.TB
	St     *store.Store
	Ad     *bottest.Adapter
	Log    *bottest.Buffer // the handlers' log, at debug level
	Kit    *handlers.Kit
	Router *bot.Router
	Out    Flusher
	Now    func() time.Time
}

// DefaultNow is the fixed time of an Env whose Options name none.
var DefaultNow = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)

// New opens a store and builds the bot.
func New(t testing.TB, opt Options) *Env {
	t.Helper()
	if opt.Now.IsZero() {
		opt.Now = DefaultNow
	}
	if opt.Admins == nil {
		opt.Admins = []string{"admin"}
	}
	if opt.Wire == nil {
		opt.Wire = KitOnly
	}
	now := func() time.Time { return opt.Now }
	if opt.Clock != nil {
		now = opt.Clock
	}
	e := &Env{T: t, Ad: bottest.New(""), Log: &bottest.Buffer{}, Now: now}
	e.St = storetest.MustOpen(t, store.Options{Now: now})
	var sender bot.Sender = e.Ad
	if opt.Sender != nil {
		sender = opt.Sender(e.Ad)
	}
	cfg := handlers.Config{
		Store: e.St, Sender: sender, Now: now,
		Log: slog.New(slog.NewTextHandler(e.Log, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, id := range opt.Admins {
		cfg.Admins = append(cfg.Admins, bottest.Platform+":"+id)
	}
	if opt.Config != nil {
		opt.Config(&cfg)
	}
	var err error
	if e.Kit, e.Router, e.Out, err = opt.Wire(cfg); err != nil {
		t.Fatalf("build the bot: %v", err)
	}
	return e
}

// KitOnly is the default Wire: an outbox worker and a kit with no
// feature registered yet.
func KitOnly(cfg handlers.Config) (*handlers.Kit, *bot.Router, Flusher, error) {
	var kit *handlers.Kit
	w, err := outbox.New(outbox.Options{
		Store: outbox.Transactional(cfg.Store), Sender: cfg.Sender, Log: cfg.Log, Now: cfg.Now,
		OnSent: func(ctx context.Context, tx *store.Tx, it store.OutboxItem, at bot.Address) error {
			return kit.OnSent(ctx, tx, it, at)
		},
		OnBatchDone: func(ctx context.Context, b store.OutboxBatch) { kit.OnBatchDone(ctx, b) },
	})
	if err != nil {
		return nil, nil, nil, err
	}
	cfg.Outbox = w
	if kit, err = handlers.New(cfg); err != nil {
		return nil, nil, nil, err
	}
	return kit, bot.NewRouter(), w, nil
}

// Register registers features on the env's router, with the kit's
// middleware.
func (e *Env) Register(features ...handlers.Feature) {
	e.Kit.Register(e.Router, features...)
}

// Do dispatches m as the adapter would, delivers what it put in the
// outbox, and fails the test on a dispatch or delivery error. The turn's
// Sent holds every delivery since before the dispatch.
func (e *Env) Do(m *bot.Message) *bottest.Turn {
	e.T.Helper()
	before := len(e.Ad.Sent())
	turn := e.Ad.Do(context.Background(), e.Router, m)
	if turn.Err != nil {
		e.T.Fatalf("dispatch %s %q: %v", m.Kind, m.Text+m.Command, turn.Err)
	}
	e.Flush()
	turn.Sent = e.Ad.Sent()[before:]
	return turn
}

// Flush delivers what is due in the outbox, failing the test on an error.
func (e *Env) Flush() {
	e.T.Helper()
	if err := e.Out.Flush(context.Background()); err != nil {
		e.T.Fatalf("flush outbox: %v", err)
	}
}

// OK dispatches m and fails if the bot answered with a refusal.
func (e *Env) OK(m *bot.Message) *bottest.Turn {
	e.T.Helper()
	turn := e.Do(m)
	if s := turn.Text(); strings.Contains(s, "⚠️") {
		e.T.Fatalf("%q refused: %s", m.Text+m.Command+" "+m.ArgText, s)
	}
	return turn
}

// Refused dispatches m and returns the refusal text, failing if there is
// none.
func (e *Env) Refused(m *bot.Message) string {
	e.T.Helper()
	turn := e.Do(m)
	s := turn.Text()
	if !strings.Contains(s, "⚠️") {
		e.T.Fatalf("%q was not refused; got %q", m.Text+m.Command+" "+m.ArgText, s)
	}
	return s
}

// Cmd runs a command line typed by user in their DM.
func (e *Env) Cmd(user, line string) *bottest.Turn {
	e.T.Helper()
	return e.Do(bottest.Command(user, line))
}

// CmdEN runs a command line typed by a user whose client is in English.
func (e *Env) CmdEN(user, line string) *bottest.Turn {
	e.T.Helper()
	m := bottest.Command(user, line)
	m.User.Locale = "en"
	return e.Do(m)
}

// Submit submits a form as user from their DM.
func (e *Env) Submit(user, formID string, form map[string]string) *bottest.Turn {
	e.T.Helper()
	return e.Do(bottest.Submit(user, DM(user), formID, "", form))
}

// Press presses a button as user in their DM.
func (e *Env) Press(user, id, value string) *bottest.Turn {
	e.T.Helper()
	return e.Do(bottest.Press(user, DM(user), id, value))
}

// DM is the test address of user's DM with the bot.
func DM(user string) bot.Address {
	return bot.Address{Platform: bottest.Platform, Workspace: bottest.Workspace, Channel: "dm:" + user, User: user}
}

// Refusal is how the middleware shows a *bot.Error in lang.
func (e *Env) Refusal(lang, key string, kv ...any) string {
	return "⚠️ " + e.Kit.TL(lang, key, kv...)
}

// User returns the store user for a test platform id, creating them.
func (e *Env) User(name string) store.User {
	e.T.Helper()
	return storetest.Update(e.T, e.St, func(tx *store.Tx) (store.User, error) { return e.user(tx, name) })
}

// user is User in tx.
func (e *Env) user(tx *store.Tx, name string) (store.User, error) {
	u, _, err := tx.Users().Ensure(store.UserKey{Platform: bottest.Platform, Workspace: bottest.Workspace, PlatformID: name}, name, "ja")
	return u, err
}

// Known returns the stored user with a test platform id, failing if the
// bot never met them.
func (e *Env) Known(name string) store.User {
	e.T.Helper()
	return storetest.View(e.T, e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().ByKey(store.UserKey{Platform: bottest.Platform, Workspace: bottest.Workspace, PlatformID: name})
	})
}

// Topic returns the topic with the name or alias, creating it with the
// aliases when there is none.
func (e *Env) Topic(name string, aliases ...string) store.Topic {
	e.T.Helper()
	return storetest.Update(e.T, e.St, func(tx *store.Tx) (store.Topic, error) {
		if tp, err := tx.Topics().ByName(name); !errors.Is(err, store.ErrNotFound) {
			return tp, err
		}
		return tx.Topics().Create(store.Topic{Name: name, Aliases: aliases})
	})
}

// MapChannel maps the test channel (such as "#career") to the topic.
func (e *Env) MapChannel(channel, topic string) {
	e.T.Helper()
	ch := store.ChannelRef{Platform: bottest.Platform, Workspace: bottest.Workspace, Channel: channel, Name: channel}
	tp := e.Topic(topic)
	storetest.MustUpdate(e.T, e.St, func(tx *store.Tx) error {
		_, err := tx.Topics().MapChannel(tp.ID, ch)
		return err
	})
}

// Mentor registers name as a mentor of the named topics.
func (e *Env) Mentor(name string, topics ...string) store.User {
	e.T.Helper()
	return storetest.Update(e.T, e.St, func(tx *store.Tx) (store.User, error) {
		u, err := e.user(tx, name)
		if err != nil {
			return u, err
		}
		var ids []uint64
		for _, tn := range topics {
			tp, err := tx.Topics().ByName(tn)
			if err != nil {
				return u, fmt.Errorf("topic %q: %w", tn, err)
			}
			ids = append(ids, tp.ID)
		}
		_, err = tx.Mentors().Put(store.Mentor{UserID: u.ID, Topics: ids, Message: name + "です"})
		return u, err
	})
}

// Consultation loads consultation id.
func (e *Env) Consultation(id uint64) store.Consultation {
	e.T.Helper()
	return storetest.View(e.T, e.St, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(id) })
}

// DefaultTopic creates the default topic a consultation bot starts with
// (その他, aliases other and general), for tests of a feature that shows
// topics without the consultation feature that creates it.
func (e *Env) DefaultTopic() store.Topic {
	e.T.Helper()
	return storetest.Update(e.T, e.St, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().Create(store.Topic{Name: "その他", Aliases: []string{"other", "general"}, Default: true})
	})
}
