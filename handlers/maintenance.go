package handlers

import (
	"context"
	"fmt"
	"time"
)

// eventRetention is how long handled platform event ids are remembered.
// Slack retries for minutes and Teams for less; a week is ample.
const eventRetention = 7 * 24 * time.Hour

// outboxRetention is how long delivered (or failed, or cancelled)
// messages stay in the outbox, for delivery reports and crash checks.
const outboxRetention = 30 * 24 * time.Hour

// PurgeOutbox forgets outbox messages finished longer ago than the
// retention, a daily scheduler job.
func (a *App) PurgeOutbox(ctx context.Context, now time.Time) error {
	n, err := a.st.PurgeOutbox(now.Add(-outboxRetention))
	if err != nil {
		return fmt.Errorf("purge outbox: %w", err)
	}
	a.log.Info("purged outbox messages", "count", n)
	return nil
}

// PurgeEvents forgets platform event ids older than the retention, a
// daily scheduler job.
func (a *App) PurgeEvents(ctx context.Context, now time.Time) error {
	n, err := a.st.PurgeEvents(now.Add(-eventRetention))
	if err != nil {
		return fmt.Errorf("purge events: %w", err)
	}
	a.log.Info("purged event ids", "count", n)
	return nil
}
