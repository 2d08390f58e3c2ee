package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/internal/testclock"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
	"github.com/soudan/soudan/store/pgstore"
	"github.com/soudan/soudan/store/storetest"
)

// openReplicas opens n stores on one new PostgreSQL database, as n soudan
// replicas do, sharing one clock.
func openReplicas(t testing.TB, n int) ([]*store.Store, *testclock.Clock) {
	t.Helper()
	url := pgtest.URL(t)
	clk := testclock.New(t0)
	out := make([]*store.Store, n)
	for i := range out {
		s, err := pgstore.Open(url, store.Options{Now: clk.Now})
		if err != nil {
			t.Fatalf("open replica %d: %v", i, err)
		}
		t.Cleanup(func() { s.Close() })
		out[i] = s
	}
	return out, clk
}

// TestReplicasHandleAnEventOnce delivers the same platform events to two
// replicas at once (Slack retries to another connection, a load balancer
// spreading a redelivery): each event creates one consultation.
func TestReplicasHandleAnEventOnce(t *testing.T) {
	reps, _ := openReplicas(t, 2)
	const events = 40
	var mu sync.Mutex
	created := map[string]int{}
	var wg sync.WaitGroup
	for r, s := range reps {
		for g := range 2 {
			wg.Go(func() {
				for i := range events {
					id := fmt.Sprintf("Ev%03d", i)
					_, ok, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
						return tx.Consultations().Create(store.Consultation{AskerID: 1, EventID: id})
					})
					if err != nil {
						t.Errorf("replica %d/%d: create for %s: %v", r, g, id, err)
						return
					}
					if ok {
						mu.Lock()
						created[id]++
						mu.Unlock()
					}
				}
			})
		}
	}
	wg.Wait()
	for i := range events {
		if id := fmt.Sprintf("Ev%03d", i); created[id] != 1 {
			t.Errorf("event %s: created %d consultations, want 1", id, created[id])
		}
	}
	all := storetest.View(t, reps[1], func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByState() })
	if len(all) != events {
		t.Errorf("consultations stored: got %d, want %d", len(all), events)
	}
}

