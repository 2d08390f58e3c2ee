package consult

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// consultNow is the fixed time of the consultation tests.
var consultNow = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)

// consultEnv is an App on a real router and a real bbolt file, with a
// recording fake adapter. Its log is kept so tests can read it.
type consultEnv struct {
	t   *testing.T
	app *App
	rt  *bot.Router
	ad  *bottest.Adapter
	st  *store.Store
	log *bottest.Buffer
}

func newConsultEnv(t *testing.T, maxRouted int) *consultEnv {
	t.Helper()
	return newConsultEnvWith(t, maxRouted, nil)
}

// newConsultEnvWith is newConsultEnv with mod applied to the App's
// configuration.
func newConsultEnvWith(t *testing.T, maxRouted int, mod func(*Config)) *consultEnv {
	t.Helper()
	now := func() time.Time { return consultNow }
	st := storetest.MustOpen(t, store.Options{Now: now})
	ad := bottest.New("")
	buf := &bottest.Buffer{}
	cfg := Config{
		Store: st, Sender: ad, Now: now, MaxRouted: maxRouted,
		Log:    slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Admins: []string{bottest.Platform + ":admin"},
	}
	if mod != nil {
		mod(&cfg)
	}
	app, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	rt := bot.NewRouter()
	app.Register(rt)
	e := &consultEnv{t: t, app: app, rt: rt, ad: ad, st: st, log: buf}
	e.ok(bottest.Command("admin", "/soudan admin topic add キャリア career キャリアパス"))
	e.ok(bottest.Command("admin", "/soudan admin topic add IT teams パソコン"))
	return e
}

// do dispatches m, delivers what it put in the outbox, and fails the test
// on a dispatch error. The turn's Sent holds every delivery since before
// the dispatch, as when the handlers sent directly.
func (e *consultEnv) do(m *bot.Message) *bottest.Turn {
	e.t.Helper()
	return doAndFlush(e.t, e.ad, e.rt, e.app, m)
}

// doAndFlush dispatches m through d on ad, flushes app's outbox, and
// returns the turn with Sent set to the deliveries since before the
// dispatch. It fails the test on a dispatch or delivery error.
func doAndFlush(t *testing.T, ad *bottest.Adapter, d bot.Dispatcher, app *App, m *bot.Message) *bottest.Turn {
	t.Helper()
	before := len(ad.Sent())
	turn := ad.Do(context.Background(), d, m)
	if turn.Err != nil {
		t.Fatalf("dispatch %s %q: %v", m.Kind, m.Text+m.Command, turn.Err)
	}
	if err := app.Outbox().Flush(context.Background()); err != nil {
		t.Fatalf("flush outbox after %s %q: %v", m.Kind, m.Text+m.Command, err)
	}
	turn.Sent = ad.Sent()[before:]
	return turn
}

// ok dispatches m and fails if the bot answered with a refusal.
func (e *consultEnv) ok(m *bot.Message) *bottest.Turn {
	e.t.Helper()
	turn := e.do(m)
	if s := turn.Text(); strings.Contains(s, "⚠️") {
		e.t.Fatalf("%q refused: %s", m.Text+m.Command+" "+m.ArgText, s)
	}
	return turn
}

// refused dispatches m and returns the refusal text, failing if there is
// none.
func (e *consultEnv) refused(m *bot.Message) string {
	e.t.Helper()
	turn := e.do(m)
	s := turn.Text()
	if !strings.Contains(s, "⚠️") {
		e.t.Fatalf("%q was not refused; got %q", m.Text+m.Command+" "+m.ArgText, s)
	}
	return s
}

// user returns the store user for a name, creating them.
func (e *consultEnv) user(name string) store.User {
	e.t.Helper()
	u, _, err := e.st.EnsureUser(store.UserKey{Platform: bottest.Platform, Workspace: bottest.Workspace, PlatformID: name}, name, "ja")
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// mentor registers name as a mentor of the named topics.
func (e *consultEnv) mentor(name string, topics ...string) store.User {
	e.t.Helper()
	u := e.user(name)
	var ids []uint64
	for _, tn := range topics {
		tp, err := e.st.TopicByName(tn)
		if err != nil {
			e.t.Fatalf("topic %q: %v", tn, err)
		}
		ids = append(ids, tp.ID)
	}
	if _, err := e.st.PutMentor(store.Mentor{UserID: u.ID, Topics: ids, Message: name + "です"}); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// consultation loads consultation id.
func (e *consultEnv) consultation(id uint64) store.Consultation {
	e.t.Helper()
	c, err := e.st.Consultation(id)
	if err != nil {
		e.t.Fatalf("consultation %d: %v", id, err)
	}
	return c
}

// cardTo returns the consultation card delivered to user in the turn.
func cardTo(t *testing.T, turn *bottest.Turn, user string) bottest.Delivery {
	t.Helper()
	for _, d := range turn.Sent {
		if d.To.User == user && len(d.Reply.Buttons) > 0 {
			return d
		}
	}
	t.Fatalf("no card sent to %s; sent: %v", user, recipients(turn.Sent))
	return bottest.Delivery{}
}

// recipients lists who got each delivery.
func recipients(ds []bottest.Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.At.Channel)
	}
	return out
}

// deliveredText joins every delivery's words.
func deliveredText(ds []bottest.Delivery) string {
	var b strings.Builder
	for _, d := range ds {
		r := d.Reply
		b.WriteString(r.Title + "\n" + r.Text + "\n")
		for _, f := range r.Fields {
			b.WriteString(f.Label + ": " + f.Value + "\n")
		}
	}
	return b.String()
}

// inThread filters deliveries posted in a thread of a channel.
func inThread(ds []bottest.Delivery, channel, thread string) []bottest.Delivery {
	var out []bottest.Delivery
	for _, d := range ds {
		if d.At.Channel == channel && d.At.Thread == thread {
			out = append(out, d)
		}
	}
	return out
}
