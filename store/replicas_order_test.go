package store_test

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestReplicasHoldAStreamWhileAnotherSends: replica a claims the first
// item of a thread and is sending it; replica b, asked for due items,
// must not claim the thread's second item before a's result is recorded,
// though it may claim another thread's. Once a's send is settled, b takes
// the second item.
func TestReplicasHoldAStreamWhileAnotherSends(t *testing.T) {
	reps, _ := openReplicas(t, 2)
	a, b := reps[0], reps[1]
	storetest.MustUpdate(t, a, func(tx *store.Tx) error {
		_, _, err := tx.Outbox().Enqueue(nil, []store.OutboxItem{
			{Platform: "slack", Channel: "C1", Thread: "100.1", Key: "t1-1", Payload: []byte(`1`)},
			{Platform: "slack", Channel: "C1", Thread: "100.1", Key: "t1-2", Payload: []byte(`2`)},
			{Platform: "slack", Channel: "C1", Key: "top-1", Payload: []byte(`3`)},
			{Platform: "slack", Channel: "C1", Thread: "200.2", Key: "t2-1", Payload: []byte(`4`)},
		})
		return err
	})
	claim := func(s *store.Store, owner string, n int) []string {
		t.Helper()
		got := storetest.Update(t, s, func(tx *store.Tx) ([]store.OutboxItem, error) {
			return tx.Outbox().Leased(owner, time.Minute).ClaimDue(time.Time{}, n, nil)
		})
		var keys []string
		for _, it := range got {
			keys = append(keys, it.Key)
		}
		return keys
	}
	first := storetest.Update(t, a, func(tx *store.Tx) ([]store.OutboxItem, error) {
		return tx.Outbox().Leased("a", time.Minute).ClaimDue(time.Time{}, 1, nil)
	})
	if len(first) != 1 || first[0].Key != "t1-1" {
		t.Fatalf("a's claim: got %v, want t1-1", first)
	}
	// The channel's top level and the other thread are streams of their
	// own: b sends them while a sends into thread 100.1.
	if got, want := claim(b, "b", 10), []string{"top-1", "t2-1"}; !slices.Equal(got, want) {
		t.Fatalf("b's claim while a sends t1-1: got %v, want %v (t1-2 waits for t1-1)", got, want)
	}
	if got := claim(b, "b", 10); len(got) != 0 {
		t.Fatalf("b's second claim: got %v, want nothing", got)
	}
	storetest.MustUpdate(t, a, func(tx *store.Tx) error {
		_, err := tx.Outbox().MarkSent(first[0].ID, []byte(`"1.1"`))
		return err
	})
	if got, want := claim(b, "b", 10), []string{"t1-2"}; !slices.Equal(got, want) {
		t.Errorf("b's claim after t1-1 was sent: got %v, want %v", got, want)
	}
}

