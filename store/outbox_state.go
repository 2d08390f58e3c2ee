package store

import (
	"bytes"
	"fmt"
	"time"
)

// dueIDs returns the ids filed in outbox.items.by_due under state st with
// a next attempt at or before until (any time when until is zero), in
// order of next attempt then id, at most `most` of them (0: no limit).
func (ob Outbox) dueIDs(st OutboxStatus, until time.Time, most int) []uint64 {
	prefix := []byte(string(st) + sep)
	limit := uint64(0)
	if !until.IsZero() {
		limit = uint64(max(until.UnixNano(), 0))
	}
	var ids []uint64
	c := ob.tx.bucket(bktOutboxByDue).Cursor()
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
func (ob Outbox) NextDue() (time.Time, bool, error) {
	ids := ob.dueIDs(OutboxPending, time.Time{}, 1)
	if len(ids) == 0 {
		return time.Time{}, false, nil
	}
	it, err := getByID[OutboxItem](ob.tx, bktOutboxItems, ids[0])
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due outbox item: %w", err)
	}
	return it.NextAttempt, true, nil
}

// InDoubt returns the items left sending: their send was started and its
// result never recorded, because the process stopped in between.
func (ob Outbox) InDoubt() ([]OutboxItem, error) {
	out, err := getIDs[OutboxItem](ob.tx, bktOutboxItems, ob.dueIDs(OutboxSending, time.Time{}, 0))
	if err != nil {
		return nil, fmt.Errorf("outbox items in doubt: %w", err)
	}
	return out, nil
}

// MarkSent records that the item was delivered: result is the caller's
// encoding of where. Marking a sent item again changes nothing.
func (ob Outbox) MarkSent(id uint64, result []byte) (OutboxItem, error) {
	return ob.mark(id, "mark sent", ob.markSent(result))
}

// markSent is the transition of MarkSent.
func (ob Outbox) markSent(result []byte) func(*OutboxItem) error {
	return func(it *OutboxItem) error {
		if it.Status == OutboxSent {
			return nil
		}
		it.Status, it.SentAt, it.Result = OutboxSent, ob.tx.Now(), result
		return nil
	}
}

// MarkRetry puts a sending item back to pending, to be tried again at
// next, recording why the attempt failed and whether it may have been
// delivered all the same (see OutboxItem.MaybeDelivered). An item of a
// cancelled batch is cancelled instead.
func (ob Outbox) MarkRetry(id uint64, reason string, next time.Time, maybeDelivered bool) (OutboxItem, error) {
	return ob.mark(id, "retry", markRetry(reason, next, maybeDelivered))
}

// markRetry is the transition of MarkRetry.
func markRetry(reason string, next time.Time, maybeDelivered bool) func(*OutboxItem) error {
	return func(it *OutboxItem) error {
		if it.Status != OutboxSending {
			return fmt.Errorf("item is %s, not sending", it.Status)
		}
		it.Status, it.LastError, it.NextAttempt = OutboxPending, reason, next.Round(0)
		it.MaybeDelivered = it.MaybeDelivered || maybeDelivered
		return nil
	}
}

// MarkFailed gives up on a sending item, recording the reason.
func (ob Outbox) MarkFailed(id uint64, reason string) (OutboxItem, error) {
	return ob.mark(id, "mark failed", markFailed(reason))
}

// markFailed is the transition of MarkFailed.
func markFailed(reason string) func(*OutboxItem) error {
	return func(it *OutboxItem) error {
		if it.Status != OutboxSending {
			return fmt.Errorf("item is %s, not sending", it.Status)
		}
		it.Status, it.LastError = OutboxFailed, reason
		return nil
	}
}

// mark applies fn to item id with transition and wraps its error with op.
func (ob Outbox) mark(id uint64, op string, fn func(*OutboxItem) error) (OutboxItem, error) {
	err := ob.tx.writable()
	var it OutboxItem
	if err == nil {
		it, err = ob.transition(id, fn)
	}
	if err != nil {
		return OutboxItem{}, fmt.Errorf("%s: outbox item %d: %w", op, id, err)
	}
	return it, nil
}

