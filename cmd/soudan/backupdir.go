package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/soudan/soudan/scheduler"
	"github.com/soudan/soudan/store"
)

// backupJobSpec is when the daily store:backup job runs: before the
// night's purges.
const backupJobSpec = "15 3 * * *"

// backupLayout is the time in a backup's file name: it sorts by
// time, and rotation keeps only names of this form.
const backupLayout = "20060102-150405"

// backupFile matches the names backupDir writes and rotates.
var backupFile = regexp.MustCompile(`^soudan-\d{8}-\d{6}\.db$`)

// backupDir writes hot backups of the serving store into a directory,
// soudan-YYYYMMDD-HHMMSS.db, and keeps the newest keep of them. The daily
// store:backup job and /soudan admin backup share it.
type backupDir struct {
	st   *store.Store
	dir  string
	keep int
	loc  *time.Location
	log  *slog.Logger

	mu sync.Mutex // one backup and rotation at a time
}

// write takes a backup named after now and removes the oldest backups
// beyond keep. It returns the new file's name (in dir) and size.
func (b *backupDir) write(_ context.Context, now time.Time) (string, int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := os.MkdirAll(b.dir, 0o700); err != nil {
		return "", 0, fmt.Errorf("backup: %w", err)
	}
	loc := b.loc
	if loc == nil {
		loc = time.Local
	}
	name := "soudan-" + now.In(loc).Format(backupLayout) + ".db"
	path := filepath.Join(b.dir, name)
	n, err := writeBackup(b.st, path)
	if err != nil {
		return "", 0, fmt.Errorf("backup to %s: %w", path, err)
	}
	b.log.Info("backup written", "path", path, "bytes", n)
	removed, err := b.rotate()
	if err != nil {
		// The backup is written: say what failed, do not fail it.
		b.log.Error("backup: remove old backups", "dir", b.dir, "err", err)
	} else if len(removed) > 0 {
		b.log.Info("backup: removed old backups", "dir", b.dir, "files", removed, "keep", b.keep)
	}
	return name, n, nil
}

// rotate removes the oldest backups beyond keep and returns their names.
// Files not named like a backup are left alone.
func (b *backupDir) rotate() ([]string, error) {
	entries, err := os.ReadDir(b.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && backupFile.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	if len(names) <= b.keep {
		return nil, nil
	}
	old := names[:len(names)-b.keep]
	var errs []error
	for _, name := range old {
		if err := os.Remove(filepath.Join(b.dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return old, errors.Join(errs...)
}

// job is the daily store:backup job.
func (b *backupDir) job() scheduler.Job {
	return scheduler.Job{Name: "store:backup", Spec: backupJobSpec, Period: scheduler.Daily, Run: func(ctx context.Context, now time.Time) error {
		_, _, err := b.write(ctx, now)
		return err
	}}
}

// backups is the backup directory of the settings on the open store; nil
// when -backup-dir is not set.
func (m *Main) backups() *backupDir {
	if m.Config.BackupDir == "" || m.store == nil {
		return nil
	}
	if m.backupDir == nil || m.backupDir.st != m.store {
		m.backupDir = &backupDir{st: m.store, dir: m.Config.BackupDir, keep: m.Config.BackupKeep, loc: m.Config.location, log: m.log}
	}
	return m.backupDir
}