// TestReplicasKeepEachStreamsOrder has three replicas, two workers each,
// drain one outbox of several threads at once, each worker taking at most
// one item of a stream per claim as the outbox worker does, and "sending"
// by appending to the stream's log before recording the result: every
// stream's log comes out in the order its items were enqueued, one send
// at a time.
func TestReplicasKeepEachStreamsOrder(t *testing.T) {
	reps, _ := openReplicas(t, 3)
	const streams, per = 6, 8
	var items []store.OutboxItem
	for i := range per {
		for s := range streams {
			items = append(items, store.OutboxItem{
				Platform: "slack", Channel: "C1", Thread: fmt.Sprintf("%d.0", s),
				Key: fmt.Sprintf("s%d-%02d", s, i), Payload: []byte(`{}`),
			})
		}
	}
	storetest.MustUpdate(t, reps[0], func(tx *store.Tx) error {
		_, _, err := tx.Outbox().Enqueue(nil, items)
		return err
	})
	var (
		mu      sync.Mutex
		logs    = map[string][]string{}
		sending = map[string]string{} // stream -> the key being sent
	)
	var wg sync.WaitGroup
	for r, s := range reps {
		owner := fmt.Sprintf("replica-%d", r)
		for range 2 {
			wg.Go(func() {
				for idle := 0; idle < 3; {
					got, err := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) {
						seen := map[string]bool{}
						return tx.Outbox().Leased(owner, time.Minute).ClaimDue(time.Time{}, 2, func(it store.OutboxItem) bool {
							if seen[it.Stream()] {
								return false
							}
							seen[it.Stream()] = true
							return true
						})
					})
					if err != nil {
						t.Errorf("%s: claim: %v", owner, err)
						return
					}
					if len(got) == 0 {
						idle++
						time.Sleep(5 * time.Millisecond)
						continue
					}
					idle = 0
					for _, it := range got {
						// it is sending from its claim's commit to its
						// result's: two items of a stream in that state at
						// once is two sends of the stream in flight.
						mu.Lock()
						if other, busy := sending[it.Stream()]; busy {
							t.Errorf("%s claimed %s while %s of its stream is in flight", owner, it.Key, other)
						}
						sending[it.Stream()] = it.Key
						logs[it.Stream()] = append(logs[it.Stream()], it.Key)
						mu.Unlock()
					}
					for _, it := range got {
						time.Sleep(20 * time.Millisecond) // the platform answers
						mu.Lock()
						delete(sending, it.Stream())
						mu.Unlock()
						res := store.SentResult(it.ID, []byte(`"ts"`))
						res.Attempt = it.Attempts
						if _, err := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) {
							got, _, err := tx.Outbox().RecordResults([]store.OutboxResult{res})
							return got, err
						}); err != nil {
							t.Errorf("%s: record %s: %v", owner, it.Key, err)
						}
					}
				}
			})
		}
	}
	wg.Wait()
	if len(logs) != streams {
		t.Fatalf("streams sent: got %d, want %d", len(logs), streams)
	}
	for st, keys := range logs {
		if len(keys) != per || !slices.IsSorted(keys) {
			t.Errorf("stream %q sent %v, want its %d items once each, in order", st, keys, per)
		}
	}
}

// BenchmarkReplicasClaim drains, per iteration, 120 items over 40
// threads with three replicas of two workers each, as
// TestReplicasKeepEachStreamsOrder does, and reports the serialization
// retries per claim (the claim function's runs beyond the first): what
// the replicas' claims cost each other.
func BenchmarkReplicasClaim(b *testing.B) {
	reps, _ := openReplicas(b, 3)
	var claims, runs, round atomic.Int64
	for b.Loop() {
		r := round.Add(1)
		var items []store.OutboxItem
		for i := range 3 {
			for s := range 40 {
				items = append(items, store.OutboxItem{Platform: "slack", Channel: "C1", Thread: fmt.Sprintf("%d.%d", r, s),
					Key: fmt.Sprintf("r%d-s%d-%d", r, s, i), Payload: []byte(`{}`)})
			}
		}
		storetest.MustUpdate(b, reps[0], func(tx *store.Tx) error {
			_, _, err := tx.Outbox().Enqueue(nil, items)
			return err
		})
		var wg sync.WaitGroup
		for w, s := range reps {
			owner := fmt.Sprintf("replica-%d", w)
			for range 2 {
				wg.Go(func() {
					for idle := 0; idle < 3; {
						got, err := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) {
							runs.Add(1)
							seen := map[string]bool{}
							return tx.Outbox().Leased(owner, time.Minute).ClaimDue(time.Time{}, 4, func(it store.OutboxItem) bool {
								ok := !seen[it.Stream()]
								seen[it.Stream()] = true
								return ok
							})
						})
						if err != nil {
							b.Error(err)
							return
						}
						claims.Add(1)
						if len(got) == 0 {
							idle++
							time.Sleep(2 * time.Millisecond)
							continue
						}
						idle = 0
						res := make([]store.OutboxResult, len(got))
						for i, it := range got {
							res[i] = store.SentResult(it.ID, []byte(`"ts"`))
							res[i].Attempt = it.Attempts
						}
						if _, err := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) {
							got, _, err := tx.Outbox().RecordResults(res)
							return got, err
						}); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
		}
		wg.Wait()
	}
	b.ReportMetric(float64(runs.Load()-claims.Load())/float64(claims.Load()), "retries/claim")
	b.ReportMetric(float64(claims.Load())/float64(b.N), "claims/op")
}
