package store

import (
	"fmt"

	"go.etcd.io/bbolt"
)

// UpdateConsultationEnqueue is UpdateConsultation that also queues the
// outbox items fn returns, in the same transaction: a change and the
// messages that announce it are stored together or not at all, so a crash
// can never leave a consultation changed with its notices lost. fn runs
// inside the write transaction and must not call the Store; an error from
// it aborts both.
func (s *Store) UpdateConsultationEnqueue(id uint64, fn func(*Consultation) ([]OutboxItem, error)) (Consultation, error) {
	var c Consultation
	err := s.db.Update(func(tx *bbolt.Tx) (err error) {
		if c, err = getByID[Consultation](tx, bktConsults, id); err != nil {
			return err
		}
		old, created := consultEntries(c), c.CreatedAt
		items, err := fn(&c)
		if err != nil {
			return err
		}
		c.ID, c.CreatedAt = id, created
		if err := stamp(&c, s.now()); err != nil {
			return err
		}
		if err := s.putConsult(tx, old, c); err != nil {
			return err
		}
		_, _, err = s.enqueueTx(tx, nil, items)
		return err
	})
	if err != nil {
		return Consultation{}, fmt.Errorf("update consultation %d with notices: %w", id, err)
	}
	return c, nil
}
