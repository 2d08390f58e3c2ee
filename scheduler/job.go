package scheduler

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is a named piece of periodic work.
type Job struct {
	// Name identifies the job in logs and in period keys: "events:purge".
	Name string
	// Spec is a standard five-field cron spec ("0 4 * * *") or a
	// descriptor ("@daily", "@every 1h"), in the scheduler's location.
	Spec string
	// Period names the period an activation belongs to, such as Daily's
	// "2006-01-02". A job runs at most once per period. Nil makes every
	// activation its own period (its minute, "2006-01-02T15:04").
	Period func(t time.Time) string
	// Run does the work. now is the time it runs (later than the
	// activation when catching up).
	Run func(ctx context.Context, now time.Time) error
	// CatchUpWithin limits CatchUp: zero catches up a missed period
	// however old its activation; a positive value only when the
	// activation is at most that old; a negative value never.
	CatchUpWithin time.Duration
}

// entry is a job added to a scheduler, with its parsed schedule.
type entry struct {
	job   Job
	sched cron.Schedule
}

// key returns the period key of the activation at act.
func (e *entry) key(act time.Time) string {
	if e.job.Period == nil {
		return e.job.Name + ":" + act.Format("2006-01-02T15:04")
	}
	return e.job.Name + ":" + e.job.Period(act)
}

// Daily is a Period of one calendar day: "2006-01-02".
func Daily(t time.Time) string { return t.Format("2006-01-02") }

// Weekly is a Period of one ISO week: "2006-W01".
func Weekly(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// Monthly is a Period of one calendar month: "2006-01".
func Monthly(t time.Time) string { return t.Format("2006-01") }

// run claims the period of the activation at or before now and, if the
// claim is new, runs the job. A claimed period stays claimed when the job
// fails: jobs that must retry keep their own durable state (the outbox).
// run recovers a panic itself so that cron's SkipIfStillRunning, which a
// panic would leave locked, keeps working.
func (s *Scheduler) run(ctx context.Context, e *entry, now time.Time) (err error) {
	now = now.In(s.loc)
	key := e.key(activation(e.sched, now))
	log := s.log.With("job", e.job.Name, "period", key)
	defer func() {
		if r := recover(); r != nil {
			log.Error("scheduler: job panicked", "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("run job %s: panic: %v", e.job.Name, r)
		}
	}()
	first, err := s.store.ClaimPeriod(key)
	if err != nil {
		log.Error("scheduler: claim period", "err", err)
		return fmt.Errorf("claim period %s: %w", key, err)
	}
	if !first {
		log.Debug("scheduler: period already claimed")
		return nil
	}
	start := time.Now()
	log.Info("scheduler: job started")
	if err := e.job.Run(ctx, now); err != nil {
		log.Error("scheduler: job failed", "err", err, "took", time.Since(start))
		return fmt.Errorf("run job %s: %w", e.job.Name, err)
	}
	log.Info("scheduler: job done", "took", time.Since(start))
	return nil
}
