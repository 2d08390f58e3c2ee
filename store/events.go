package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// seenEvent is the seen_events value of a platform event id: when it was
// first handled and what it produced, e.g. "consultation:12".
type seenEvent struct {
	At  time.Time `json:"at"`
	Ref string    `json:"ref,omitempty"`
	// Done is set once handling the event finished. An event with a ref
	// but not done was cut short (a crash mid-way): its redelivery must be
	// allowed to finish the work, and the records it created make that
	// safe.
	Done bool `json:"done,omitempty"`
}

// MarkEvent claims the platform event id (a Slack event id, a Teams
// activity id) with ref describing what handling it produced. first is
// false when the event was already claimed: a retry or redelivery that must
// not be acted on again.
func (s *Store) MarkEvent(id, ref string) (first bool, err error) {
	if id == "" {
		return false, fmt.Errorf("mark event: empty event id")
	}
	err = s.db.Update(func(tx *bbolt.Tx) (err error) {
		first, err = s.markEvent(tx, id, ref)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("mark event %s: %w", id, err)
	}
	return first, nil
}

// markEvent claims id inside tx; it reports false if it was claimed before.
func (s *Store) markEvent(tx *bbolt.Tx, id, ref string) (bool, error) {
	b := bucket(tx, bktEvents)
	if b.Get([]byte(id)) != nil {
		return false, nil
	}
	return true, putJSON(b, []byte(id), seenEvent{At: s.now(), Ref: ref})
}

// SeenEvent reports whether the platform event id was claimed, and the ref
// recorded with it.
func (s *Store) SeenEvent(id string) (ref string, ok bool, err error) {
	err = s.db.View(func(tx *bbolt.Tx) (err error) {
		ref, ok, err = lookupEvent(tx, id)
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("seen event %s: %w", id, err)
	}
	return ref, ok, nil
}

// lookupEvent returns the ref of a claimed event id inside tx.
func lookupEvent(tx *bbolt.Tx, id string) (string, bool, error) {
	if id == "" {
		return "", false, nil
	}
	var e seenEvent
	err := getJSON(bucket(tx, bktEvents), []byte(id), &e)
	if errors.Is(err, ErrNotFound) {
		return "", false, nil
	}
	return e.Ref, err == nil, err
}

// FinishEvent records that handling the platform event id finished,
// claiming it first if nothing else did.
func (s *Store) FinishEvent(id string) error {
	if id == "" {
		return fmt.Errorf("finish event: empty event id")
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := bucket(tx, bktEvents)
		e := seenEvent{At: s.now()}
		if err := getJSON(b, []byte(id), &e); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		e.Done = true
		return putJSON(b, []byte(id), e)
	})
	if err != nil {
		return fmt.Errorf("finish event %s: %w", id, err)
	}
	return nil
}

// EventDone reports whether handling the platform event id finished.
func (s *Store) EventDone(id string) (bool, error) {
	var e seenEvent
	err := s.db.View(func(tx *bbolt.Tx) error { return getJSON(bucket(tx, bktEvents), []byte(id), &e) })
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("event done %s: %w", id, err)
	}
	return e.Done, nil
}

// PurgeEvents forgets events claimed before the given time and returns how
// many it removed. Platforms stop retrying after minutes, so a day's worth
// is plenty to keep.
func (s *Store) PurgeEvents(before time.Time) (int, error) {
	var n int
	err := s.db.Update(func(tx *bbolt.Tx) (err error) {
		n, err = deleteWhere(bucket(tx, bktEvents), func(k, v []byte) (bool, error) {
			var e seenEvent
			if err := json.Unmarshal(v, &e); err != nil {
				return false, fmt.Errorf("event %s: %w", k, err)
			}
			return e.At.Before(before), nil
		})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("purge events before %s: %w", before.Format(time.RFC3339), err)
	}
	return n, nil
}
