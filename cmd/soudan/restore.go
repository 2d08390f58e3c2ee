package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/soudan/soudan/store"
)

// restore puts the backup at path in place of the data file, with the bot
// stopped (it takes the data file's lock). The backup must be a soudan data
// file this binary can open; it is copied, so the backup itself stays as
// it was. The current data file, if any, is kept beside it as
// DB.before-restore-TIME: nothing is lost, so restore needs no -force.
// The data file's name always names a whole file: the copy is written
// beside it and renamed over it.
func (m *Main) restore(path string) error {
	db := m.Config.DataFile()
	if same(path, db) {
		return fmt.Errorf("restore: %s is the data file itself; name a backup", path)
	}
	if err := needInput("restore", "backup file", path); err != nil {
		return err
	}
	version, err := store.Verify(path, storeTimeout)
	if errors.Is(err, store.ErrDamaged) {
		return fmt.Errorf("restore: %s is damaged, nothing changed: %w\nRestore another backup (soudan check FILE tells whether one is whole); the data file is as it was", path, err)
	}
	if err != nil {
		return fmt.Errorf("restore: %s cannot be restored, nothing changed: %w", path, err)
	}
	release, err := store.Hold(db, storeTimeout)
	switch {
	case err == nil:
		defer release()
	case errors.Is(err, store.ErrLocked):
		return fmt.Errorf("restore: nothing changed: %w", err)
	case errors.Is(err, fs.ErrNotExist):
		// No data file yet: the backup becomes it.
	default:
		// A damaged data file is a reason to restore, not to refuse: it is
		// kept aside like any other.
		m.log.Warn("restore: the current data file does not open; keeping it aside anyway", "path", db, "err", err)
	}
	tmp, err := copyBeside(path, db)
	if err != nil {
		return fmt.Errorf("restore: nothing changed: %w", err)
	}
	defer os.Remove(tmp) // fails harmlessly after the rename
	aside := ""
	if _, err := os.Lstat(db); err == nil {
		aside = db + ".before-restore-" + m.Now().In(m.Config.location).Format(backupLayout)
		if _, err := os.Lstat(aside); err == nil {
			return fmt.Errorf("restore: %s already exists; nothing changed, try again in a second", aside)
		}
		// A hard link keeps the old file under both names, so the data
		// file's name never goes missing; where links are not possible,
		// a rename moves it aside.
		if err := os.Link(db, aside); err != nil {
			if err := os.Rename(db, aside); err != nil {
				return fmt.Errorf("restore: keep the current data file aside: %w", err)
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("restore: %w", err)
	}
	// The inbox's file belongs to the data file it sits beside: its
	// entries are events the restored backup never saw, handled against
	// records it does not have. It goes aside with the data file; the
	// backup carries its own pending entries, which the next start moves
	// into a new inbox file.
	inboxAside := aside
	if inboxAside == "" {
		inboxAside = db + ".before-restore-" + m.Now().In(m.Config.location).Format(backupLayout)
	}
	if err := os.Rename(store.InboxPath(db), store.InboxPath(inboxAside)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("restore: keep the current inbox file aside: %w", err)
	}
	if err := os.Rename(tmp, db); err != nil {
		if aside != "" {
			return fmt.Errorf("restore: put %s in place: %w (the previous data file is %s)", path, err, aside)
		}
		return fmt.Errorf("restore: put %s in place: %w", path, err)
	}
	syncDir(filepath.Dir(db))
	m.log.Debug("restored a backup", "backup", path, "db", db, "schema", version, "kept", aside)
	if aside == "" {
		_, err = fmt.Fprintf(m.Stdout, "restored %s to %s (schema version %d); there was no data file before\n", path, db, version)
		return err
	}
	_, err = fmt.Fprintf(m.Stdout, "restored %s to %s (schema version %d); the previous data file is kept as %s (delete it once the bot runs well)\n", path, db, version, aside)
	return err
}

// copyBeside copies the file src to a new temporary file, mode 0600, in
// dst's directory, synced, and returns its name.
func copyBeside(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(dst), ".soudan-restore-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Chmod(0o600)
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}

// compact rewrites the data file without the free pages deleted records
// left (bbolt never shrinks a file), with the bot stopped, and prints the
// sizes before and after. The data file is replaced whole by a rename.
func (m *Main) compact() error {
	db := m.Config.DataFile()
	if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("compact: there is no data file %s (check -db or SOUDAN_DB)", db)
	} else if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	before, after, err := store.CompactFile(db, storeTimeout)
	if err != nil {
		return err
	}
	m.log.Debug("compacted the data file", "path", db, "before", before, "after", after)
	_, err = fmt.Fprintf(m.Stdout, "compacted %s: %d bytes before, %d bytes after\n", db, before, after)
	return err
}
