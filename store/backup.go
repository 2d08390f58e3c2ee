package store

import (
	"fmt"
	"io"

	"github.com/soudan/soudan/store/kv/boltkv"
)

// Backup writes a consistent copy of the database file to w while the
// store stays in use, and returns the number of bytes written. The copy is
// itself a database file that Open accepts.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.View(func(tx *Tx) (err error) {
		n, err = boltkv.WriteTo(tx.tx, w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}
