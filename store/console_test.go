package store_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestConsoleStateRoundTrip(t *testing.T) {
	s := storetest.MustOpen(t)
	if got, err := storetest.Read(s, func(tx *store.Tx) ([]byte, error) { return tx.LoadConsole() }); err != nil || got != nil {
		t.Fatalf("LoadConsole of a new file: got %q, %v; want nil, nil", got, err)
	}
	for _, want := range [][]byte{[]byte(`{"version":1,"next":30}`), []byte(`{"version":1,"next":31}`), {}} {
		if err := s.Update(func(tx *store.Tx) error { return tx.SaveConsole(want) }); err != nil {
			t.Fatalf("SaveConsole(%q): %v", want, err)
		}
		got, err := storetest.Read(s, func(tx *store.Tx) ([]byte, error) { return tx.LoadConsole() })
		if err != nil || got == nil || !bytes.Equal(got, want) {
			t.Errorf("LoadConsole after saving %q: got %q (nil %v), %v; want the bytes saved", want, got, got == nil, err)
		}
	}
	if err := s.Update(func(tx *store.Tx) error { return tx.SaveConsole(nil) }); err != nil {
		t.Fatalf("SaveConsole(nil): %v", err)
	}
	if got, err := storetest.Read(s, func(tx *store.Tx) ([]byte, error) { return tx.LoadConsole() }); err != nil || got != nil {
		t.Errorf("LoadConsole after saving nil: got %q, %v; want nil, nil", got, err)
	}
}

func TestConsoleStateIsACopy(t *testing.T) {
	s := storetest.MustOpen(t)
	in := []byte("state")
	if err := s.Update(func(tx *store.Tx) error { return tx.SaveConsole(in) }); err != nil {
		t.Fatal(err)
	}
	in[0] = 'X'
	got := storetest.View(t, s, func(tx *store.Tx) ([]byte, error) { return tx.LoadConsole() })
	got[0] = 'Y'
	if again, err := storetest.Read(s, func(tx *store.Tx) ([]byte, error) { return tx.LoadConsole() }); err != nil || string(again) != "state" {
		t.Errorf("LoadConsole after changing the slices saved and loaded: got %q, %v; want %q", again, err, "state")
	}
}

func TestConsoleStateSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	want := []byte(`{"version":1,"next":30}`)
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.Update(func(tx *store.Tx) error { return tx.SaveConsole(want) }); err != nil {
		t.Fatalf("SaveConsole: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if got, err := storetest.Read(s, func(tx *store.Tx) ([]byte, error) { return tx.LoadConsole() }); err != nil || !bytes.Equal(got, want) {
		t.Errorf("LoadConsole after reopen: got %q, %v; want %q", got, err, want)
	}
}

// TestConsoleMigration opens a file of schema version 1, from before the
// console bucket, with the current binary: it migrates, keeps its data and
// starts with no console state.
func TestConsoleMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	old, err := store.OpenAtSchema(path, store.Options{}, 1)
	if err != nil {
		t.Fatalf("open at schema 1: %v", err)
	}
	if v, err := old.SchemaVersion(); err != nil || v != 1 {
		t.Fatalf("SchemaVersion of the old file: got %d, %v; want 1", v, err)
	}
	u := mustUser(t, old, "U1", "Sato")
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("Open of a schema 1 file: %v", err)
	}
	defer s.Close()
	// Later migrations (3: outbox) run too: the file ends at the newest
	// version, which includes the console bucket of version 2.
	if v, err := s.SchemaVersion(); err != nil || v < 2 || v != store.KnownSchemaVersion {
		t.Errorf("SchemaVersion after migration: got %d, %v; want KnownSchemaVersion %d (at least 2)", v, err, store.KnownSchemaVersion)
	}
	if got, err := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(u.ID) }); err != nil || got.Name != "Sato" {
		t.Errorf("User(%d) after migration: got %q, %v; want %q", u.ID, got.Name, err, "Sato")
	}
	if got, err := storetest.Read(s, func(tx *store.Tx) ([]byte, error) { return tx.LoadConsole() }); err != nil || got != nil {
		t.Errorf("LoadConsole after migration: got %q, %v; want nil, nil", got, err)
	}
	want := []byte(`{"version":1}`)
	if err := s.Update(func(tx *store.Tx) error { return tx.SaveConsole(want) }); err != nil {
		t.Fatalf("SaveConsole after migration: %v", err)
	}
	if got, err := storetest.Read(s, func(tx *store.Tx) ([]byte, error) { return tx.LoadConsole() }); err != nil || !bytes.Equal(got, want) {
		t.Errorf("LoadConsole after saving on a migrated file: got %q, %v; want %q", got, err, want)
	}
}