// TestReplicasClaimAPeriodOnce has four replicas claim the same job
// periods at once: one wins each period.
func TestReplicasClaimAPeriodOnce(t *testing.T) {
	reps, _ := openReplicas(t, 4)
	const periods = 12
	wins := make([]int, periods)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for r, s := range reps {
		wg.Go(func() {
			for p := range periods {
				key := fmt.Sprintf("survey:monthly:2027-%02d", p+1)
				won, err := storetest.Write(s, func(tx *store.Tx) (bool, error) { return tx.ClaimPeriod(key) })
				if err != nil {
					t.Errorf("replica %d: claim %s: %v", r, key, err)
					return
				}
				if won {
					mu.Lock()
					wins[p]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for p, n := range wins {
		if n != 1 {
			t.Errorf("period %d: claimed by %d replicas, want 1", p+1, n)
		}
	}
}

// TestReplicasClaimEachOutboxItemOnce has three replicas drain one outbox
// at once, two claimers each: every item is claimed once, leased to the
// replica that claimed it.
func TestReplicasClaimEachOutboxItemOnce(t *testing.T) {
	reps, _ := openReplicas(t, 3)
	const n = 150
	items := make([]store.OutboxItem, n)
	for i := range items {
		// Each its own conversation, so that no claim holds another back.
		items[i] = store.OutboxItem{Platform: "slack", Channel: fmt.Sprintf("C%03d", i), Payload: []byte(`{}`)}
	}
	storetest.MustUpdate(t, reps[0], func(tx *store.Tx) error {
		_, _, err := tx.Outbox().Enqueue(nil, items)
		return err
	})
	var mu sync.Mutex
	claimedBy := map[uint64][]string{}
	var wg sync.WaitGroup
	for r, s := range reps {
		owner := fmt.Sprintf("replica-%d", r)
		for range 2 {
			wg.Go(func() {
				for {
					got, err := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) {
						return tx.Outbox().Leased(owner, time.Minute).ClaimDue(time.Time{}, 4, nil)
					})
					if err != nil {
						t.Errorf("%s: claim: %v", owner, err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, it := range got {
						claimedBy[it.ID] = append(claimedBy[it.ID], owner)
						if it.Lease != owner || it.LeaseUntil.IsZero() {
							t.Errorf("item %d claimed by %s: lease %q until %v, want %s's", it.ID, owner, it.Lease, it.LeaseUntil, owner)
						}
					}
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if len(claimedBy) != n {
		t.Errorf("items claimed: got %d, want %d", len(claimedBy), n)
	}
	for id, by := range claimedBy {
		if len(by) != 1 {
			t.Errorf("item %d claimed %d times, by %v; want once", id, len(by), by)
		}
	}
}

// TestLapsedLeaseIsTakenOverOnce: a replica stops mid-send; once its lease
// lapses, two replicas take the item over at once and requeue it once;
// the late result of the first owner changes nothing, except a delivery.
func TestLapsedLeaseIsTakenOverOnce(t *testing.T) {
	reps, clk := openReplicas(t, 3)
	a, b, c := reps[0], reps[1], reps[2]
	storetest.MustUpdate(t, a, func(tx *store.Tx) error {
		_, _, err := tx.Outbox().Enqueue(nil, []store.OutboxItem{{Platform: "slack", Channel: "C1", Key: "k1", Payload: []byte(`{}`)}, {Platform: "slack", Channel: "C2", Key: "k2", Payload: []byte(`{}`)}})
		return err
	})
	claimed := storetest.Update(t, a, func(tx *store.Tx) ([]store.OutboxItem, error) {
		return tx.Outbox().Leased("a", time.Minute).ClaimDue(time.Time{}, 2, nil)
	})
	if len(claimed) != 2 {
		t.Fatalf("claim: got %d items, want 2", len(claimed))
	}
	lapsed := func(s *store.Store, owner string, own bool) []store.OutboxItem {
		return storetest.View(t, s, func(tx *store.Tx) ([]store.OutboxItem, error) {
			return tx.Outbox().Leased(owner, time.Minute).Lapsed(0, own)
		})
	}
	if got := lapsed(b, "b", true); len(got) != 0 {
		t.Errorf("lapsed before the lease ends: got %d items, want none", len(got))
	}
	if got := lapsed(a, "a", true); len(got) != 2 {
		t.Errorf("a's own at its restart: got %d items, want 2", len(got))
	}
	clk.Advance(61 * time.Second)
	// b and c both see the lapsed leases, then requeue them at once.
	type taker struct {
		s     *store.Store
		owner string
		items []store.OutboxItem
	}
	takers := []taker{{s: b, owner: "b"}, {s: c, owner: "c"}}
	for i, r := range takers {
		if takers[i].items = lapsed(r.s, r.owner, false); len(takers[i].items) != 2 {
			t.Fatalf("%s: lapsed after the lease: got %d items, want 2", r.owner, len(takers[i].items))
		}
	}
	var wg sync.WaitGroup
	for _, r := range takers {
		wg.Go(func() {
			res := make([]store.OutboxResult, len(r.items))
			for i, it := range r.items {
				res[i] = store.RetryResult(it.ID, "lease lapsed", it.NextAttempt, true)
				res[i].Attempt = it.Attempts
			}
			if _, err := storetest.Write(r.s, func(tx *store.Tx) ([]store.OutboxItem, error) {
				got, _, err := tx.Outbox().RecordResults(res)
				return got, err
			}); err != nil {
				t.Errorf("%s: requeue: %v", r.owner, err)
			}
		})
	}
	wg.Wait()
	// b claims them again: a second attempt, under b's lease.
	again := storetest.Update(t, b, func(tx *store.Tx) ([]store.OutboxItem, error) {
		return tx.Outbox().Leased("b", time.Minute).ClaimDue(time.Time{}, 2, nil)
	})
	if len(again) != 2 {
		t.Fatalf("claim after the take-over: got %d items, want 2", len(again))
	}
	for _, it := range again {
		if it.Attempts != 2 || it.Lease != "b" || !it.MaybeDelivered {
			t.Errorf("item %s after the take-over: attempts %d, lease %q, maybe delivered %t; want 2, b, true", it.Key, it.Attempts, it.Lease, it.MaybeDelivered)
		}
	}
	// a comes back with its results of the first claim: its failure is
	// stale and changes nothing; its delivery did land, and marks it sent.
	failed := store.FailedResult(claimed[0].ID, "timeout")
	failed.Attempt = claimed[0].Attempts
	sent := store.SentResult(claimed[1].ID, []byte(`"ts"`))
	sent.Attempt = claimed[1].Attempts
	got := storetest.Update(t, a, func(tx *store.Tx) ([]store.OutboxItem, error) {
		items, _, err := tx.Outbox().RecordResults([]store.OutboxResult{failed, sent})
		return items, err
	})
	if got[0].Status != store.OutboxSending || got[0].Lease != "b" {
		t.Errorf("after a's stale failure: item is %s leased to %q, want still sending under b", got[0].Status, got[0].Lease)
	}
	if got[1].Status != store.OutboxSent {
		t.Errorf("after a's stale delivery: item is %s, want sent", got[1].Status)
	}
	if doubt := storetest.View(t, b, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().InDoubt() }); len(doubt) != 1 || doubt[0].ID != claimed[0].ID {
		t.Errorf("sending after a's results: got %d items, want only %s under b", len(doubt), claimed[0].Key)
	}
}
