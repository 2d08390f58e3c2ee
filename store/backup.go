package store

import (
	"fmt"
	"io"
)

// Backup writes a consistent copy of the database file to w while the
// store stays in use, and returns the number of bytes written. The copy is
// itself a database file that Open accepts.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.View(func(tx *Tx) (err error) {
		n, err = tx.tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}
