package inbox_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/internal/inbox"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/storetest"
)

// recorder is a dispatcher that remembers what it handled.
type recorder struct {
	mu  sync.Mutex
	ids []string
}

func (r *recorder) Dispatch(_ context.Context, m *bot.Message, _ bot.Responder) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ids = append(r.ids, m.ID)
	return nil
}

// handled is what the recorder handled so far.
func (r *recorder) handled() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.ids)
}

func msg(id string) *bot.Message {
	return &bot.Message{ID: id, Kind: bot.KindPost, Text: "相談です", User: bot.User{ID: "U1"},
		Address: bot.Address{Platform: "slack", Workspace: "T1", Channel: "C1"}}
}

func TestRecordDedupesRetriesAndPushesBackWhenFull(t *testing.T) {
	st := storetest.MustOpen(t)
	in, err := inbox.New(inbox.Options{Store: st, Dispatcher: &recorder{}, MaxDepth: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, b, c := msg("Ev1"), msg("Ev2"), msg("Ev3")
	for _, m := range []*bot.Message{a, b} {
		if first, err := in.Record(ctx, m, nil); err != nil || !first {
			t.Fatalf("Record(%s) = %v, %v; want recorded", m.ID, first, err)
		}
	}
	if first, err := in.Record(ctx, msg("Ev1"), nil); err != nil && !errors.Is(err, bot.ErrBusy) || first {
		t.Errorf("a retry of Ev1 = %v, %v; want not recorded again", first, err)
	}
	if _, err := in.Record(ctx, c, nil); !errors.Is(err, bot.ErrBusy) {
		t.Fatalf("a third event with depth 2 = %v, want bot.ErrBusy", err)
	}
	// Handling one frees room: Dispatch drops its entry once the router
	// returns.
	if err := in.Dispatch(ctx, a, nil); err != nil {
		t.Fatal(err)
	}
	if es, err := st.Inbox().Entries(); err != nil || len(es) != 1 || es[0].Key != b.Inbox {
		t.Fatalf("inbox after handling Ev1 = %+v, %v; want only Ev2's entry", es, err)
	}
	if first, err := in.Record(ctx, c, nil); err != nil || !first {
		t.Errorf("Record(Ev3) after one was handled = %v, %v; want recorded", first, err)
	}
	if got := in.Depth(); got != 2 {
		t.Errorf("Depth = %d, want 2 (Ev2, Ev3)", got)
	}
}

// A retry of an event handled already is not recorded again.
func TestRecordDropsARetryOfAHandledEvent(t *testing.T) {
	st := storetest.MustOpen(t)
	in, err := inbox.New(inbox.Options{Store: st, Dispatcher: &recorder{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(func(tx *store.Tx) error { return tx.Events().Finish("Ev9") }); err != nil {
		t.Fatal(err)
	}
	if first, err := in.Record(context.Background(), msg("Ev9"), nil); err != nil || first {
		t.Errorf("Record of a handled event = %v, %v; want dropped", first, err)
	}
}

// What one run recorded and did not handle, the next run's Resume hands
// to the adapter of its platform, in arrival order, with its inbox key.
func TestResumeHandsRecordedEventsToTheirAdapter(t *testing.T) {
	st := storetest.MustOpen(t)
	first, err := inbox.New(inbox.Options{Store: st, Dispatcher: &recorder{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"Ev1", "Ev2"} {
		if _, err := first.Record(context.Background(), msg(id), []byte("origin-"+id)); err != nil {
			t.Fatal(err)
		}
	}
	// The process dies; a new one starts on the same file.
	rec := &recorder{}
	second, err := inbox.New(inbox.Options{Store: st, Dispatcher: rec})
	if err != nil {
		t.Fatal(err)
	}
	if second.Depth() != 2 {
		t.Errorf("Depth at start = %d, want the 2 left", second.Depth())
	}
	pending, err := second.Pending()
	if err != nil || len(pending) != 2 {
		t.Fatalf("Pending = %d, %v; want 2", len(pending), err)
	}
	ad := &resumer{}
	if n := second.Resume(context.Background(), pending, map[string]bot.Adapter{"slack": ad}); n != 2 {
		t.Errorf("Resume handled %d, want 2", n)
	}
	if got := ad.got; len(got) != 2 || got[0] != "Ev1 slack:Ev1 origin-Ev1" || got[1] != "Ev2 slack:Ev2 origin-Ev2" {
		t.Errorf("resumed %q, want Ev1 then Ev2 with their keys and origins", got)
	}
	if len(rec.ids) != 2 || second.Depth() != 0 {
		t.Errorf("dispatched %v, depth %d; want both through the router and depth 0", rec.ids, second.Depth())
	}
}

// resumer is an adapter that resumes through the dispatcher it is given.
type resumer struct {
	bot.Adapter
	got []string
}

func (r *resumer) Platform() string { return "slack" }

func (r *resumer) Resume(ctx context.Context, d bot.Dispatcher, m *bot.Message, origin []byte) error {
	r.got = append(r.got, m.ID+" "+m.Inbox+" "+string(origin))
	return d.Dispatch(ctx, m, nil)
}

// OnReceive is told of every event offered, retries and refusals too, by
// platform and kind.
func TestOnReceiveCountsEveryOffer(t *testing.T) {
	st := storetest.MustOpen(t)
	var got []string
	in, err := inbox.New(inbox.Options{Store: st, Dispatcher: &recorder{}, MaxDepth: 1,
		OnReceive: func(platform, kind string) { got = append(got, platform+" "+kind) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, _ = in.Record(ctx, msg("Ev1"), nil)
	_, _ = in.Record(ctx, msg("Ev1"), nil) // a retry
	_, _ = in.Record(ctx, msg("Ev2"), nil) // refused: full
	if want := []string{"slack post", "slack post", "slack post"}; !slices.Equal(got, want) {
		t.Errorf("OnReceive = %q, want %q", got, want)
	}
}

// A run killed between the handler's commit (the event's done mark, in
// the data store) and the entry's removal (in the inbox's own store)
// leaves an entry whose event is done: the next run drops it instead of
// handling it again, and counts it out of the depth.
func TestPendingDropsEntriesWhoseEventIsDone(t *testing.T) {
	st := storetest.MustOpen(t)
	first, err := inbox.New(inbox.Options{Store: st, Dispatcher: &recorder{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"Ev1", "Ev2"} {
		if _, err := first.Record(context.Background(), msg(id), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Update(func(tx *store.Tx) error { return tx.Events().Finish("Ev1") }); err != nil {
		t.Fatal(err)
	}
	second, err := inbox.New(inbox.Options{Store: st, Dispatcher: &recorder{}})
	if err != nil {
		t.Fatal(err)
	}
	pending, err := second.Pending()
	if err != nil || len(pending) != 1 || pending[0].Key != "slack:Ev2" {
		t.Fatalf("Pending = %+v, %v; want only slack:Ev2", pending, err)
	}
	if second.Depth() != 1 {
		t.Errorf("Depth = %d, want 1", second.Depth())
	}
	if es, err := st.Inbox().Entries(); err != nil || len(es) != 1 {
		t.Errorf("inbox on disk = %+v, %v; want Ev1's entry gone", es, err)
	}
}

// failing is a dispatcher whose handler fails with err.
type failing struct{ err error }

func (f failing) Dispatch(context.Context, *bot.Message, bot.Responder) error { return f.err }

// A handler that fails for a defect loses its entry (the platform's retry
// handles it again, not a loop of restarts); one that fails because the
// run is stopping keeps it on disk for the next start, out of this run's
// depth.
func TestDispatchKeepsTheEntryOnlyWhenTheRunCannotHandleIt(t *testing.T) {
	st := storetest.MustOpen(t)
	defect := errors.New("ぬるぽ")
	in, err := inbox.New(inbox.Options{Store: st, Dispatcher: failing{defect}})
	if err != nil {
		t.Fatal(err)
	}
	a, b := msg("Ev1"), msg("Ev2")
	for _, m := range []*bot.Message{a, b} {
		if _, err := in.Record(context.Background(), m, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := in.Dispatch(context.Background(), a, nil); !errors.Is(err, defect) {
		t.Fatalf("Dispatch = %v, want the handler's error", err)
	}
	stopping, cancel := context.WithCancel(context.Background())
	cancel()
	if err := in.Dispatch(stopping, b, nil); !errors.Is(err, defect) {
		t.Fatalf("Dispatch while stopping = %v, want the handler's error", err)
	}
	es, err := st.Inbox().Entries()
	if err != nil || len(es) != 1 || es[0].Key != b.Inbox {
		t.Errorf("inbox = %+v, %v; want only Ev2's entry, kept for the next start", es, err)
	}
	if in.Depth() != 0 {
		t.Errorf("Depth = %d, want 0", in.Depth())
	}
}

// outage is a database that goes away: while down, its Ping fails and so
// does every handler (the router's commit); up again, they succeed.
type outage struct {
	down atomic.Bool
	rec  recorder
}

func (o *outage) Ping(context.Context) error {
	if o.down.Load() {
		return errors.New("connect: connection refused")
	}
	return nil
}

func (o *outage) Dispatch(ctx context.Context, m *bot.Message, r bot.Responder) error {
	if o.down.Load() {
		return errors.New("pgkv: connect: connection refused")
	}
	return o.rec.Dispatch(ctx, m, r)
}

// An event acknowledged while the database is down is kept, not dropped,
// and handled by the same run once the database answers again: no
// restart needed, and no other run's entries taken.
func TestKeptEntriesAreHandledWhenTheDatabaseIsBack(t *testing.T) {
	st := storetest.MustOpen(t)
	db := &outage{}
	in, err := inbox.New(inbox.Options{Store: st, Dispatcher: db, Ping: db.Ping})
	if err != nil {
		t.Fatal(err)
	}
	// Another run's entry, left on disk: not this run's to retry.
	other, err := inbox.New(inbox.Options{Store: st, Dispatcher: db, Ping: db.Ping})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Record(context.Background(), msg("EvOther"), nil); err != nil {
		t.Fatal(err)
	}
	db.down.Store(true)
	a := msg("Ev1")
	if _, err := in.Record(context.Background(), a, []byte("origin-Ev1")); err != nil {
		t.Fatal(err)
	}
	if err := in.Dispatch(context.Background(), a, nil); err == nil {
		t.Fatal("Dispatch succeeded with the database down")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ad := &resumer{}
	done := make(chan struct{})
	go func() { in.RetryKept(ctx, map[string]bot.Adapter{"slack": ad}, time.Millisecond); close(done) }()
	time.Sleep(20 * time.Millisecond) // passes while down: nothing handled
	if got := db.rec.handled(); len(got) != 0 {
		t.Fatalf("handled %v while the database was down", got)
	}
	db.down.Store(false)
	deadline := time.Now().Add(5 * time.Second)
	for len(db.rec.handled()) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if got := db.rec.handled(); !slices.Equal(got, []string{"Ev1"}) {
		t.Errorf("handled %v once the database was back, want [Ev1] only (EvOther is another run's)", got)
	}
	es, err := st.Inbox().Entries()
	if err != nil || len(es) != 1 || es[0].Key != "slack:EvOther" {
		t.Errorf("inbox = %+v, %v; want only the other run's entry", es, err)
	}
}

// A handler that failed for a passing failure of the database (its
// transaction kept losing to other replicas', or the database did not
// answer) keeps its entry though the database answers a ping: the event
// is handled again, not dropped as a defect.
func TestDispatchKeepsTheEntryOfAPassingDatabaseFailure(t *testing.T) {
	st := storetest.MustOpen(t)
	conflict := fmt.Errorf("ask: pgkv: gave up after 30 attempts: %w", kv.ErrConflict)
	in, err := inbox.New(inbox.Options{Store: st, Dispatcher: failing{conflict}, Ping: func(context.Context) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	m := msg("Ev1")
	if _, err := in.Record(context.Background(), m, nil); err != nil {
		t.Fatal(err)
	}
	if err := in.Dispatch(context.Background(), m, nil); !errors.Is(err, kv.ErrConflict) {
		t.Fatalf("Dispatch = %v, want the handler's error", err)
	}
	es, err := st.Inbox().Entries()
	if err != nil || len(es) != 1 || es[0].Key != m.Inbox {
		t.Errorf("inbox = %+v, %v; want Ev1's entry kept", es, err)
	}
}
