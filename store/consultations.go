package store

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// threadKey is the consultations.by_thread value of a thread.
func threadKey(platform, workspace, channel, thread string) string {
	return joinKey(platform, workspace, channel, thread)
}

// consultEntries are the index entries of c: its state, asker, every
// mentor routed to or taking it, every thread it is discussed in
// (Threads, and Public should a caller set it without listing it), and
// every day something counted in the statistics happened to it.
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
	es = append(es, closedEntries(c)...)
	var keys []string
	for _, t := range threads {
		if k := threadKey(t.Platform, t.Workspace, t.Channel, t.Thread); !slices.Contains(keys, k) {
			keys = append(keys, k)
			es = append(es, entry{bktConsByThread, k})
		}
	}
	for _, d := range consultDays(c) {
		es = append(es, entry{bktConsByDay, d})
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

// Create stores a new consultation: it assigns ID, CreatedAt
// and UpdatedAt, defaults State to open and History to one change to that
// state by the asker, and numbers Messages from 1. When c.EventID names an
// event already handled, it stores nothing and returns the consultation
// that event created, with created false; if that event added a message
// instead, it fails with ErrExists.
func (co Consultations) Create(c Consultation) (Consultation, bool, error) {
	c, created, err := co.create(c)
	if err != nil {
		return Consultation{}, false, fmt.Errorf("create consultation: %w", err)
	}
	return c, created, nil
}

// create is Create without its error wrapping.
func (co Consultations) create(c Consultation) (Consultation, bool, error) {
	if err := co.tx.writable(); err != nil {
		return c, false, err
	}
	ref, seen, err := co.tx.Events().lookup(c.EventID)
	if err != nil {
		return c, false, err
	}
	if seen {
		id, ok := parseConsultRef(ref)
		if !ok {
			return c, false, fmt.Errorf("event %s was already handled as %s: %w", c.EventID, ref, ErrExists)
		}
		c, err = getByID[Consultation](co.tx, bktConsults, id)
		return c, false, err
	}
	now := co.tx.Now()
	if c.ID, err = co.tx.bucket(bktConsults).NextSequence(); err != nil {
		return c, false, err
	}
	c.CreatedAt = now
	if c.State == "" {
		c.State = StateOpen
	}
	if len(c.History) == 0 {
		c.History = []StateChange{{To: c.State, By: c.AskerID, At: now}}
	}
	if err := stamp(&c, now); err != nil {
		return c, false, err
	}
	if c.EventID != "" {
		if _, err := co.tx.Events().mark(c.EventID, consultRef(c.ID)); err != nil {
			return c, false, err
		}
	}
	return c, true, co.put(consultTrail{}, c)
}

// consultTrail is what a consultation leaves outside its own record: its
// index entries and the mentors whose active load it counts towards.
// Every consultation write goes through putConsult, which moves the trail,
// so no writer can leave an index or a count behind.
type consultTrail struct {
	entries []entry
	loaded  []uint64
}

// trailOf derives c's trail from the record alone.
func trailOf(c Consultation) consultTrail {
	return consultTrail{entries: consultEntries(c), loaded: loadedMentors(c)}
}

// put stores c and moves its trail from old, the trail of the
// record as it was before the write (the zero trail for a new one): index
// entries are replaced, and each mentor's load changes only when c starts
// or stops counting towards it.
func (co Consultations) put(old consultTrail, c Consultation) error {
	next := trailOf(c)
	if err := reindex(co.tx, c.ID, old.entries, next.entries); err != nil {
		return err
	}
	if err := moveLoad(co.tx, old.loaded, next.loaded); err != nil {
		return err
	}
	return putJSON(co.tx.bucket(bktConsults), itob(c.ID), c)
}

// ByID returns the consultation with id.
func (co Consultations) ByID(id uint64) (Consultation, error) {
	c, err := getByID[Consultation](co.tx, bktConsults, id)
	if err != nil {
		return Consultation{}, fmt.Errorf("get consultation %d: %w", id, err)
	}
	return c, nil
}

// Update applies fn to the consultation with id and stores the
// result, stamping UpdatedAt, numbering any appended messages and
// reindexing state, asker, mentors and threads. An error from fn aborts the
// update and is returned wrapped, so errors.As still finds it; the caller
// of Update decides whether the rest of the transaction rolls back with
// it. fn must not call the Store (it may call tx).
func (co Consultations) Update(id uint64, fn func(*Consultation) error) (Consultation, error) {
	c, err := co.update(id, fn)
	if err != nil {
		return Consultation{}, fmt.Errorf("update consultation %d: %w", id, err)
	}
	return c, nil
}

// update is Update without its error wrapping.
func (co Consultations) update(id uint64, fn func(*Consultation) error) (Consultation, error) {
	if err := co.tx.writable(); err != nil {
		return Consultation{}, err
	}
	c, err := getByID[Consultation](co.tx, bktConsults, id)
	if err != nil {
		return Consultation{}, err
	}
	old, created := trailOf(c), c.CreatedAt
	if err := fn(&c); err != nil {
		return Consultation{}, err
	}
	c.ID, c.CreatedAt = id, created
	if err := stamp(&c, co.tx.Now()); err != nil {
		return Consultation{}, err
	}
	return c, co.put(old, c)
}

// AddMessage appends m to the consultation with id, numbering it and
// defaulting At to now, and reports added true. When m.EventID names an
// event already handled, it changes nothing and returns the consultation as
// stored, with added false. The then functions change the consultation
// further in the same write when the message is added (open -> answered):
// one decode and one encode of the record.
func (co Consultations) AddMessage(id uint64, m ConsultMessage, then ...func(*Consultation)) (Consultation, bool, error) {
	c, added, err := co.addMessage(id, m, then)
	if err != nil {
		return Consultation{}, false, fmt.Errorf("add message to consultation %d: %w", id, err)
	}
	return c, added, nil
}

// addMessage is AddMessage without its error wrapping.
func (co Consultations) addMessage(id uint64, m ConsultMessage, then []func(*Consultation)) (Consultation, bool, error) {
	if err := co.tx.writable(); err != nil {
		return Consultation{}, false, err
	}
	c, err := getByID[Consultation](co.tx, bktConsults, id)
	if err != nil {
		return c, false, err
	}
	if _, seen, err := co.tx.Events().lookup(m.EventID); err != nil || seen {
		return c, false, err
	}
	old := trailOf(c)
	now := co.tx.Now()
	m.ID = len(c.Messages) + 1
	if m.At.IsZero() {
		m.At = now
	}
	c.Messages = append(c.Messages, m)
	c.UpdatedAt = now
	for _, fn := range then {
		fn(&c) // what the message changes (open -> answered), in the same write
	}
	if m.EventID != "" {
		if _, err := co.tx.Events().mark(m.EventID, fmt.Sprintf("%s/message:%d", consultRef(id), m.ID)); err != nil {
			return c, false, err
		}
	}
	return c, true, co.put(old, c)
}
