package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// compactTxSize is how many bytes Compact copies per transaction of the
// new file, so that a large file does not make one huge transaction.
const compactTxSize = 64 << 20

// ErrNotStore means a file is not a soudan data file (not a bbolt file, or
// one without soudan's schema version).
var ErrNotStore = errors.New("store: not a soudan data file")

// Verify checks, without changing it, that the file at path is a soudan
// data file this binary can open: a bbolt file whose pages check out (see
// Check), with a schema version no newer than this binary's. It returns
// that version. A damaged file is an error wrapping ErrDamaged.
func Verify(path string, timeout time.Duration) (int, error) {
	rep, err := check(path, timeout)
	if err != nil {
		return 0, fmt.Errorf("verify %s: %w", path, err)
	}
	return rep.Schema, nil
}

// Hold takes the lock a running soudan holds on the data file at path,
// without reading, migrating or changing the file (so a damaged one too),
// so that files can be swapped under it while no soudan serves it. It fails with an error wrapping
// ErrLocked when another process holds the file for longer than timeout,
// and with fs.ErrNotExist when there is no file. Call release when done.
func Hold(path string, timeout time.Duration) (release func() error, err error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	release, ok, err := holdLock(path, timeout)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		return nil, fmt.Errorf("lock %s: the file is in use by another soudan process (stop it first): %w", path, ErrLocked)
	}
	return release, nil
}

// Compact copies the data file src into the new file dst with bbolt's
// compaction, which leaves out the free pages that deleted records left
// behind (bbolt never shrinks a file), and returns both sizes. It holds
// src's lock meanwhile, so it fails with ErrLocked while soudan serves
// src. dst must not exist.
func Compact(src, dst string, timeout time.Duration) (before, after int64, err error) {
	return compact(src, dst, timeout, nil)
}

// CompactFile compacts the data file at path in place: it compacts into a
// temporary file beside it and renames that over path while still
// holding path's lock, so no soudan can open the old file meanwhile and
// path always names a whole file. The inbox's file beside it
// (InboxPath), when there is one, is compacted the same way, inside the
// data file's lock. It returns the sizes before and after, of both files
// together.
func CompactFile(path string, timeout time.Duration) (before, after int64, err error) {
	tmp, err := tempName(path, ".soudan-compact-*")
	if err != nil {
		return 0, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	defer os.Remove(tmp) // fails harmlessly after the rename
	var ib, ia int64
	before, after, err = compact(path, tmp, timeout, func() error {
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
		inbox := InboxPath(path)
		if fi, err := os.Stat(inbox); errors.Is(err, fs.ErrNotExist) || err == nil && fi.Size() == 0 {
			return nil
		}
		itmp, err := tempName(path, ".soudan-compact-inbox-*")
		if err != nil {
			return err
		}
		defer os.Remove(itmp)
		ib, ia, err = compact(inbox, itmp, timeout, func() error { return os.Rename(itmp, inbox) })
		return err
	})
	return before + ib, after + ia, err
}

// compact is Compact; done, when not nil, runs after dst is written and
// synced and before src's lock is released.
func compact(src, dst string, timeout time.Duration, done func() error) (before, after int64, err error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	fail := func(err error) (int64, int64, error) {
		return 0, 0, fmt.Errorf("compact %s: %w", src, err)
	}
	fi, err := os.Stat(src)
	if err != nil {
		return fail(err)
	}
	if _, err := os.Lstat(dst); err == nil {
		return fail(fmt.Errorf("%s already exists: %w", dst, fs.ErrExist))
	}
	if _, err := preflight(src); err != nil {
		return fail(err)
	}
	var from *bbolt.DB
	defer guard(&err, "compact "+src, func() { os.Remove(dst) })()
	from, err = bbolt.Open(src, fileMode, &bbolt.Options{Timeout: timeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fail(fmt.Errorf("the file is in use by another soudan process (stop it first): %w", ErrLocked))
	}
	if err != nil {
		return fail(err)
	}
	defer from.Close()
	// A damaged file is refused before anything is written: bbolt would
	// copy what it can read of it, or stop half-way.
	if err := from.View(func(tx *bbolt.Tx) error { _, err := verifyTx(tx); return err }); err != nil {
		return fail(err)
	}
	before = fi.Size()
	to, err := bbolt.Open(dst, fileMode, &bbolt.Options{Timeout: timeout})
	if err != nil {
		return fail(err)
	}
	err = bbolt.Compact(to, from, compactTxSize)
	if err == nil {
		err = to.Sync()
	}
	if cerr := to.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return fail(err)
	}
	if err := restrictMode(dst); err != nil {
		return fail(err)
	}
	fi, err = os.Stat(dst)
	if err != nil {
		return fail(err)
	}
	after = fi.Size()
	if done != nil {
		if err := done(); err != nil {
			return fail(err)
		}
	}
	return before, after, nil
}

// tempName returns an unused name beside path matching pattern, for a
// file the caller creates.
func tempName(path, pattern string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), pattern)
	if err != nil {
		return "", err
	}
	name := f.Name()
	f.Close()
	return name, os.Remove(name)
}
