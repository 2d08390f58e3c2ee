package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// ReleaseBatch starts a draft batch: its items become due at notBefore
// (now when zero). Releasing a batch that is no longer a draft fails with
// ErrExists, so a double confirmation sends once.
func (ob Outbox) ReleaseBatch(id uint64, notBefore time.Time) (OutboxBatch, error) {
	b, err := ob.releaseBatch(id, notBefore)
	if err != nil {
		return OutboxBatch{}, fmt.Errorf("release outbox batch %d: %w", id, err)
	}
	return b, nil
}

// releaseBatch is ReleaseBatch without its error wrapping.
func (ob Outbox) releaseBatch(id uint64, notBefore time.Time) (OutboxBatch, error) {
	if err := ob.tx.writable(); err != nil {
		return OutboxBatch{}, err
	}
	b, err := getByID[OutboxBatch](ob.tx, bktOutboxBatches, id)
	if err != nil {
		return OutboxBatch{}, err
	}
	if b.Status != BatchDraft {
		return OutboxBatch{}, fmt.Errorf("batch is %s: %w", b.Status, ErrExists)
	}
	now := ob.tx.Now()
	if notBefore.IsZero() {
		notBefore = now
	}
	b.Status, b.NotBefore = BatchActive, notBefore.Round(0)
	if b.Counts.Total() == 0 {
		b.Status, b.DoneAt = BatchDone, now
	}
	if err := putJSON(ob.tx.bucket(bktOutboxBatches), itob(id), b); err != nil {
		return OutboxBatch{}, err
	}
	for _, iid := range lookup(ob.tx, bktOutboxByBatch, idValue(id)) {
		if _, err := ob.transition(iid, func(it *OutboxItem) error {
			if it.Status == OutboxPending {
				it.NextAttempt = b.NotBefore
			}
			return nil
		}); err != nil {
			return OutboxBatch{}, err
		}
	}
	return b, nil
}

// Batches returns up to limit batches of the kind, newest first.
func (ob Outbox) Batches(kind string, limit int) ([]OutboxBatch, error) {
	var out []OutboxBatch
	c := ob.tx.bucket(bktOutboxBatches).Cursor()
	for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
		var b OutboxBatch
		if err := json.Unmarshal(v, &b); err != nil {
			return nil, fmt.Errorf("list %s batches: batch %d: %w", kind, btoi(k), err)
		}
		if b.Kind == kind {
			out = append(out, b)
		}
	}
	return out, nil
}

// Purge deletes the items sent, failed or cancelled before the
// given time and returns how many. Batches stay, with their counts, so
// old reports still add up; only their failure lists go.
func (ob Outbox) Purge(before time.Time) (int, error) {
	n, err := ob.purge(before)
	if err != nil {
		return 0, fmt.Errorf("purge outbox before %s: %w", before.Format(time.RFC3339), err)
	}
	return n, nil
}

// purge is Purge without its error wrapping.
func (ob Outbox) purge(before time.Time) (int, error) {
	if err := ob.tx.writable(); err != nil {
		return 0, err
	}
	var old []OutboxItem
	err := ob.tx.bucket(bktOutboxItems).ForEach(func(k, v []byte) error {
		var it OutboxItem
		if err := json.Unmarshal(v, &it); err != nil {
			return fmt.Errorf("item %d: %w", btoi(k), err)
		}
		if it.Status.Terminal() && it.UpdatedAt.Before(before) {
			old = append(old, it)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	// Delete after the walk: deleting under a cursor skips keys.
	for _, it := range old {
		if err := reindex(ob.tx, it.ID, outboxEntries(it), nil); err != nil {
			return 0, err
		}
		if err := ob.tx.bucket(bktOutboxItems).Delete(itob(it.ID)); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}
