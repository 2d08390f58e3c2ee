package store

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// threadKey is the consultations.by_thread value of a thread.
func threadKey(platform, workspace, channel, thread string) string {
	return joinKey(platform, workspace, channel, thread)
}

// consultEntries are the index entries of c: its state, asker, every
// mentor routed to or taking it, and every thread it is discussed in
// (Threads, and Public should a caller set it without listing it).
func consultEntries(c Consultation) []entry {
	es := []entry{
		{bktConsByState, string(c.State)},
		{bktConsByAsker, idValue(c.AskerID)},
	}
	for _, id := range uniqueIDs(append(slices.Clone(c.Routed), c.TakenBy)...) {
		es = append(es, entry{bktConsByMentor, idValue(id)})
	}
	threads := slices.Clone(c.Threads)
	if c.Public != nil {
		threads = append(threads, *c.Public)
	}
	var keys []string
	for _, t := range threads {
		if k := threadKey(t.Platform, t.Workspace, t.Channel, t.Thread); !slices.Contains(keys, k) {
			keys = append(keys, k)
			es = append(es, entry{bktConsByThread, k})
		}
	}
	return es
}

// consultRef is the seen_events ref of an event that created consultation id.
func consultRef(id uint64) string { return "consultation:" + strconv.FormatUint(id, 10) }

// parseConsultRef returns the consultation id of a ref made by consultRef.
func parseConsultRef(ref string) (uint64, bool) {
	rest, ok := strings.CutPrefix(ref, "consultation:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseUint(rest, 10, 64)
	return id, err == nil
}

// validState reports whether st is one of the consultation states.
func validState(st State) bool {
	switch st {
	case StateOpen, StateAnswered, StateResolved, StateClosed:
		return true
	}
	return false
}

// stamp validates c and fills what the store owns: message numbers, missing
// message and history times, and UpdatedAt.
func stamp(c *Consultation, now time.Time) error {
	if c.AskerID == 0 {
		return fmt.Errorf("an asker is required")
	}
	if !validState(c.State) {
		return fmt.Errorf("unknown state %q", c.State)
	}
	for i := range c.Messages {
		c.Messages[i].ID = i + 1
		if c.Messages[i].At.IsZero() {
			c.Messages[i].At = now
		}
	}
	for i := range c.History {
		if c.History[i].At.IsZero() {
			c.History[i].At = now
		}
	}
	c.UpdatedAt = now
	return nil
}

// CreateConsultation stores a new consultation: it assigns ID, CreatedAt
// and UpdatedAt, defaults State to open and History to one change to that
// state by the asker, and numbers Messages from 1. When c.EventID names an
// event already handled, it stores nothing and returns the consultation
// that event created, with created false; if that event added a message
// instead, it fails with ErrExists.
func (s *Store) CreateConsultation(c Consultation) (Consultation, bool, error) {
	created := false
	err := s.db.Update(func(tx *bbolt.Tx) error {
		ref, seen, err := lookupEvent(tx, c.EventID)
		if err != nil {
			return err
		}
		if seen {
			id, ok := parseConsultRef(ref)
			if !ok {
				return fmt.Errorf("event %s was already handled as %s: %w", c.EventID, ref, ErrExists)
			}
			c, err = getByID[Consultation](tx, bktConsults, id)
			return err
		}
		now := s.now()
		if c.ID, err = bucket(tx, bktConsults).NextSequence(); err != nil {
			return err
		}
		c.CreatedAt = now
		if c.State == "" {
			c.State = StateOpen
		}
		if len(c.History) == 0 {
			c.History = []StateChange{{To: c.State, By: c.AskerID, At: now}}
		}
		if err := stamp(&c, now); err != nil {
			return err
		}
		if c.EventID != "" {
			if _, err := s.markEvent(tx, c.EventID, consultRef(c.ID)); err != nil {
				return err
			}
		}
		created = true
		return s.putConsult(tx, nil, c)
	})
	if err != nil {
		return Consultation{}, false, fmt.Errorf("create consultation: %w", err)
	}
	return c, created, nil
}

// putConsult stores c and moves its index entries from old.
func (s *Store) putConsult(tx *bbolt.Tx, old []entry, c Consultation) error {
	if err := reindex(tx, c.ID, old, consultEntries(c)); err != nil {
		return err
	}
	return putJSON(bucket(tx, bktConsults), itob(c.ID), c)
}

// Consultation returns the consultation with id.
func (s *Store) Consultation(id uint64) (Consultation, error) {
	var c Consultation
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		c, err = getByID[Consultation](tx, bktConsults, id)
		return err
	})
	if err != nil {
		return Consultation{}, fmt.Errorf("get consultation %d: %w", id, err)
	}
	return c, nil
}

// UpdateConsultation applies fn to the consultation with id and stores the
// result, stamping UpdatedAt, numbering any appended messages and
// reindexing state, asker, mentors and threads. An error from fn aborts the
// update and is returned wrapped, so errors.As still finds it. fn runs
// inside the write transaction and must not call the Store.
func (s *Store) UpdateConsultation(id uint64, fn func(*Consultation) error) (Consultation, error) {
	var c Consultation
	err := s.db.Update(func(tx *bbolt.Tx) (err error) {
		if c, err = getByID[Consultation](tx, bktConsults, id); err != nil {
			return err
		}
		old, created := consultEntries(c), c.CreatedAt
		if err := fn(&c); err != nil {
			return err
		}
		c.ID, c.CreatedAt = id, created
		if err := stamp(&c, s.now()); err != nil {
			return err
		}
		return s.putConsult(tx, old, c)
	})
	if err != nil {
		return Consultation{}, fmt.Errorf("update consultation %d: %w", id, err)
	}
	return c, nil
}

// AddConsultMessage appends m to the consultation with id, numbering it and
// defaulting At to now, and reports added true. When m.EventID names an
// event already handled, it changes nothing and returns the consultation as
// stored, with added false.
func (s *Store) AddConsultMessage(id uint64, m ConsultMessage) (Consultation, bool, error) {
	var c Consultation
	added := false
	err := s.db.Update(func(tx *bbolt.Tx) (err error) {
		if c, err = getByID[Consultation](tx, bktConsults, id); err != nil {
			return err
		}
		if _, seen, err := lookupEvent(tx, m.EventID); err != nil || seen {
			return err
		}
		now := s.now()
		m.ID = len(c.Messages) + 1
		if m.At.IsZero() {
			m.At = now
		}
		c.Messages = append(c.Messages, m)
		c.UpdatedAt = now
		if m.EventID != "" {
			if _, err := s.markEvent(tx, m.EventID, fmt.Sprintf("%s/message:%d", consultRef(id), m.ID)); err != nil {
				return err
			}
		}
		added = true
		return putJSON(bucket(tx, bktConsults), itob(id), c)
	})
	if err != nil {
		return Consultation{}, false, fmt.Errorf("add message to consultation %d: %w", id, err)
	}
	return c, added, nil
}
