package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/scheduler"
	"github.com/soudan/soudan/store"
)

// jobs are the periodic jobs of the handlers (features and kit) and of
// the adapters' state in st.
func jobs(hs []handlers.Job, st *store.Store, log *slog.Logger) []scheduler.Job {
	out := make([]scheduler.Job, 0, len(hs)+1)
	for _, j := range hs {
		out = append(out, scheduler.Job{Name: j.Name, Spec: j.Spec, Period: periodOf(j.Period), Run: j.Run})
	}
	// Forget the adapters' expired state: Slack forms posted a week ago,
	// Teams users not seen for half a year.
	return append(out, scheduler.Job{Name: "adapterstate:purge", Spec: "45 4 * * *", Period: scheduler.Daily, Run: purgeAdapterState(st, log)})
}

// periodOf is the scheduler's period function of a handlers.Period.
func periodOf(p handlers.Period) func(time.Time) string {
	switch p {
	case handlers.Daily:
		return scheduler.Daily
	case handlers.Weekly:
		return scheduler.Weekly
	case handlers.Monthly:
		return scheduler.Monthly
	}
	return nil
}

// purgeAdapterState is the job that forgets the adapters' expired state.
func purgeAdapterState(st *store.Store, log *slog.Logger) func(context.Context, time.Time) error {
	return func(_ context.Context, now time.Time) error {
		var n int
		err := st.Update(func(tx *store.Tx) (err error) {
			n, err = tx.PurgeAdapterState(now)
			return err
		})
		if err != nil {
			return err
		}
		log.Info("purged adapter state", "count", n)
		return nil
	}
}

// startScheduler schedules app's jobs in the configured time zone and runs
// the periods missed while the bot was down. With catchUpFirst (the
// console) the catch-up finishes before startScheduler returns, so what it
// sends is printed before the first line is read and a transcript does not
// depend on timing; otherwise (serve) it runs in the background so that
// connecting to the platforms is not delayed.
func (m *Main) startScheduler(ctx context.Context, app *wiredBot, catchUpFirst bool) error {
	s, err := scheduler.New(scheduler.Options{
		Location: m.Config.location,
		Store:    storePorts{m.store},
		Log:      m.log,
		Now:      m.Now,
	})
	if err != nil {
		return fmt.Errorf("start scheduler: %w", err)
	}
	all := jobs(app.jobs(), m.store, m.log)
	if b := m.backups(); b != nil {
		all = append(all, b.job())
	}
	for _, j := range all {
		if err := s.Add(j); err != nil {
			return fmt.Errorf("start scheduler: %w", err)
		}
	}
	s.Start(ctx)
	m.sched = s
	catchUp := func() {
		if err := s.CatchUp(ctx, m.Now()); err != nil && ctx.Err() == nil {
			m.log.Error("scheduler: catch up", "err", err)
		}
	}
	if catchUpFirst {
		catchUp()
		return nil
	}
	m.bg.Go(catchUp)
	return nil
}
