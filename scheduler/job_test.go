package scheduler_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/scheduler"
)

func TestPeriods(t *testing.T) {
	tests := []struct {
		name   string
		period func(time.Time) string
		t      time.Time
		want   string
	}{
		{"daily", scheduler.Daily, at(21, 4, 0), "2026-11-21"},
		{"weekly", scheduler.Weekly, at(21, 4, 0), "2026-W47"},
		{"weekly across new year", scheduler.Weekly, time.Date(2027, 1, 1, 0, 0, 0, 0, tokyo), "2026-W53"},
		{"monthly", scheduler.Monthly, at(21, 4, 0), "2026-11"},
	}
	for _, tt := range tests {
		if got := tt.period(tt.t); got != tt.want {
			t.Errorf("%s(%v) = %q, want %q", tt.name, tt.t, got, tt.want)
		}
	}
}

func TestDefaultPeriodIsTheActivationMinute(t *testing.T) {
	c := &claimer{}
	s := newScheduler(t, c, nil)
	mustAdd(t, s, scheduler.Job{Name: "tick", Spec: "*/15 * * * *", Run: func(context.Context, time.Time) error { return nil }})
	if err := s.CatchUp(context.Background(), at(21, 10, 7)); err != nil {
		t.Fatalf("CatchUp: %v", err)
	}
	if got := c.calls("tick:2026-11-21T10:00"); got != 1 {
		t.Errorf("claims of tick:2026-11-21T10:00 = %d, want 1 (claims: %v)", got, c.claims)
	}
}

func TestAddValidates(t *testing.T) {
	run := func(context.Context, time.Time) error { return nil }
	s := newScheduler(t, &claimer{}, nil)
	mustAdd(t, s, scheduler.Job{Name: "taken", Spec: "@daily", Run: run})
	tests := []struct {
		job  scheduler.Job
		want string
	}{
		{scheduler.Job{Spec: "@daily", Run: run}, "no name"},
		{scheduler.Job{Name: "x", Spec: "@daily"}, "no Run"},
		{scheduler.Job{Name: "x", Spec: "0 25 * * *", Run: run}, `schedule "0 25 * * *"`},
		{scheduler.Job{Name: "x", Spec: "0 0 4 * * *", Run: run}, "schedule"}, // seconds field not accepted
		{scheduler.Job{Name: "taken", Spec: "@daily", Run: run}, "exists"},
	}
	for _, tt := range tests {
		err := s.Add(tt.job)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Add(%+v) = %v, want an error containing %q", tt.job, err, tt.want)
		}
	}
}

func TestNewNeedsStore(t *testing.T) {
	if _, err := scheduler.New(scheduler.Options{}); err == nil {
		t.Error("New without a store: got nil error, want one")
	}
}

func TestDefaultLocationIsTokyo(t *testing.T) {
	s, err := scheduler.New(scheduler.Options{Store: &claimer{}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ref := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, got := ref.In(s.Location()).Zone(); got != 9*60*60 {
		t.Errorf("default location offset = %ds, want %ds", got, 9*60*60)
	}
}
