package store_test

import (
	"path/filepath"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv/boltkv"
)

// TestOpenDBOnOneDatabase: OpenDB on a database another engine opened,
// holding the inbox too (a nil inbox): the store names the engine by
// asking it, records and reads its inbox there, handles data, and closes
// the database.
func TestOpenDBOnOneDatabase(t *testing.T) {
	db, err := boltkv.Open(filepath.Join(t.TempDir(), "kv.db"), 0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.OpenDB(db, nil, store.Options{})
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	if got := s.Engine(); got != "bbolt" {
		t.Errorf("Engine() = %q, want bbolt (the engine's own name)", got)
	}
	if s.Path() != "" {
		t.Errorf("Path() = %q, want none: OpenDB's store is not a file it opened", s.Path())
	}
	if _, first, err := s.Inbox().Record(store.InboxEntry{Key: "slack:Ev1", Platform: "slack", Message: []byte("{}")}); err != nil || !first {
		t.Fatalf("Record = %t, %v; want stored", first, err)
	}
	if n, err := s.Inbox().Len(); err != nil || n != 1 {
		t.Errorf("Inbox().Len() = %d, %v; want 1", n, err)
	}
	if err := s.Update(func(tx *store.Tx) error {
		_, _, err := tx.Users().Ensure(store.UserKey{Platform: "slack", Workspace: "T1", PlatformID: "U1"}, "ゆうこ", "ja")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}
