package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/soudan/soudan/store"
)

// hotBackup is one /soudan admin backup taken while the load runs: when
// it was asked for, the events acknowledged before that, and the file it
// wrote.
type hotBackup struct {
	asked time.Time
	acked []event // acknowledged before asked
	file  string
	took  time.Duration // from the command to the file in place
	err   error
}

// takeHotBackup asks the bot for a hot backup as the admin (a signed
// slash command) and waits for the new file in dir. Every event
// acknowledged before the command was sent must be in it.
func takeHotBackup(s *session, dir string) *hotBackup {
	before, _ := backupFiles(dir)
	hb := &hotBackup{asked: time.Now()}
	for _, e := range s.load.snapshot() {
		if !e.Acked.IsZero() && e.Acked.Before(hb.asked) {
			hb.acked = append(hb.acked, e)
		}
	}
	client := &http.Client{Timeout: 10 * time.Second}
	status, _, err := signedPost(client, s.load.base, "/slack/commands", slashBody(adminUser, "admin backup", "trg-hot-backup"))
	if err != nil || status != http.StatusOK {
		hb.err = fmt.Errorf("/soudan admin backup: status %d: %v", status, err)
		return hb
	}
	ok := waitFor(60*time.Second, func() bool {
		now, _ := backupFiles(dir)
		for _, f := range now {
			if !slices.Contains(before, f) {
				hb.file = filepath.Join(dir, f)
				return true
			}
		}
		return false
	})
	hb.took = time.Since(hb.asked)
	if !ok {
		hb.err = fmt.Errorf("/soudan admin backup: no new file in %s within 60 s", dir)
	}
	return hb
}

// backupFiles are the finished backups in dir (not the temporary files).
func backupFiles(dir string) ([]string, error) {
	es, err := os.ReadDir(dir)
	var out []string
	for _, e := range es {
		if n := e.Name(); strings.HasPrefix(n, "soudan-") && strings.HasSuffix(n, ".db") {
			out = append(out, n)
		}
	}
	return out, err
}

// backupCheck is what a hot backup holds of the events acknowledged
// before it was asked for.
type backupCheck struct {
	Acked    int   // acknowledged before the backup was asked for
	Handled  int   // in the backup as a consultation or a consultation's message
	Recorded int   // in the backup as a recorded, not yet handled inbox entry
	Missing  int   // in neither: lost by the backup
	Size     int64 // bytes
}

// check opens the backup (a copy, so the check changes nothing) with the
// store package and accounts for every event acknowledged before it.
func (hb *hotBackup) check(tmp string) (backupCheck, error) {
	var bc backupCheck
	if hb.err != nil {
		return bc, hb.err
	}
	fi, err := os.Stat(hb.file)
	if err != nil {
		return bc, err
	}
	bc.Size = fi.Size()
	cp := filepath.Join(tmp, "backup-check.db")
	if err := copyFile(hb.file, cp); err != nil {
		return bc, err
	}
	defer os.Remove(cp)
	st, err := store.Open(cp, store.Options{Timeout: 10 * time.Second})
	if err != nil {
		return bc, fmt.Errorf("open the backup: %w", err)
	}
	defer st.Close()
	handled, recorded := map[string]bool{}, map[string]bool{}
	err = st.View(func(tx *store.Tx) error {
		cs, err := tx.Consultations().ByState()
		if err != nil {
			return err
		}
		for _, c := range cs {
			handled[c.EventID] = true
			for _, m := range c.Messages {
				handled[m.EventID] = true
			}
		}
		return nil
	})
	// The backup carries the inbox's pending entries, which Open moved
	// into the backup's own inbox.
	es, ierr := st.Inbox().Entries()
	for _, e := range es {
		_, id, _ := strings.Cut(e.Key, ":")
		recorded[id] = true
	}
	if err == nil {
		err = ierr
	}
	if err != nil {
		return bc, fmt.Errorf("read the backup: %w", err)
	}
	for _, e := range hb.acked {
		bc.Acked++
		switch {
		case handled[e.ID]:
			bc.Handled++
		case recorded[e.ID]:
			bc.Recorded++
		default:
			bc.Missing++
		}
	}
	return bc, nil
}

const backupHeader = "| offered/s | backup asked at | acked before it | handled in backup | recorded (inbox) in backup | missing | backup MB | command to file |\n|---|---|---|---|---|---|---|---|"
