package scheduler_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/scheduler"
)

func TestCatchUpRunsEachPeriodOnce(t *testing.T) {
	c := &claimer{}
	s := newScheduler(t, c, nil)
	var r runs
	mustAdd(t, s, scheduler.Job{Name: "purge", Spec: "0 4 * * *", Period: scheduler.Daily,
		Run: func(_ context.Context, now time.Time) error { r.add(now); return nil }})
	ctx := context.Background()
	steps := []struct {
		now      time.Time
		wantRuns int
		wantKey  string
	}{
		{at(21, 10, 0), 1, "purge:2026-11-21"}, // started after today's 04:00: missed, runs
		{at(21, 11, 0), 1, "purge:2026-11-21"}, // restarted the same day: claimed
		{at(22, 3, 59), 1, "purge:2026-11-21"}, // before the next activation: still 21st
		{at(22, 4, 0), 2, "purge:2026-11-22"},  // the activation itself
		{at(25, 12, 0), 3, "purge:2026-11-25"}, // down for days: only the latest period runs
	}
	for _, st := range steps {
		if err := s.CatchUp(ctx, st.now); err != nil {
			t.Fatalf("CatchUp(%v): %v", st.now, err)
		}
		if got := r.count(); got != st.wantRuns {
			t.Errorf("after CatchUp(%v): runs = %d, want %d", st.now, got, st.wantRuns)
		}
		if got := c.calls(st.wantKey); got == 0 {
			t.Errorf("after CatchUp(%v): key %q never claimed", st.now, st.wantKey)
		}
	}
	if got, want := r.got[0], at(21, 10, 0); !got.Equal(want) {
		t.Errorf("first run got now = %v, want %v", got, want)
	}
}

func TestPeriodKeysUseSchedulerLocation(t *testing.T) {
	c := &claimer{}
	s := newScheduler(t, c, nil)
	mustAdd(t, s, scheduler.Job{Name: "purge", Spec: "0 4 * * *", Period: scheduler.Daily,
		Run: func(context.Context, time.Time) error { return nil }})
	// 20:00 UTC on the 20th is 05:00 on the 21st in Tokyo.
	if err := s.CatchUp(context.Background(), time.Date(2026, 11, 20, 20, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("CatchUp: %v", err)
	}
	if got := c.calls("purge:2026-11-21"); got != 1 {
		t.Errorf("claims of purge:2026-11-21 = %d, want 1 (claims: %v)", got, c.claims)
	}
}

func TestTwoSchedulersShareClaims(t *testing.T) {
	c := &claimer{}
	var r runs
	job := scheduler.Job{Name: "report", Spec: "0 9 1 * *", Period: scheduler.Monthly,
		Run: func(_ context.Context, now time.Time) error { r.add(now); return nil }}
	var wg sync.WaitGroup
	for range 2 {
		s := newScheduler(t, c, nil)
		mustAdd(t, s, job)
		wg.Go(func() {
			if err := s.CatchUp(context.Background(), at(21, 10, 0)); err != nil {
				t.Errorf("CatchUp: %v", err)
			}
		})
	}
	wg.Wait()
	if got := r.count(); got != 1 {
		t.Errorf("runs = %d, want 1", got)
	}
	if got := c.calls("report:2026-11"); got != 2 {
		t.Errorf("claims of report:2026-11 = %d, want 2", got)
	}
}

func TestCatchUpWithin(t *testing.T) {
	tests := []struct {
		name   string
		within time.Duration
		want   int
	}{
		{"always", 0, 1},
		{"never", -1, 0},
		{"recent enough", 7 * time.Hour, 1}, // activation 04:00, now 10:00
		{"too old", 5 * time.Hour, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScheduler(t, &claimer{}, nil)
			var r runs
			mustAdd(t, s, scheduler.Job{Name: "purge", Spec: "0 4 * * *", Period: scheduler.Daily, CatchUpWithin: tt.within,
				Run: func(_ context.Context, now time.Time) error { r.add(now); return nil }})
			if err := s.CatchUp(context.Background(), at(21, 10, 0)); err != nil {
				t.Fatalf("CatchUp: %v", err)
			}
			if got := r.count(); got != tt.want {
				t.Errorf("runs = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestCatchUpErrors(t *testing.T) {
	boom := errors.New("boom")
	c := &claimer{}
	s := newScheduler(t, c, nil)
	var r runs
	mustAdd(t, s, scheduler.Job{Name: "fails", Spec: "@daily", Period: scheduler.Daily,
		Run: func(context.Context, time.Time) error { return boom }})
	mustAdd(t, s, scheduler.Job{Name: "panics", Spec: "@daily", Period: scheduler.Daily,
		Run: func(context.Context, time.Time) error { panic("kaboom") }})
	mustAdd(t, s, scheduler.Job{Name: "works", Spec: "@daily", Period: scheduler.Daily,
		Run: func(_ context.Context, now time.Time) error { r.add(now); return nil }})

	err := s.CatchUp(context.Background(), at(21, 10, 0))
	if !errors.Is(err, boom) {
		t.Errorf("CatchUp error = %v, want it to wrap %v", err, boom)
	}
	if err == nil || !strings.Contains(err.Error(), "run job panics: panic: kaboom") {
		t.Errorf("CatchUp error = %v, want it to report the panic", err)
	}
	if got := r.count(); got != 1 {
		t.Errorf("runs of the job after the failures = %d, want 1", got)
	}
	// A failed period stays claimed: the job is not retried.
	if err := s.CatchUp(context.Background(), at(21, 11, 0)); err != nil {
		t.Errorf("second CatchUp = %v, want nil (periods claimed)", err)
	}
}

func TestCatchUpClaimError(t *testing.T) {
	broken := errors.New("disk on fire")
	s := newScheduler(t, &claimer{err: broken}, nil)
	var r runs
	mustAdd(t, s, scheduler.Job{Name: "purge", Spec: "0 4 * * *", Period: scheduler.Daily,
		Run: func(_ context.Context, now time.Time) error { r.add(now); return nil }})
	err := s.CatchUp(context.Background(), at(21, 10, 0))
	if !errors.Is(err, broken) {
		t.Errorf("CatchUp error = %v, want it to wrap %v", err, broken)
	}
	if got := r.count(); got != 0 {
		t.Errorf("runs = %d, want 0 (no claim, no run)", got)
	}
}

func TestCatchUpCancelled(t *testing.T) {
	s := newScheduler(t, &claimer{}, nil)
	var r runs
	mustAdd(t, s, scheduler.Job{Name: "purge", Spec: "0 4 * * *", Period: scheduler.Daily,
		Run: func(_ context.Context, now time.Time) error { r.add(now); return nil }})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.CatchUp(ctx, at(21, 10, 0)); !errors.Is(err, context.Canceled) {
		t.Errorf("CatchUp error = %v, want context.Canceled", err)
	}
	if got := r.count(); got != 0 {
		t.Errorf("runs = %d, want 0", got)
	}
}
