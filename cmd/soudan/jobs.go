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

// jobs are the periodic jobs of app and of the adapters' state in st.
func jobs(app *handlers.App, st *store.Store, log *slog.Logger) []scheduler.Job {
	return []scheduler.Job{
		// Forget platform event ids old enough that no retry will bring
		// them again.
		{Name: "events:purge", Spec: "0 4 * * *", Period: scheduler.Daily, Run: app.PurgeEvents},
		// Remind, escalate, ask to resolve and close consultations, on
		// business hours. Each stage acts once per consultation, so a
		// catch-up or an overlap repeats nothing. Each activation is its
		// own period.
		{Name: "consult:remind", Spec: "*/15 * * * *", Run: app.Reminders},
		// Forget delivered messages after a month.
		{Name: "outbox:purge", Spec: "30 4 * * *", Period: scheduler.Daily, Run: app.PurgeOutbox},
		// Forget the adapters' expired state: Slack forms posted a week
		// ago, Teams users not seen for half a year.
		{Name: "adapterstate:purge", Spec: "45 4 * * *", Period: scheduler.Daily, Run: purgeAdapterState(st, log)},
	}
}

// purgeAdapterState is the job that forgets the adapters' expired state.
func purgeAdapterState(st *store.Store, log *slog.Logger) func(context.Context, time.Time) error {
	return func(_ context.Context, now time.Time) error {
		n, err := st.PurgeAdapterState(now)
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
func (m *Main) startScheduler(ctx context.Context, app *handlers.App, catchUpFirst bool) error {
	s, err := scheduler.New(scheduler.Options{
		Location: m.Config.location,
		Store:    m.store,
		Log:      m.log,
		Now:      m.Now,
	})
	if err != nil {
		return fmt.Errorf("start scheduler: %w", err)
	}
	for _, j := range jobs(app, m.store, m.log) {
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
