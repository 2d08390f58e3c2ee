package handlers

import (
	"context"
	"fmt"
	"time"

	"github.com/soudan/soudan/store"
)

// eventRetention is how long handled platform event ids are remembered.
// Slack retries for minutes and Teams for less; a week is ample.
const eventRetention = 7 * 24 * time.Hour

// outboxRetention is how long delivered (or failed, or cancelled)
// messages stay in the outbox, for delivery reports and crash checks.
const outboxRetention = 30 * 24 * time.Hour

// maintenanceJobs are the kit's own daily jobs.
func (k *Kit) maintenanceJobs() []Job {
	return []Job{
		// Forget platform event ids old enough that no retry will bring
		// them again.
		{Name: "events:purge", Spec: "0 4 * * *", Period: Daily, Run: k.PurgeEvents},
		// Forget delivered messages after a month.
		{Name: "outbox:purge", Spec: "30 4 * * *", Period: Daily, Run: k.PurgeOutbox},
	}
}

// PurgeOutbox forgets outbox messages finished longer ago than the
// retention, a daily scheduler job.
func (k *Kit) PurgeOutbox(ctx context.Context, now time.Time) error {
	var n int
	err := k.Store.Update(func(tx *store.Tx) (err error) {
		n, err = tx.Outbox().Purge(now.Add(-outboxRetention))
		return err
	})
	if err != nil {
		return fmt.Errorf("purge outbox: %w", err)
	}
	k.Log.Info("purged outbox messages", "count", n)
	return nil
}

// PurgeEvents forgets platform event ids older than the retention, a
// daily scheduler job.
func (k *Kit) PurgeEvents(ctx context.Context, now time.Time) error {
	var n int
	err := k.Store.Update(func(tx *store.Tx) (err error) {
		n, err = tx.Events().Purge(now.Add(-eventRetention))
		return err
	})
	if err != nil {
		return fmt.Errorf("purge events: %w", err)
	}
	k.Log.Info("purged event ids", "count", n)
	return nil
}
