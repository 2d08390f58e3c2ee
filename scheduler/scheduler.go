// Package scheduler runs soudan's periodic jobs on cron schedules.
//
// Cron keeps no state, so before a job acts it claims its period in the
// store: a key made of the job's name and its period, such as
// "events:purge:2026-11-21". The first claim wins, so a period runs at most
// once however many times it fires, however many processes share the store
// and however often the bot restarts. CatchUp, called at start, runs the
// current period of every job whose activation was missed while the bot was
// down.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Claimer records period claims; cmd/soudan implements it on the data
// file, one transaction per claim.
type Claimer interface {
	// ClaimPeriod claims key and reports whether this call was the first
	// to claim it.
	ClaimPeriod(key string) (bool, error)
}

// Options configure a Scheduler.
type Options struct {
	// Location is the time zone of the cron specs and of period keys.
	// Nil means Japan Standard Time (Asia/Tokyo: UTC+9, no daylight saving).
	Location *time.Location
	// Store records period claims. Required.
	Store Claimer
	// Log receives job starts, ends and failures. Nil discards them.
	Log *slog.Logger
	// Now returns the current time when a job fires. Nil means time.Now.
	Now func() time.Time
}

// Scheduler runs named jobs on cron schedules, each at most once per period.
// Its methods are safe for concurrent use.
type Scheduler struct {
	loc   *time.Location
	store Claimer
	log   *slog.Logger
	now   func() time.Time
	cron  *cron.Cron

	mu   sync.Mutex
	jobs []*entry
	ctx  context.Context // from Start; the context jobs fired by cron run with
}

// jst is Asia/Tokyo without needing the time zone database: Japan keeps
// UTC+9 all year.
var jst = time.FixedZone("JST", 9*60*60)

// New returns a scheduler with no jobs. Add jobs, then Start it.
func New(opt Options) (*Scheduler, error) {
	if opt.Store == nil {
		return nil, errors.New("new scheduler: no store for period claims")
	}
	s := &Scheduler{
		loc:   opt.Location,
		store: opt.Store,
		log:   opt.Log,
		now:   opt.Now,
		ctx:   context.Background(),
	}
	if s.loc == nil {
		s.loc = jst
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	logger := cronLogger{s.log}
	s.cron = cron.New(
		cron.WithLocation(s.loc),
		cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)),
	)
	return s, nil
}

// Location returns the time zone of the schedules and period keys.
func (s *Scheduler) Location() *time.Location { return s.loc }

// Add validates j and schedules it. Jobs may be added before or after Start.
func (s *Scheduler) Add(j Job) error {
	if j.Name == "" {
		return errors.New("add job: no name")
	}
	if j.Run == nil {
		return fmt.Errorf("add job %s: no Run function", j.Name)
	}
	sched, err := cron.ParseStandard(j.Spec)
	if err != nil {
		return fmt.Errorf("add job %s: schedule %q: %w", j.Name, j.Spec, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.jobs {
		if e.job.Name == j.Name {
			return fmt.Errorf("add job %s: a job of that name exists", j.Name)
		}
	}
	e := &entry{job: j, sched: sched}
	s.jobs = append(s.jobs, e)
	s.cron.Schedule(sched, cron.FuncJob(func() { _ = s.run(s.jobContext(), e, s.now()) }))
	return nil
}

// Start starts firing jobs on their schedules; they run with ctx. It does not
// run missed periods: call CatchUp for that.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	s.ctx = ctx
	now := s.now().In(s.loc)
	for _, e := range s.jobs {
		s.log.Info("scheduler: job scheduled", "job", e.job.Name, "spec", e.job.Spec, "next", e.sched.Next(now))
	}
	s.mu.Unlock()
	s.cron.Start()
}

// Stop stops firing jobs. It does not cancel running jobs (cancel the
// context given to Start for that); the context it returns is done when
// they have returned.
func (s *Scheduler) Stop() context.Context { return s.cron.Stop() }

func (s *Scheduler) jobContext() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ctx
}
