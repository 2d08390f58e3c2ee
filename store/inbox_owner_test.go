package store_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

const heartbeat = 15 * time.Second

// recordAs records key in the inbox of replica owner.
func recordAs(t *testing.T, in store.Inbox, key string) {
	t.Helper()
	e, first, err := in.Record(store.InboxEntry{Key: key, Platform: "slack", Message: []byte(`{}`)})
	if err != nil || !first {
		t.Fatalf("%s: record %s: first %t, %v", in.Owner(), key, first, err)
	}
	if e.Owner != in.Owner() {
		t.Errorf("%s: recorded %s owned by %q", in.Owner(), key, e.Owner)
	}
}

// keysOf lists the entries' keys in order.
func keysOf(es []store.InboxEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Key)
	}
	return out
}

// TestInboxEntriesBelongToTheirReplica: three replicas on one database
// record events; a replica that starts takes its own leftovers and never
// a live replica's; once a replica's heartbeat lapses, the two others
// taking over at once take each of its entries exactly once.
func TestInboxEntriesBelongToTheirReplica(t *testing.T) {
	reps, clk := openReplicas(t, 3)
	a, b, c := reps[0].Inbox().Owned("a"), reps[1].Inbox().Owned("b"), reps[2].Inbox().Owned("c")
	for _, in := range []store.Inbox{a, b, c} {
		if err := in.Beat(heartbeat); err != nil {
			t.Fatal(err)
		}
	}
	recordAs(t, a, "slack:A1")
	recordAs(t, a, "slack:A2")
	recordAs(t, b, "slack:B1")
	// Another replica's retry of a's event records nothing: a has it.
	if _, first, err := c.Record(store.InboxEntry{Key: "slack:A1", Platform: "slack"}); err != nil || first {
		t.Fatalf("c records a's event again: first %t, %v; want false", first, err)
	}

	// c starts (again): nothing of its own, a and b are alive.
	if got, err := c.Take(); err != nil || len(got) != 0 {
		t.Fatalf("c's start takes %v, %v; want nothing of live replicas", keysOf(got), err)
	}
	// a restarts under its name within its heartbeat: its own, not b's.
	if got, err := a.Take(); err != nil || !slices.Equal(keysOf(got), []string{"slack:A1", "slack:A2"}) {
		t.Fatalf("a's restart takes %v, %v; want [slack:A1 slack:A2]", keysOf(got), err)
	}
	// While every replica is alive, a running replica takes its own only.
	if got, err := b.Take(); err != nil || !slices.Equal(keysOf(got), []string{"slack:B1"}) {
		t.Fatalf("b takes %v, %v while a is alive; want its own slack:B1", keysOf(got), err)
	}

	// a stops beating (stopped, or cut off from the database); b and c go
	// on and look for lapsed replicas at once.
	clk.Advance(heartbeat + time.Second)
	for _, in := range []store.Inbox{b, c} {
		if err := in.Beat(heartbeat); err != nil {
			t.Fatal(err)
		}
	}
	var (
		mu    sync.Mutex
		taken = map[string][]string{}
		wg    sync.WaitGroup
	)
	for _, in := range []store.Inbox{b, c} {
		wg.Go(func() {
			got, err := in.Take()
			if err != nil {
				t.Errorf("%s takes over: %v", in.Owner(), err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, e := range got {
				taken[e.Key] = append(taken[e.Key], in.Owner())
				if e.Owner != in.Owner() {
					t.Errorf("%s took %s, handed over as %q's", in.Owner(), e.Key, e.Owner)
				}
			}
		})
	}
	wg.Wait()
	for _, k := range []string{"slack:A1", "slack:A2"} {
		if len(taken[k]) != 1 {
			t.Errorf("%s taken over by %v, want exactly one replica", k, taken[k])
		}
	}
	if by := taken["slack:B1"]; len(by) != 1 || by[0] != "b" {
		t.Errorf("live b's slack:B1 taken by %v, want b only", by)
	}
	// The entries are stored as the new owner's: a's later start, or a
	// second look, takes them from no one.
	es, err := reps[0].Inbox().Entries()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if want := taken[e.Key]; len(want) == 1 && e.Owner != want[0] {
			t.Errorf("%s stored as %q's, want %s's", e.Key, e.Owner, want[0])
		}
	}
	if err := a.Beat(heartbeat); err != nil {
		t.Fatal(err)
	}
	if got, err := a.Take(); err != nil || len(got) != 0 {
		t.Errorf("a back: takes %v, %v; want nothing (taken over)", keysOf(got), err)
	}
	var byC []string
	for _, k := range []string{"slack:A1", "slack:A2"} {
		if by := taken[k]; len(by) == 1 && by[0] == "c" {
			byC = append(byC, k)
		}
	}
	if got, err := c.Take(); err != nil || !slices.Equal(keysOf(got), byC) {
		t.Errorf("c looks again: takes %v, %v; want only what it took over, %v", keysOf(got), err, byC)
	}
}

// TestInboxWithoutOwnerTakesEverything: a single process (bbolt) owns
// every entry; a replica's start takes the ownerless ones (an older
// soudan's) and makes them its own.
func TestInboxWithoutOwnerTakesEverything(t *testing.T) {
	s := storetest.MustOpen(t)
	record(t, s, "slack:1")
	record(t, s, "slack:2")
	got, err := s.Inbox().Take()
	if err != nil || !slices.Equal(keysOf(got), []string{"slack:1", "slack:2"}) {
		t.Fatalf("Take = %v, %v; want both", keysOf(got), err)
	}
	if got[0].Owner != "" {
		t.Errorf("owner on one process: %q, want none", got[0].Owner)
	}
	if err := s.Inbox().Beat(heartbeat); err != nil {
		t.Errorf("Beat without an owner: %v", err)
	}

	reps, _ := openReplicas(t, 1)
	old := reps[0].Inbox()
	recordAs(t, old, "slack:old")
	mine := reps[0].Inbox().Owned("r1")
	if err := mine.Beat(heartbeat); err != nil {
		t.Fatal(err)
	}
	got, err = mine.Take()
	if err != nil || !slices.Equal(keysOf(got), []string{"slack:old"}) || got[0].Owner != "r1" {
		t.Fatalf("r1's start: takes %v, %v; want slack:old, now r1's", keysOf(got), err)
	}
	// Now r1's: another replica starting does not take it too.
	other := reps[0].Inbox().Owned("r2")
	if err := other.Beat(heartbeat); err != nil {
		t.Fatal(err)
	}
	if got, err := other.Take(); err != nil || len(got) != 0 {
		t.Errorf("r2's start: takes %v, %v; want nothing of live r1", keysOf(got), err)
	}
}
