package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/soudan/soudan/store"
)

// backup writes a consistent copy of the data file to path, mode 0600. It
// writes a temporary file beside path and renames it, so path is never
// left half written. A missing data file is an error, not an empty one
// to back up (a misspelt -db), and an existing path is replaced only with
// -force.
func (m *Main) backup(path string) error {
	if err := m.checkOutput("backup", path); err != nil {
		return err
	}
	if err := m.openStore(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	n, err := writeBackup(m.store, path)
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	m.log.Debug("backup written", "path", path, "bytes", n)
	_, err = fmt.Fprintf(m.Stdout, "backed up %s to %s (%d bytes)\n", m.Config.DataFile(), path, n)
	return err
}

// writeBackup writes a consistent copy of st to path, mode 0600, and
// returns its size. st may be serving meanwhile (the copy is one read
// transaction). It writes a temporary file beside path, syncs it and
// renames it, so path never names a half-written file; an existing path
// is replaced.
func writeBackup(st *store.Store, path string) (n int64, err error) {
	err = writeAtomic(path, ".soudan-backup-*", func(f *os.File) (err error) {
		n, err = st.Backup(f)
		return err
	})
	return n, err
}

// writeAtomic writes a file at path through write: into a temporary file
// beside it (named by pattern), mode 0600, synced, then renamed into
// place, so path is never left half written.
func writeAtomic(path, pattern string, write func(*os.File) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), pattern)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	err = write(tmp)
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err == nil {
		syncDir(filepath.Dir(path))
	}
	return err
}

// checkOutput refuses what verb ("backup", "export") would write to path
// from the data file: the data file itself, a missing data file (a
// misspelt -db, not an empty one to copy), and an existing path without
// -force.
func (m *Main) checkOutput(verb, path string) error {
	db := m.Config.DataFile()
	if same(path, db) {
		return fmt.Errorf("%s: %s is the data file itself; name another file", verb, path)
	}
	if err := m.needDataFile(verb); err != nil {
		return err
	}
	return m.checkNewFile(verb, path)
}

// syncDir syncs a directory, so that a rename in it survives a crash. It
// is best effort: some systems and filesystems cannot sync a directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// same reports whether a and b name the same file.
func same(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}
