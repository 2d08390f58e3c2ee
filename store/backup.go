package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"go.etcd.io/bbolt"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/boltkv"
	"github.com/soudan/soudan/store/kv/kvguard"
)

// Backup writes a consistent copy of the database file to w while the
// store stays in use, and returns the number of bytes written. The copy is
// itself a database file that Open accepts.
//
// The copy is compacted (one read transaction copied into a fresh file
// beside the data file, then streamed): it holds the live records only.
// A page copy would also carry the file's free pages, where the bytes of
// deleted records linger until bbolt reuses them: the cells and the
// departments on responses a survey round drops when it closes, the
// invitations and secret of an anonymous round, a forgotten person's
// records. A backup taken after those are deleted holds none of them.
//
// The copy is one file: the inbox's pending entries (InboxPath's file) go
// into its inbox bucket, which Open moves into the restored file's own
// inbox. They are read before the data file, so an event acknowledged
// before Backup is called is in the copy either as handled or as pending
// (or both: handled again after a restore, it changes nothing).
func (s *Store) Backup(w io.Writer) (int64, error) {
	if s.db == nil {
		return 0, fmt.Errorf("backup: %w", ErrNotFile)
	}
	pending, err := s.Inbox().Entries()
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.db.Path()), ".soudan-backup-*")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	name := tmp.Name()
	tmp.Close()
	defer os.Remove(name)
	to, err := bbolt.Open(name, fileMode, nil)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	// Compact reads the data file in a transaction of bbolt's own, past
	// the seam: held as one of the store's, so that the guard catches a
	// Backup called inside a transaction as it catches a View.
	err = kvguard.Hold(s.kv, "backup", func() error { return bbolt.Compact(to, s.db, compactTxSize) })
	if err == nil && len(pending) > 0 {
		err = boltkv.Wrap(to).Update(func(tx kv.Tx) error { return putInboxEntries(tx, pending) })
	}
	if cerr := to.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	f, err := os.Open(name)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	n, err := io.Copy(w, f)
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}
