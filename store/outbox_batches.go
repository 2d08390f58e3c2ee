package store

import (
	"encoding/json"
	"fmt"
	"time"
)

// ReleaseBatch starts a draft batch: its items become due at notBefore
// (now when zero). Releasing a batch that is no longer a draft fails with
// ErrExists, so a double confirmation sends once.
func (tx *Tx) ReleaseBatch(id uint64, notBefore time.Time) (OutboxBatch, error) {
	b, err := tx.releaseBatch(id, notBefore)
	if err != nil {
		return OutboxBatch{}, fmt.Errorf("release outbox batch %d: %w", id, err)
	}
	return b, nil
}

// releaseBatch is ReleaseBatch without its error wrapping.
func (tx *Tx) releaseBatch(id uint64, notBefore time.Time) (OutboxBatch, error) {
	if err := tx.writable(); err != nil {
		return OutboxBatch{}, err
	}
	b, err := getByID[OutboxBatch](tx, bktOutboxBatches, id)
	if err != nil {
		return OutboxBatch{}, err
	}
	if b.Status != BatchDraft {
		return OutboxBatch{}, fmt.Errorf("batch is %s: %w", b.Status, ErrExists)
	}
	now := tx.Now()
	if notBefore.IsZero() {
		notBefore = now
	}
	b.Status, b.NotBefore = BatchActive, notBefore.Round(0)
	if b.Counts.Total() == 0 {
		b.Status, b.DoneAt = BatchDone, now
	}
	if err := putJSON(tx.bucket(bktOutboxBatches), itob(id), b); err != nil {
		return OutboxBatch{}, err
	}
	for _, iid := range lookup(tx, bktOutboxByBatch, idValue(id)) {
		if _, err := tx.transition(iid, func(it *OutboxItem) error {
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

// OutboxBatches returns up to limit batches of the kind, newest first.
func (tx *Tx) OutboxBatches(kind string, limit int) ([]OutboxBatch, error) {
	var out []OutboxBatch
	c := tx.bucket(bktOutboxBatches).Cursor()
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

// PurgeOutbox deletes the items sent, failed or cancelled before the
// given time and returns how many. Batches stay, with their counts, so
// old reports still add up; only their failure lists go.
func (tx *Tx) PurgeOutbox(before time.Time) (int, error) {
	n, err := tx.purgeOutbox(before)
	if err != nil {
		return 0, fmt.Errorf("purge outbox before %s: %w", before.Format(time.RFC3339), err)
	}
	return n, nil
}

// purgeOutbox is PurgeOutbox without its error wrapping.
func (tx *Tx) purgeOutbox(before time.Time) (int, error) {
	if err := tx.writable(); err != nil {
		return 0, err
	}
	var old []OutboxItem
	err := tx.bucket(bktOutboxItems).ForEach(func(k, v []byte) error {
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
		if err := reindex(tx, it.ID, outboxEntries(it), nil); err != nil {
			return 0, err
		}
		if err := tx.bucket(bktOutboxItems).Delete(itob(it.ID)); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}
