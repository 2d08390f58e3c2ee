package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
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

// Mark claims the platform event id (a Slack event id, a Teams
// activity id) with ref describing what handling it produced. first is
// false when the event was already claimed: a retry or redelivery that must
// not be acted on again.
func (ev Events) Mark(id, ref string) (first bool, err error) {
	if id == "" {
		return false, fmt.Errorf("mark event: empty event id")
	}
	if err := ev.tx.writable(); err != nil {
		return false, fmt.Errorf("mark event %s: %w", id, err)
	}
	if first, err = ev.mark(id, ref); err != nil {
		return false, fmt.Errorf("mark event %s: %w", id, err)
	}
	return first, nil
}

// mark claims id; it reports false if it was claimed before.
func (ev Events) mark(id, ref string) (bool, error) {
	b := ev.tx.bucket(bktEvents)
	if b.Get([]byte(id)) != nil {
		return false, nil
	}
	return true, putJSON(b, []byte(id), seenEvent{At: ev.tx.Now(), Ref: ref})
}

// Seen reports whether the platform event id was claimed, and the ref
// recorded with it.
func (ev Events) Seen(id string) (ref string, ok bool, err error) {
	if ref, ok, err = ev.lookup(id); err != nil {
		return "", false, fmt.Errorf("seen event %s: %w", id, err)
	}
	return ref, ok, nil
}

// lookup returns the ref of a claimed event id.
func (ev Events) lookup(id string) (string, bool, error) {
	if id == "" {
		return "", false, nil
	}
	var e seenEvent
	err := getJSON(ev.tx.bucket(bktEvents), []byte(id), &e)
	if errors.Is(err, ErrNotFound) {
		return "", false, nil
	}
	return e.Ref, err == nil, err
}

// Finish records that handling the platform event id finished,
// claiming it first if nothing else did.
func (ev Events) Finish(id string) error {
	if id == "" {
		return fmt.Errorf("finish event: empty event id")
	}
	b := ev.tx.bucket(bktEvents)
	e := seenEvent{At: ev.tx.Now()}
	err := getJSON(b, []byte(id), &e)
	if err == nil || errors.Is(err, ErrNotFound) {
		e.Done = true
		err = putJSON(b, []byte(id), e)
	}
	if err != nil {
		return fmt.Errorf("finish event %s: %w", id, err)
	}
	return nil
}

// Done reports whether handling the platform event id finished.
func (ev Events) Done(id string) (bool, error) {
	var e seenEvent
	err := getJSON(ev.tx.bucket(bktEvents), []byte(id), &e)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("event done %s: %w", id, err)
	}
	return e.Done, nil
}

// Purge forgets events claimed before the given time and returns how
// many it removed. Platforms stop retrying after minutes, so a day's worth
// is plenty to keep.
func (ev Events) Purge(before time.Time) (int, error) {
	n, err := 0, ev.tx.writable()
	if err == nil {
		n, err = deleteWhere(ev.tx.bucket(bktEvents), func(k, v []byte) (bool, error) {
			var e seenEvent
			if err := json.Unmarshal(v, &e); err != nil {
				return false, fmt.Errorf("event %s: %w", k, err)
			}
			return e.At.Before(before), nil
		})
	}
	if err != nil {
		return 0, fmt.Errorf("purge events before %s: %w", before.Format(time.RFC3339), err)
	}
	return n, nil
}
