package store

import (
	"encoding/json"
	"fmt"
)

// AppendAudit records an admin action, assigning ID and defaulting At to
// now.
func (tx *Tx) AppendAudit(e AuditEntry) (AuditEntry, error) {
	b := tx.bucket(bktAudit)
	id, err := b.NextSequence()
	if err == nil {
		e.ID = id
		if e.At.IsZero() {
			e.At = tx.Now()
		}
		err = putJSON(b, itob(e.ID), e)
	}
	if err != nil {
		return AuditEntry{}, fmt.Errorf("append audit %s: %w", e.Action, err)
	}
	return e, nil
}

// AuditLog returns the newest limit audit entries, newest first; limit <= 0
// returns them all.
func (tx *Tx) AuditLog(limit int) ([]AuditEntry, error) {
	var es []AuditEntry
	c := tx.bucket(bktAudit).Cursor()
	for k, v := c.Last(); k != nil && (limit <= 0 || len(es) < limit); k, v = c.Prev() {
		var e AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, fmt.Errorf("audit log: entry %d: %w", btoi(k), err)
		}
		es = append(es, e)
	}
	return es, nil
}
