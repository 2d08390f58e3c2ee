package scheduler_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soudan/soudan/scheduler"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCronRunsOncePerPeriod(t *testing.T) {
	t.Parallel()
	c := &claimer{}
	frozen := at(21, 10, 0)
	s := newScheduler(t, c, func() time.Time { return frozen })
	var r runs
	mustAdd(t, s, scheduler.Job{Name: "tick", Spec: "@every 1s", Period: scheduler.Daily,
		Run: func(_ context.Context, now time.Time) error { r.add(now); return nil }})
	s.Start(context.Background())
	waitFor(t, "two firings", func() bool { return c.calls("tick:2026-11-21") >= 2 })
	<-s.Stop().Done()
	if got := r.count(); got != 1 {
		t.Errorf("runs = %d, want 1 (one period)", got)
	}
}

func TestCronRecoversPanic(t *testing.T) {
	t.Parallel()
	var fired atomic.Int32
	s := newScheduler(t, &claimer{}, nil)
	mustAdd(t, s, scheduler.Job{Name: "flaky", Spec: "@every 1s", Period: func(t time.Time) string { return t.Format(time.RFC3339Nano) },
		Run: func(context.Context, time.Time) error {
			if fired.Add(1) == 1 {
				panic("first run panics")
			}
			return nil
		}})
	s.Start(context.Background())
	// A second run shows the panic neither crashed the process nor left
	// SkipIfStillRunning locked.
	waitFor(t, "a run after the panic", func() bool { return fired.Load() >= 2 })
	<-s.Stop().Done()
}

func TestStopWaitsForRunningJobs(t *testing.T) {
	t.Parallel()
	started := make(chan struct{})
	release := make(chan struct{})
	var once atomic.Bool
	s := newScheduler(t, &claimer{}, nil)
	mustAdd(t, s, scheduler.Job{Name: "slow", Spec: "@every 1s",
		Run: func(context.Context, time.Time) error {
			if once.CompareAndSwap(false, true) {
				close(started)
				<-release
			}
			return nil
		}})
	s.Start(context.Background())
	<-started
	done := s.Stop().Done()
	select {
	case <-done:
		t.Fatal("Stop's context done while a job was running, want it to wait")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Stop's context not done after the job returned")
	}
}

func TestJobsGetStartContext(t *testing.T) {
	t.Parallel()
	type key struct{}
	got := make(chan any, 1)
	s := newScheduler(t, &claimer{}, nil)
	mustAdd(t, s, scheduler.Job{Name: "ctx", Spec: "@every 1s", Period: scheduler.Daily,
		Run: func(ctx context.Context, _ time.Time) error { got <- ctx.Value(key{}); return nil }})
	s.Start(context.WithValue(context.Background(), key{}, "from Start"))
	defer s.Stop()
	select {
	case v := <-got:
		if v != "from Start" {
			t.Errorf("job context value = %v, want %q", v, "from Start")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("job never ran")
	}
}
