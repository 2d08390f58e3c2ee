package store

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// ReleaseBatch starts a draft batch: its items become due at notBefore
// (now when zero). Releasing a batch that is no longer a draft fails with
// ErrExists, so a double confirmation sends once.
func (s *Store) ReleaseBatch(id uint64, notBefore time.Time) (OutboxBatch, error) {
	var b OutboxBatch
	err := s.db.Update(func(tx *bbolt.Tx) (err error) {
		if b, err = getByID[OutboxBatch](tx, bktOutboxBatches, id); err != nil {
			return err
		}
		if b.Status != BatchDraft {
			return fmt.Errorf("batch is %s: %w", b.Status, ErrExists)
		}
		now := s.now()
		if notBefore.IsZero() {
			notBefore = now
		}
		b.Status, b.NotBefore = BatchActive, notBefore.Round(0)
		if b.Counts.Total() == 0 {
			b.Status, b.DoneAt = BatchDone, now
		}
		if err := putJSON(bucket(tx, bktOutboxBatches), itob(id), b); err != nil {
			return err
		}
		for _, iid := range lookup(tx, bktOutboxByBatch, idValue(id)) {
			if _, err := s.transition(tx, iid, func(it *OutboxItem) error {
				if it.Status == OutboxPending {
					it.NextAttempt = b.NotBefore
				}
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return OutboxBatch{}, fmt.Errorf("release outbox batch %d: %w", id, err)
	}
	return b, nil
}

// OutboxBatches returns up to limit batches of the kind, newest first.
func (s *Store) OutboxBatches(kind string, limit int) ([]OutboxBatch, error) {
	var out []OutboxBatch
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := bucket(tx, bktOutboxBatches).Cursor()
		for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
			var b OutboxBatch
			if err := json.Unmarshal(v, &b); err != nil {
				return fmt.Errorf("batch %d: %w", btoi(k), err)
			}
			if b.Kind == kind {
				out = append(out, b)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s batches: %w", kind, err)
	}
	return out, nil
}

// PurgeOutbox deletes the items sent, failed or cancelled before the
// given time and returns how many. Batches stay, with their counts, so
// old reports still add up; only their failure lists go.
func (s *Store) PurgeOutbox(before time.Time) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bbolt.Tx) error {
		n = 0
		var old []OutboxItem
		err := bucket(tx, bktOutboxItems).ForEach(func(k, v []byte) error {
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
			return err
		}
		// Delete after the walk: deleting under a cursor skips keys.
		for _, it := range old {
			if err := reindex(tx, it.ID, outboxEntries(it), nil); err != nil {
				return err
			}
			if err := bucket(tx, bktOutboxItems).Delete(itob(it.ID)); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("purge outbox before %s: %w", before.Format(time.RFC3339), err)
	}
	return n, nil
}
