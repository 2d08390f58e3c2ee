package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
)

// A hot backup's check finds each acknowledged event as a consultation,
// a consultation's message or an inbox entry, and counts the others.
func TestHotBackupCheck(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "soudan-20261129-230000.db")
	// The backup is taken as the bot takes it: one file carrying the
	// inbox's pending entries.
	st, err := store.Open(filepath.Join(dir, "live.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(func(tx *store.Tx) error {
		u, _, err := tx.Users().Ensure(store.UserKey{Platform: "slack", Workspace: "T1", PlatformID: "UA0001"}, "asker", "ja")
		if err != nil {
			return err
		}
		_, _, err = tx.Consultations().Create(store.Consultation{AskerID: u.ID, EventID: "EvQ000001", Messages: []store.ConsultMessage{
			{Kind: store.MsgQuestion, AuthorID: u.ID, Text: "q-000001", EventID: "EvQ000001"},
			{Kind: store.MsgAnswer, AuthorID: u.ID, Text: "answer", EventID: "EvR000001"},
		}})
		if err != nil {
			return err
		}
		return err
	})
	if err == nil {
		_, _, err = st.Inbox().Record(store.InboxEntry{Key: "slack:EvQ000002", Platform: "slack", Message: []byte("{}")})
	}
	if err == nil {
		var f *os.File
		if f, err = os.Create(file); err == nil {
			_, err = st.Backup(f)
			f.Close()
		}
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	hb := &hotBackup{file: file, acked: []event{{ID: "EvQ000001", Acked: now}, {ID: "EvR000001", Reply: true, Acked: now}, {ID: "EvQ000002", Acked: now}, {ID: "EvQ000003", Acked: now}}}
	bc, err := hb.check(dir)
	if err != nil {
		t.Fatal(err)
	}
	if bc.Acked != 4 || bc.Handled != 2 || bc.Recorded != 1 || bc.Missing != 1 || bc.Size == 0 {
		t.Errorf("check = %+v; want 4 acked, 2 handled, 1 recorded, 1 missing", bc)
	}
}
