package inbox_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/internal/inbox"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
	"github.com/soudan/soudan/store/pgstore"
)

// TestALapsedReplicasEventsAreHandledOnceByTheOthers: replica a records
// two events, acknowledges them and stops (killed, or cut off from the
// database); b and c, running, notice its heartbeat lapse and handle each
// of its events exactly once between them; a live replica's events are
// left alone, and b's start takes nothing of a while a was alive.
func TestALapsedReplicasEventsAreHandledOnceByTheOthers(t *testing.T) {
	url := pgtest.URL(t)
	open := func() *store.Store {
		st, err := pgstore.Open(url, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	const hb = 600 * time.Millisecond
	replica := func(name string, d bot.Dispatcher) *inbox.Inbox {
		in, err := inbox.New(inbox.Options{Store: open(), Dispatcher: d, Replica: name, Heartbeat: hb})
		if err != nil {
			t.Fatal(err)
		}
		if pending, err := in.Pending(); err != nil || len(pending) != 0 {
			t.Fatalf("%s's start: pending %d, %v; want nothing", name, len(pending), err)
		}
		return in
	}
	a := replica("a", &recorder{})
	for _, id := range []string{"Ev1", "Ev2"} {
		if first, err := a.Record(context.Background(), msg(id), []byte("origin-"+id)); err != nil || !first {
			t.Fatalf("a records %s: %t, %v", id, first, err)
		}
	}
	recB, recC := &recorder{}, &recorder{}
	b, c := replica("b", recB), replica("c", recC)
	if first, err := c.Record(context.Background(), msg("Ev3"), nil); err != nil || !first {
		t.Fatalf("c records Ev3: %t, %v", first, err)
	}
	if b.Depth() != 0 {
		t.Errorf("b's depth at start = %d, want 0 (a's and c's events are theirs)", b.Depth())
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, in := range []*inbox.Inbox{b, c} {
		wg.Go(func() { in.KeepAlive(ctx, map[string]bot.Adapter{"slack": &resumer{}}) })
	}
	deadline := time.Now().Add(10 * time.Second)
	var all []string
	for time.Now().Before(deadline) {
		all = append(recB.handled(), recC.handled()...)
		if len(all) >= 2 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Two more heartbeats: a second take-over would show by now.
	time.Sleep(2 * hb / 3)
	cancel()
	wg.Wait()
	all = append(recB.handled(), recC.handled()...)
	slices.Sort(all)
	if !slices.Equal(all, []string{"Ev1", "Ev2"}) {
		t.Errorf("handled by b %v and c %v; want a's Ev1 and Ev2 once each, and not c's own Ev3", recB.handled(), recC.handled())
	}
	if b.Depth() != 0 || c.Depth() != 1 {
		t.Errorf("depths after the take-over: b %d + c %d, want c's own Ev3 only", b.Depth(), c.Depth())
	}
}
