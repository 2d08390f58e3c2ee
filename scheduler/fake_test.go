package scheduler_test

import (
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/scheduler"
)

// tokyo is Asia/Tokyo without the time zone database.
var tokyo = time.FixedZone("JST", 9*60*60)

// claimer is an in-memory scheduler.Claimer that records every claim.
type claimer struct {
	mu     sync.Mutex
	claims map[string]int // key -> number of ClaimPeriod calls
	err    error
}

func (c *claimer) ClaimPeriod(key string) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return false, c.err
	}
	if c.claims == nil {
		c.claims = map[string]int{}
	}
	c.claims[key]++
	return c.claims[key] == 1, nil
}

func (c *claimer) calls(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.claims[key]
}

// runs records the times a job ran.
type runs struct {
	mu  sync.Mutex
	got []time.Time
}

func (r *runs) add(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, now)
}

func (r *runs) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// newScheduler returns a scheduler in Tokyo time on c, logging to the test.
func newScheduler(t *testing.T, c scheduler.Claimer, now func() time.Time) *scheduler.Scheduler {
	t.Helper()
	s, err := scheduler.New(scheduler.Options{
		Location: tokyo,
		Store:    c,
		Log:      slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:      now,
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// mustAdd adds j or fails the test.
func mustAdd(t *testing.T, s *scheduler.Scheduler, j scheduler.Job) {
	t.Helper()
	if err := s.Add(j); err != nil {
		t.Fatalf("Add(%s): %v", j.Name, err)
	}
}

// at returns a Tokyo time on 2026-11-dd.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, time.November, day, hour, minute, 0, 0, tokyo)
}
