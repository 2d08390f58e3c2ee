package store

import (
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// period is the value of a claimed period key.
type period struct {
	At time.Time `json:"at"`
}

// ClaimPeriod claims a scheduler period key such as "survey:monthly:2026-12"
// or "events:purge:2026-11-21", recording Now. The first claim wins and
// reports true; every later one reports false, so a job acts once per
// period even across restarts and catch-up runs.
func (s *Store) ClaimPeriod(key string) (bool, error) {
	if key == "" {
		return false, fmt.Errorf("claim period: empty key")
	}
	first := false
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := bucket(tx, bktPeriods)
		if b.Get([]byte(key)) != nil {
			return nil
		}
		first = true
		return putJSON(b, []byte(key), period{At: s.now()})
	})
	if err != nil {
		return false, fmt.Errorf("claim period %s: %w", key, err)
	}
	return first, nil
}

// PeriodClaimedAt returns when the period key was claimed, and whether it
// was.
func (s *Store) PeriodClaimedAt(key string) (time.Time, bool, error) {
	var p period
	err := s.db.View(func(tx *bbolt.Tx) error {
		return getJSON(bucket(tx, bktPeriods), []byte(key), &p)
	})
	if errors.Is(err, ErrNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("period %s claimed at: %w", key, err)
	}
	return p.At, true, nil
}
