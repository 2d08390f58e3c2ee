package store

import (
	"bytes"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// dueIDs returns the ids filed in outbox.items.by_due under state st with
// a next attempt at or before until (any time when until is zero), in
// order of next attempt then id, at most `most` of them (0: no limit).
func dueIDs(tx *bbolt.Tx, st OutboxStatus, until time.Time, most int) []uint64 {
	prefix := []byte(string(st) + sep)
	limit := uint64(0)
	if !until.IsZero() {
		limit = uint64(max(until.UnixNano(), 0))
	}
	var ids []uint64
	c := bucket(tx, bktOutboxByDue).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		rest := k[len(prefix):]
		if len(rest) != 8+len(sep)+8 {
			continue
		}
		if !until.IsZero() && btoi(rest[:8]) > limit {
			break
		}
		ids = append(ids, btoi(rest[8+len(sep):]))
		if most > 0 && len(ids) >= most {
			break
		}
	}
	return ids
}

// NextDue returns the earliest next attempt of the pending items, and
// false when none is pending.
func (s *Store) NextDue() (time.Time, bool, error) {
	var t time.Time
	var ok bool
	err := s.db.View(func(tx *bbolt.Tx) error {
		ids := dueIDs(tx, OutboxPending, time.Time{}, 1)
		if len(ids) == 0 {
			return nil
		}
		it, err := getByID[OutboxItem](tx, bktOutboxItems, ids[0])
		t, ok = it.NextAttempt, err == nil
		return err
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due outbox item: %w", err)
	}
	return t, ok, nil
}

// InDoubt returns the items left sending: their send was started and its
// result never recorded, because the process stopped in between.
func (s *Store) InDoubt() ([]OutboxItem, error) {
	var out []OutboxItem
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		out, err = getIDs[OutboxItem](tx, bktOutboxItems, dueIDs(tx, OutboxSending, time.Time{}, 0))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("outbox items in doubt: %w", err)
	}
	return out, nil
}

// MarkSent records that the item was delivered: result is the caller's
// encoding of where. Marking a sent item again changes nothing.
func (s *Store) MarkSent(id uint64, result []byte) (OutboxItem, error) {
	return s.mark(id, "mark sent", func(it *OutboxItem, now time.Time) error {
		if it.Status == OutboxSent {
			return nil
		}
		it.Status, it.SentAt, it.Result = OutboxSent, now, result
		return nil
	})
}

// MarkRetry puts a sending item back to pending, to be tried again at
// next, recording why the attempt failed and whether it may have been
// delivered all the same (see OutboxItem.MaybeDelivered). An item of a
// cancelled batch is cancelled instead.
func (s *Store) MarkRetry(id uint64, reason string, next time.Time, maybeDelivered bool) (OutboxItem, error) {
	return s.mark(id, "retry", func(it *OutboxItem, _ time.Time) error {
		if it.Status != OutboxSending {
			return fmt.Errorf("item is %s, not sending", it.Status)
		}
		it.Status, it.LastError, it.NextAttempt = OutboxPending, reason, next.Round(0)
		it.MaybeDelivered = it.MaybeDelivered || maybeDelivered
		return nil
	})
}

// MarkFailed gives up on a sending item, recording the reason.
func (s *Store) MarkFailed(id uint64, reason string) (OutboxItem, error) {
	return s.mark(id, "mark failed", func(it *OutboxItem, _ time.Time) error {
		if it.Status != OutboxSending {
			return fmt.Errorf("item is %s, not sending", it.Status)
		}
		it.Status, it.LastError = OutboxFailed, reason
		return nil
	})
}

// mark applies fn to item id in a write transaction that bbolt may share
// with concurrent marks (DB.Batch), so that many deliveries finishing at
// once cost one disk sync.
func (s *Store) mark(id uint64, op string, fn func(*OutboxItem, time.Time) error) (OutboxItem, error) {
	var it OutboxItem
	err := s.db.Batch(func(tx *bbolt.Tx) (err error) {
		now := s.now()
		it, err = s.transition(tx, id, func(it *OutboxItem) error { return fn(it, now) })
		return err
	})
	if err != nil {
		return OutboxItem{}, fmt.Errorf("%s: outbox item %d: %w", op, id, err)
	}
	return it, nil
}

