package store

import (
	"errors"
	"fmt"
	"time"
)

// period is the value of a claimed period key.
type period struct {
	At time.Time `json:"at"`
}

// ClaimPeriod claims a scheduler period key such as "survey:monthly:2026-12"
// or "events:purge:2026-11-21", recording Now. The first claim wins and
// reports true; every later one reports false, so a job acts once per
// period even across restarts and catch-up runs.
func (tx *Tx) ClaimPeriod(key string) (bool, error) {
	if key == "" {
		return false, fmt.Errorf("claim period: empty key")
	}
	if err := tx.writable(); err != nil {
		return false, fmt.Errorf("claim period %s: %w", key, err)
	}
	b := tx.bucket(bktPeriods)
	if b.Get([]byte(key)) != nil {
		return false, nil
	}
	if err := putJSON(b, []byte(key), period{At: tx.Now()}); err != nil {
		return false, fmt.Errorf("claim period %s: %w", key, err)
	}
	return true, nil
}

// PeriodClaimedAt returns when the period key was claimed, and whether it
// was.
func (tx *Tx) PeriodClaimedAt(key string) (time.Time, bool, error) {
	var p period
	err := getJSON(tx.bucket(bktPeriods), []byte(key), &p)
	if errors.Is(err, ErrNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("period %s claimed at: %w", key, err)
	}
	return p.At, true, nil
}
