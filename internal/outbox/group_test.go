package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/internal/outbox"
	"github.com/soudan/soudan/internal/testclock"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// countingStore counts the write transactions a worker asks of the store
// and can refuse to record results, as a process that dies between a send
// and its record never does.
type countingStore struct {
	outbox.Store
	mu      sync.Mutex
	claims  int
	records int
	results int
	// refuse, when set, decides whether a group of results fails without
	// anything being written.
	refuse func(results []store.OutboxResult) bool
}

func (s *countingStore) ClaimDue(now time.Time, n int, c outbox.Claim) ([]store.OutboxItem, error) {
	s.mu.Lock()
	s.claims++
	s.mu.Unlock()
	return s.Store.ClaimDue(now, n, c)
}

func (s *countingStore) RecordResults(results []store.OutboxResult, also func(*store.Tx) error) ([]store.OutboxItem, []store.OutboxBatch, error) {
	s.mu.Lock()
	refuse := s.refuse != nil && s.refuse(results)
	if !refuse {
		s.records++
		s.results += len(results)
	}
	s.mu.Unlock()
	if refuse {
		return nil, nil, errors.New("the process died before recording")
	}
	return s.Store.RecordResults(results, also)
}

// counts returns the claims, the RecordResults calls and the results they
// recorded.
func (s *countingStore) counts() (claims, records, results int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.claims, s.records, s.results
}

// runUntil runs w until cond holds, then stops it and waits for Run.
func runUntil(t *testing.T, w *outbox.Worker, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	waitFor(t, cond)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
}

// dms are n messages to n users' DMs.
func dms(n int) []outbox.Message {
	msgs := make([]outbox.Message, n)
	for i := range msgs {
		msgs[i] = dmTo(fmt.Sprintf("U%d", i), fmt.Sprintf("k%03d", i), "x")
	}
	return msgs
}

func TestRunClaimsAndRecordsInGroups(t *testing.T) {
	const n = 300
	cs := &countingStore{}
	var batchDone []store.OutboxBatch
	e := newEnv(t, func(o *outbox.Options) {
		o.Now, o.Concurrency = nil, 32
		cs.Store = o.Store
		o.Store = cs
		o.OnBatchDone = func(_ context.Context, b store.OutboxBatch) { batchDone = append(batchDone, b) }
	})
	e.p.hold = 2 * time.Millisecond
	b, err := e.w.Enqueue(context.Background(), &store.OutboxBatch{Kind: "broadcast"}, dms(n))
	if err != nil {
		t.Fatal(err)
	}
	runUntil(t, e.w, func() bool {
		got, _ := storetest.Read(e.st, func(tx *store.Tx) (store.OutboxBatch, error) { return tx.Outbox().Batch(b.ID) })
		return got.Status == store.BatchDone
	})
	claims, records, results := cs.counts()
	if results != n || len(e.p.Posts()) != n {
		t.Fatalf("recorded %d results of %d posts, want %d of %d", results, len(e.p.Posts()), n, n)
	}
	// One claim and one record per message were 2 transactions a message;
	// in groups they are a fraction of one.
	if per := float64(claims+records) / n; per > 0.5 {
		t.Errorf("%d claims + %d records for %d messages = %.2f transactions a message, want at most 0.5", claims, records, n, per)
	}
	t.Logf("%d messages: %d claims, %d records (%.3f transactions a message)", n, claims, records, float64(claims+records)/n)
	if len(batchDone) != 1 || batchDone[0].Counts.Sent != n {
		t.Errorf("OnBatchDone calls = %+v, want one with %d sent", batchDone, n)
	}
}

func TestAGroupThatCannotBeRecordedIsRecordedOneByOne(t *testing.T) {
	cs := &countingStore{refuse: func(r []store.OutboxResult) bool { return len(r) > 1 }}
	e := newEnv(t, func(o *outbox.Options) {
		o.Now, o.Concurrency = nil, 8
		cs.Store = o.Store
		o.Store = cs
	})
	e.p.hold = 5 * time.Millisecond
	e.enqueue(dms(40)...)
	runUntil(t, e.w, func() bool { return len(e.p.Posts()) == 40 })
	for i := range 40 {
		if it := e.item(fmt.Sprintf("k%03d", i)); it.Status != store.OutboxSent || it.Attempts != 1 {
			t.Errorf("k%03d = %s after %d attempts, want sent once", i, it.Status, it.Attempts)
		}
	}
}