// transition applies fn to item id inside tx, stamps UpdatedAt, reindexes
// it and keeps its batch's counts and state. A pending item of a
// cancelled batch that fn would make pending again becomes cancelled.
func (s *Store) transition(tx *bbolt.Tx, id uint64, fn func(*OutboxItem) error) (OutboxItem, error) {
	old, err := getByID[OutboxItem](tx, bktOutboxItems, id)
	if err != nil {
		return OutboxItem{}, err
	}
	it := old
	if err := fn(&it); err != nil {
		return OutboxItem{}, err
	}
	now := s.now()
	var b OutboxBatch
	if it.BatchID != 0 {
		if b, err = getByID[OutboxBatch](tx, bktOutboxBatches, it.BatchID); err != nil {
			return OutboxItem{}, fmt.Errorf("batch %d: %w", it.BatchID, err)
		}
		if b.Status == BatchCancelled && it.Status == OutboxPending {
			it.Status = OutboxCancelled
		}
	}
	it.UpdatedAt = now
	if err := putItem(tx, &old, it); err != nil {
		return OutboxItem{}, err
	}
	if it.BatchID == 0 || it.Status == old.Status {
		return it, nil
	}
	b.Counts.add(old.Status, -1)
	b.Counts.add(it.Status, 1)
	if b.Counts.Pending+b.Counts.Sending == 0 && b.DoneAt.IsZero() {
		b.DoneAt = now
		if b.Status == BatchActive {
			b.Status = BatchDone
		}
	}
	return it, putJSON(bucket(tx, bktOutboxBatches), itob(b.ID), b)
}

// CancelBatch cancels the batch's pending items, including those scheduled
// for later and those of a draft; items being sent finish. It returns the
// batch and how many items it cancelled. Cancelling a finished batch
// changes nothing.
func (s *Store) CancelBatch(id uint64) (OutboxBatch, int, error) {
	var b OutboxBatch
	n := 0
	err := s.db.Update(func(tx *bbolt.Tx) (err error) {
		n = 0
		if b, err = getByID[OutboxBatch](tx, bktOutboxBatches, id); err != nil {
			return err
		}
		if b.Status != BatchActive && b.Status != BatchDraft {
			return nil
		}
		b.Status = BatchCancelled
		if err := putJSON(bucket(tx, bktOutboxBatches), itob(id), b); err != nil {
			return err
		}
		for _, iid := range lookup(tx, bktOutboxByBatch, idValue(id)) {
			it, err := getByID[OutboxItem](tx, bktOutboxItems, iid)
			if err != nil {
				return err
			}
			if it.Status != OutboxPending {
				continue
			}
			// transition turns a pending item of a cancelled batch into a
			// cancelled one.
			if _, err := s.transition(tx, iid, func(*OutboxItem) error { return nil }); err != nil {
				return err
			}
			n++
		}
		b, err = getByID[OutboxBatch](tx, bktOutboxBatches, id)
		return err
	})
	if err != nil {
		return OutboxBatch{}, 0, fmt.Errorf("cancel outbox batch %d: %w", id, err)
	}
	return b, n, nil
}

// OutboxFailure is an item that could not be delivered, and why.
type OutboxFailure struct {
	ItemID    uint64 `json:"item_id"`
	Platform  string `json:"platform"`
	Workspace string `json:"workspace,omitempty"`
	Channel   string `json:"channel,omitempty"`
	User      string `json:"user,omitempty"`
	Attempts  int    `json:"attempts"`
	Reason    string `json:"reason"`
}

// OutboxReport is a batch's delivery report.
type OutboxReport struct {
	Batch    OutboxBatch
	Failures []OutboxFailure // at most the number asked for, oldest first
}

// BatchReport returns the batch with its counts by state and up to
// maxFailures of its failed items with their reasons.
func (s *Store) BatchReport(id uint64, maxFailures int) (OutboxReport, error) {
	var r OutboxReport
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		if r.Batch, err = getByID[OutboxBatch](tx, bktOutboxBatches, id); err != nil {
			return err
		}
		if r.Batch.Counts.Failed == 0 || maxFailures <= 0 {
			return nil
		}
		for _, iid := range lookup(tx, bktOutboxByBatch, idValue(id)) {
			it, err := getByID[OutboxItem](tx, bktOutboxItems, iid)
			if err != nil {
				return err
			}
			if it.Status != OutboxFailed {
				continue
			}
			r.Failures = append(r.Failures, OutboxFailure{ItemID: it.ID, Platform: it.Platform, Workspace: it.Workspace, Channel: it.Channel, User: it.User, Attempts: it.Attempts, Reason: it.LastError})
			if len(r.Failures) == maxFailures {
				break
			}
		}
		return nil
	})
	if err != nil {
		return OutboxReport{}, fmt.Errorf("outbox batch %d report: %w", id, err)
	}
	return r, nil
}
