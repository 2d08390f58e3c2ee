package handlers

import (
	"context"
	"fmt"
	"time"
)

// eventRetention is how long handled platform event ids are remembered.
// Slack retries for minutes and Teams for less; a week is ample.
const eventRetention = 7 * 24 * time.Hour

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
