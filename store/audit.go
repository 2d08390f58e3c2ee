package store

import (
	"encoding/json"
	"fmt"

	"go.etcd.io/bbolt"
)

// AppendAudit records an admin action, assigning ID and defaulting At to
// now.
func (s *Store) AppendAudit(e AuditEntry) (AuditEntry, error) {
	err := s.db.Update(func(tx *bbolt.Tx) (err error) {
		b := bucket(tx, bktAudit)
		if e.ID, err = b.NextSequence(); err != nil {
			return err
		}
		if e.At.IsZero() {
			e.At = s.now()
		}
		return putJSON(b, itob(e.ID), e)
	})
	if err != nil {
		return AuditEntry{}, fmt.Errorf("append audit %s: %w", e.Action, err)
	}
	return e, nil
}

// AuditLog returns the newest limit audit entries, newest first; limit <= 0
// returns them all.
func (s *Store) AuditLog(limit int) ([]AuditEntry, error) {
	var es []AuditEntry
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := bucket(tx, bktAudit).Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(es) < limit); k, v = c.Prev() {
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("entry %d: %w", btoi(k), err)
			}
			es = append(es, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return es, nil
}