func TestACrashBetweenSendAndRecordIsCheckedNotResent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	clk := testclock.New(t0)
	st, err := store.Open(path, store.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	p := newPlatform()
	p.hold = time.Millisecond
	// The process posts every message and dies before recording any.
	dead := &countingStore{Store: outbox.Transactional(st), refuse: func([]store.OutboxResult) bool { return true }}
	w, err := outbox.New(outbox.Options{Store: dead, Sender: p, Now: clk.Now, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Enqueue(context.Background(), nil, dms(10)); err != nil {
		t.Fatal(err)
	}
	runUntil(t, w, func() bool { return len(p.Posts()) == 10 })
	if doubt, err := storetest.Read(st, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().InDoubt() }); err != nil || len(doubt) != 10 {
		t.Fatalf("in doubt after the crash = %d, %v; want all 10 sending", len(doubt), err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// The restart checks each item with the platform and finds it posted.
	if st, err = store.Open(path, store.Options{Now: clk.Now}); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if w, err = outbox.New(outbox.Options{Store: outbox.Transactional(st), Sender: p, Now: clk.Now}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(p.Posts()); n != 10 || p.checks != 10 {
		t.Errorf("after the restart: %d posts, %d checks; want 10 (none resent), 10", n, p.checks)
	}
	for i := range 10 {
		it, err := storetest.Read(st, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().ItemByKey(fmt.Sprintf("k%03d", i)) })
		if err != nil || it.Status != store.OutboxSent || it.Attempts != 2 {
			t.Errorf("k%03d = %s after %d attempts, %v; want sent, found by the check on attempt 2", i, it.Status, it.Attempts, err)
		}
	}
}

// Items queued for a platform whose rate across the app is spent cost no
// claim each: WakeFor waits for the rate, as the backlog of a busy bot
// would otherwise be walked once per question.
func TestWakeForAPlatformAtItsRateClaimsNothing(t *testing.T) {
	cs := &countingStore{}
	e := newEnv(t, func(o *outbox.Options) {
		o.Now = nil
		o.Limits = map[string]outbox.Limit{"slack": {PerSecond: 1, Burst: 1}}
		cs.Store = o.Store
		o.Store = cs
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error)
	go func() { done <- e.w.Run(ctx) }()
	e.enqueue(dmTo("U0", "k0", "x"), dmTo("U1", "k1", "x")) // one sent, one waits for the rate
	waitFor(t, func() bool { return len(e.p.Posts()) == 1 })
	time.Sleep(50 * time.Millisecond) // the second claim found the rate spent
	before, _, _ := cs.counts()
	for i := range 50 {
		if _, _, err := storetest.Write2(e.st, func(tx *store.Tx) (store.OutboxBatch, []store.OutboxItem, error) {
			return tx.Outbox().Enqueue(nil, []store.OutboxItem{{Platform: "slack", User: fmt.Sprintf("V%d", i), Key: fmt.Sprintf("v%d", i), Payload: []byte(`{"Text":"x"}`)}})
		}); err != nil {
			t.Fatal(err)
		}
		e.w.WakeFor("slack")
	}
	time.Sleep(100 * time.Millisecond)
	after, _, _ := cs.counts()
	cancel()
	<-done
	if n := after - before; n > 5 {
		t.Errorf("50 wake-ups for a platform at its rate made %d claims, want a few at most", n)
	}
}

// A platform at its rate holds back no other platform's items.
func TestAPlatformAtItsRateHoldsBackNoOther(t *testing.T) {
	e := newEnv(t, func(o *outbox.Options) {
		o.Now = nil
		o.Limits = map[string]outbox.Limit{"slack": {PerSecond: 0.2, Burst: 1}}
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error)
	go func() { done <- e.w.Run(ctx) }()
	e.enqueue(dmTo("U0", "s0", "x"), dmTo("U1", "s1", "x")) // the second waits 5 s for the rate
	waitFor(t, func() bool { return len(e.p.Posts()) == 1 })
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	if _, _, err := storetest.Write2(e.st, func(tx *store.Tx) (store.OutboxBatch, []store.OutboxItem, error) {
		return tx.Outbox().Enqueue(nil, []store.OutboxItem{{Platform: "teams", User: "T1", Key: "t1", Payload: []byte(`{"Text":"x"}`)}})
	}); err != nil {
		t.Fatal(err)
	}
	e.w.WakeFor("teams")
	waitFor(t, func() bool { return len(e.p.Posts()) == 2 })
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("a Teams message waited %v behind Slack's rate", took)
	}
	if got := e.p.Posts()[1].To.Platform; got != "teams" {
		t.Errorf("second post went to %s, want the Teams message", got)
	}
	cancel()
	<-done
}

// rerunStore runs each claim's transaction twice, as PostgreSQL does
// after a serialization failure (and bbolt's Batch after a failed
// neighbour): a first run that is rolled back, then the real one.
type rerunStore struct {
	outbox.Store
	st    *store.Store
	reran int
}

var errSerialization = errors.New("could not serialize access (as PostgreSQL says)")

func (s *rerunStore) ClaimDue(now time.Time, n int, c outbox.Claim) ([]store.OutboxItem, error) {
	err := s.st.Update(func(tx *store.Tx) error {
		if c.Begin != nil {
			c.Begin()
		}
		if _, err := tx.Outbox().ClaimDueSkipping(now, n, c.Skip, c.Accept); err != nil {
			return err
		}
		return errSerialization
	})
	if !errors.Is(err, errSerialization) {
		return nil, err
	}
	s.reran++
	return s.Store.ClaimDue(now, n, c)
}

// TestAClaimRunTwiceTakesWhatItsFirstRunTook: what the rolled-back run of
// a claim accepted (streams marked busy, a conversation's one token a
// second) is given back before the rerun, which takes the same items.
// Before, the rerun refused them as busy, nothing was claimed, and those
// streams never sent again: a console on PostgreSQL lost a consultation's
// card that way.
func TestAClaimRunTwiceTakesWhatItsFirstRunTook(t *testing.T) {
	rs := &rerunStore{}
	e := newEnv(t, func(o *outbox.Options) {
		o.Now, o.Concurrency = nil, 8
		o.Limits = map[string]outbox.Limit{"slack": {PerSecond: 100, PerConversation: 1}}
		rs.Store = o.Store
		o.Store = rs
	})
	rs.st = e.st
	e.enqueue(dms(5)...)
	if err := e.w.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := len(e.p.Posts()); got != 5 || rs.reran == 0 {
		t.Fatalf("after one flush with every claim run twice (%d reruns): %d posts, want 5", rs.reran, got)
	}
	for i := range 5 {
		if it := e.item(fmt.Sprintf("k%03d", i)); it.Status != store.OutboxSent || it.Attempts != 1 {
			t.Errorf("k%03d = %s after %d attempts, want sent once", i, it.Status, it.Attempts)
		}
	}
}