// transition applies fn to item id, stamps UpdatedAt, reindexes it and
// keeps its batch's counts and state. A pending item of a cancelled batch
// that fn would make pending again becomes cancelled.
func (ob Outbox) transition(id uint64, fn func(*OutboxItem) error) (OutboxItem, error) {
	old, err := getByID[OutboxItem](ob.tx, bktOutboxItems, id)
	if err != nil {
		return OutboxItem{}, err
	}
	it := old
	if err := fn(&it); err != nil {
		return OutboxItem{}, err
	}
	now := ob.tx.Now()
	var b OutboxBatch
	if it.BatchID != 0 {
		if b, err = getByID[OutboxBatch](ob.tx, bktOutboxBatches, it.BatchID); err != nil {
			return OutboxItem{}, fmt.Errorf("batch %d: %w", it.BatchID, err)
		}
		if b.Status == BatchCancelled && it.Status == OutboxPending {
			it.Status = OutboxCancelled
		}
	}
	if it.Status != OutboxSending {
		// A lease holds a sending item only.
		it.Lease, it.LeaseUntil = "", time.Time{}
	}
	it.UpdatedAt = now
	if err := ob.putItem(&old, it); err != nil {
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
	return it, putJSON(ob.tx.bucket(bktOutboxBatches), itob(b.ID), b)
}

// CancelBatch cancels the batch's pending items, including those scheduled
// for later and those of a draft; items being sent finish. It returns the
// batch and how many items it cancelled. Cancelling a finished batch
// changes nothing.
func (ob Outbox) CancelBatch(id uint64) (OutboxBatch, int, error) {
	b, n, err := ob.cancelBatch(id)
	if err != nil {
		return OutboxBatch{}, 0, fmt.Errorf("cancel outbox batch %d: %w", id, err)
	}
	return b, n, nil
}

// cancelBatch is CancelBatch without its error wrapping.
func (ob Outbox) cancelBatch(id uint64) (OutboxBatch, int, error) {
	if err := ob.tx.writable(); err != nil {
		return OutboxBatch{}, 0, err
	}
	b, err := getByID[OutboxBatch](ob.tx, bktOutboxBatches, id)
	if err != nil || b.Status != BatchActive && b.Status != BatchDraft {
		return b, 0, err
	}
	b.Status = BatchCancelled
	if err := putJSON(ob.tx.bucket(bktOutboxBatches), itob(id), b); err != nil {
		return OutboxBatch{}, 0, err
	}
	n := 0
	for _, iid := range lookup(ob.tx, bktOutboxByBatch, idValue(id)) {
		it, err := getByID[OutboxItem](ob.tx, bktOutboxItems, iid)
		if err != nil {
			return OutboxBatch{}, 0, err
		}
		if it.Status != OutboxPending {
			continue
		}
		// transition turns a pending item of a cancelled batch into a
		// cancelled one.
		if _, err := ob.transition(iid, func(*OutboxItem) error { return nil }); err != nil {
			return OutboxBatch{}, 0, err
		}
		n++
	}
	b, err = getByID[OutboxBatch](ob.tx, bktOutboxBatches, id)
	return b, n, err
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
func (ob Outbox) BatchReport(id uint64, maxFailures int) (OutboxReport, error) {
	r, err := ob.batchReport(id, maxFailures)
	if err != nil {
		return OutboxReport{}, fmt.Errorf("outbox batch %d report: %w", id, err)
	}
	return r, nil
}

// batchReport is BatchReport without its error wrapping.
func (ob Outbox) batchReport(id uint64, maxFailures int) (OutboxReport, error) {
	var r OutboxReport
	var err error
	if r.Batch, err = getByID[OutboxBatch](ob.tx, bktOutboxBatches, id); err != nil {
		return r, err
	}
	if r.Batch.Counts.Failed == 0 || maxFailures <= 0 {
		return r, nil
	}
	for _, iid := range lookup(ob.tx, bktOutboxByBatch, idValue(id)) {
		it, err := getByID[OutboxItem](ob.tx, bktOutboxItems, iid)
		if err != nil {
			return r, err
		}
		if it.Status != OutboxFailed {
			continue
		}
		r.Failures = append(r.Failures, OutboxFailure{ItemID: it.ID, Platform: it.Platform, Workspace: it.Workspace, Channel: it.Channel, User: it.User, Attempts: it.Attempts, Reason: it.LastError})
		if len(r.Failures) == maxFailures {
			break
		}
	}
	return r, nil
}

// PendingCount counts the pending items: a walk over their range of
// the due index, which reads no item.
func (ob Outbox) PendingCount() int {
	prefix := []byte(string(OutboxPending) + sep)
	n := 0
	c := ob.tx.bucket(bktOutboxByDue).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}
