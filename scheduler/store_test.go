package scheduler_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/soudan/soudan/scheduler"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// storeClaims claims periods in the store, each in a transaction of its
// own, as cmd/soudan wires it.
type storeClaims struct{ st *store.Store }

func (c storeClaims) ClaimPeriod(key string) (bool, error) {
	return storetest.Write(c.st, func(tx *store.Tx) (bool, error) { return tx.ClaimPeriod(key) })
}

func TestTwoSchedulersOnOneStoreRunOnce(t *testing.T) {
	st := storetest.MustOpen(t)
	var r runs
	job := scheduler.Job{Name: "events:purge", Spec: "0 4 * * *", Period: scheduler.Daily,
		Run: func(_ context.Context, now time.Time) error { r.add(now); return nil }}
	for range 2 {
		s := newScheduler(t, storeClaims{st}, nil)
		mustAdd(t, s, job)
		if err := s.CatchUp(context.Background(), at(21, 10, 0)); err != nil {
			t.Fatalf("CatchUp: %v", err)
		}
	}
	if got := r.count(); got != 1 {
		t.Errorf("runs = %d, want 1", got)
	}
	if _, ok, err := storetest.Read2(st, func(tx *store.Tx) (time.Time, bool, error) { return tx.PeriodClaimedAt("events:purge:2026-11-21") }); err != nil || !ok {
		t.Errorf("PeriodClaimedAt(events:purge:2026-11-21) = %v, %v; want claimed", ok, err)
	}
}

func TestClaimsSurviveRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	var r runs
	job := scheduler.Job{Name: "survey:monthly", Spec: "0 9 1 * *", Period: scheduler.Monthly,
		Run: func(_ context.Context, now time.Time) error { r.add(now); return nil }}
	for i, now := range []time.Time{at(21, 10, 0), at(22, 10, 0), time.Date(2026, 12, 1, 9, 0, 0, 0, tokyo)} {
		st, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatalf("Open #%d: %v", i, err)
		}
		s := newScheduler(t, storeClaims{st}, nil)
		mustAdd(t, s, job)
		if err := s.CatchUp(context.Background(), now); err != nil {
			t.Errorf("CatchUp(%v): %v", now, err)
		}
		if err := st.Close(); err != nil {
			t.Fatalf("Close #%d: %v", i, err)
		}
	}
	if got := r.count(); got != 2 {
		t.Errorf("runs over three starts = %d, want 2 (November once, December once)", got)
	}
}
