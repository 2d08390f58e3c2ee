package scheduler

import (
	"context"
	"errors"
	"time"

	"github.com/robfig/cron/v3"
)

// CatchUp runs, one after another, every job whose current period (the
// period of its latest activation at or before now) is not claimed yet: the
// periods missed while the bot was down. Call it once after Start. It
// returns the jobs' errors joined.
func (s *Scheduler) CatchUp(ctx context.Context, now time.Time) error {
	now = now.In(s.loc)
	s.mu.Lock()
	jobs := append([]*entry(nil), s.jobs...)
	s.mu.Unlock()
	var errs []error
	for _, e := range jobs {
		if ctx.Err() != nil {
			errs = append(errs, ctx.Err())
			break
		}
		act := activation(e.sched, now)
		if act.IsZero() {
			continue
		}
		if w := e.job.CatchUpWithin; w < 0 || (w > 0 && now.Sub(act) > w) {
			s.log.Debug("scheduler: not catching up", "job", e.job.Name, "activation", act)
			continue
		}
		if err := s.run(ctx, e, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// lookbacks are the spans activation searches, shortest first, so frequent
// schedules take few steps; cron itself looks no further than five years.
var lookbacks = []time.Duration{
	time.Hour,
	25 * time.Hour,
	32 * 24 * time.Hour,
	367 * 24 * time.Hour,
	5 * 366 * 24 * time.Hour,
}

// activation returns the latest activation of sched at or before now, or the
// zero time if there is none within five years. An "@every" schedule has no
// fixed activations: its activation is now.
func activation(sched cron.Schedule, now time.Time) time.Time {
	if _, ok := sched.(cron.ConstantDelaySchedule); ok {
		return now
	}
	for _, back := range lookbacks {
		var last time.Time
		for t := sched.Next(now.Add(-back)); !t.IsZero() && !t.After(now); t = sched.Next(t) {
			last = t
		}
		if !last.IsZero() {
			return last
		}
	}
	return time.Time{}
}
