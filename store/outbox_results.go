package store

import (
	"fmt"
	"time"
)

// OutboxResult is the outcome of one attempt to send a sending item, as
// RecordResults records it. Status says which: OutboxSent (delivered, at
// Result), OutboxPending (to be retried at Next, MaybeDelivered when the
// attempt may have landed all the same) or OutboxFailed (given up).
// Reason is why an attempt that was not delivered failed.
type OutboxResult struct {
	ID             uint64
	Status         OutboxStatus
	Result         []byte
	Reason         string
	Next           time.Time
	MaybeDelivered bool
	// Attempt, when not zero, is the claim the result answers: the
	// item's Attempts as claimed. A result for an item that is no longer
	// sending under that claim (another replica took it over after its
	// lease lapsed, or settled it) is stale: it changes nothing, except
	// that a stale delivery still marks an unfinished item sent, since
	// the message did land (the replica that took over checks before it
	// sends: the item is maybe delivered).
	Attempt int
}

// SentResult is the result of a delivery to the address the caller encoded in
// result.
func SentResult(id uint64, result []byte) OutboxResult {
	return OutboxResult{ID: id, Status: OutboxSent, Result: result}
}

// RetryResult is the result of an attempt to try again at next.
func RetryResult(id uint64, reason string, next time.Time, maybeDelivered bool) OutboxResult {
	return OutboxResult{ID: id, Status: OutboxPending, Reason: reason, Next: next, MaybeDelivered: maybeDelivered}
}

// FailedResult is the result of an attempt the caller gives up on.
func FailedResult(id uint64, reason string) OutboxResult {
	return OutboxResult{ID: id, Status: OutboxFailed, Reason: reason}
}

// RecordResults records the results of many attempts at once, as
// MarkSent, MarkRetry and MarkFailed would one by one: they are committed
// together or, when one of them cannot be recorded, not at all. It
// returns the items as recorded, in the order of results, and the batches
// that those of the items that finished (sent, failed, or cancelled on
// retry) leave without a pending or sending item, once each, with their
// counts as of this transaction.
func (ob Outbox) RecordResults(results []OutboxResult) ([]OutboxItem, []OutboxBatch, error) {
	items, done, err := ob.recordResults(results)
	if err != nil {
		return nil, nil, fmt.Errorf("record %d outbox results: %w", len(results), err)
	}
	return items, done, nil
}

// recordResults is RecordResults without its error wrapping.
func (ob Outbox) recordResults(results []OutboxResult) ([]OutboxItem, []OutboxBatch, error) {
	if err := ob.tx.writable(); err != nil {
		return nil, nil, err
	}
	items := make([]OutboxItem, len(results))
	var finished []uint64 // batches of finished items, each once
	seen := map[uint64]bool{}
	for i, r := range results {
		it, err := ob.recordResult(r)
		if err != nil {
			return nil, nil, err
		}
		items[i] = it
		if it.BatchID != 0 && it.Status.Terminal() && !seen[it.BatchID] {
			seen[it.BatchID] = true
			finished = append(finished, it.BatchID)
		}
	}
	var done []OutboxBatch
	for _, id := range finished {
		b, err := getByID[OutboxBatch](ob.tx, bktOutboxBatches, id)
		if err != nil {
			return nil, nil, fmt.Errorf("batch %d: %w", id, err)
		}
		if b.Counts.Pending+b.Counts.Sending == 0 {
			done = append(done, b)
		}
	}
	return items, done, nil
}

// recordResult applies one result, wrapping its error with the item.
func (ob Outbox) recordResult(r OutboxResult) (OutboxItem, error) {
	var fn func(*OutboxItem) error
	switch r.Status {
	case OutboxSent:
		fn = ob.markSent(r.Result)
	case OutboxPending:
		fn = markRetry(r.Reason, r.Next, r.MaybeDelivered)
	case OutboxFailed:
		fn = markFailed(r.Reason)
	default:
		return OutboxItem{}, fmt.Errorf("outbox item %d: result %q is not sent, pending or failed", r.ID, r.Status)
	}
	if r.Attempt != 0 {
		cur, err := getByID[OutboxItem](ob.tx, bktOutboxItems, r.ID)
		if err != nil {
			return OutboxItem{}, fmt.Errorf("outbox item %d: %w", r.ID, err)
		}
		if staleResult(r, cur) && (r.Status != OutboxSent || cur.Status.Terminal()) {
			return cur, nil
		}
	}
	it, err := ob.transition(r.ID, fn)
	if err != nil {
		return OutboxItem{}, fmt.Errorf("outbox item %d: %w", r.ID, err)
	}
	return it, nil
}
