package store_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	u := mustUser(t, s, "U1", "Sato")
	tp := mustTopic(t, s, store.Topic{Name: "career", Aliases: []string{"キャリア"}})
	c, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{TopicID: tp.ID, AskerID: u.ID,
			Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: u.ID, Text: "転職すべき?"}}})
	})
	if err != nil {
		t.Fatalf("CreateConsultation: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if got, err := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(u.ID) }); err != nil || got.Name != "Sato" {
		t.Errorf("User(%d) after reopen: got %q, %v; want %q", u.ID, got.Name, err, "Sato")
	}
	if got, err := storetest.Read(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("キャリア") }); err != nil || got.ID != tp.ID {
		t.Errorf("TopicByName after reopen: got id %d, %v; want %d", got.ID, err, tp.ID)
	}
	got, err := storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(c.ID) })
	if err != nil || got.Question() != "転職すべき?" || !got.CreatedAt.Equal(c.CreatedAt) {
		t.Errorf("Consultation(%d) after reopen: got %q at %v, %v; want %q at %v",
			c.ID, got.Question(), got.CreatedAt, err, "転職すべき?", c.CreatedAt)
	}
}

func TestOpenLockedFailsFast(t *testing.T) {
	s := storetest.MustOpenFile(t)
	start := time.Now()
	_, err := store.Open(s.Path(), store.Options{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second Open: got %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "in use by another soudan process") {
		t.Errorf("second Open: got message %q, want it to explain the file is in use", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("second Open took %v, want about the 100ms timeout", d)
	}
}

func TestFileMode(t *testing.T) {
	t.Run("new file", func(t *testing.T) {
		s := storetest.MustOpenFile(t)
		assertMode(t, s.Path(), 0o600)
	})
	t.Run("existing wider file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "soudan.db")
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer s.Close()
		assertMode(t, path, 0o600)
	})
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("mode of %s: got %v, want %v", path, got, want)
	}
}

func TestMigrationsRunOnceAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	runs := make([]int, 2)
	extra := []func(){func() { runs[0]++ }, func() { runs[1]++ }}
	for i := range 3 {
		s, err := store.OpenWithExtraMigrations(path, store.Options{}, extra...)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		v, err := s.SchemaVersion()
		if err != nil {
			t.Fatalf("SchemaVersion: %v", err)
		}
		if want := store.KnownSchemaVersion + 2; v != want {
			t.Errorf("open #%d: schema version got %d, want %d", i+1, v, want)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if runs[0] != 1 || runs[1] != 1 {
		t.Errorf("migration runs after 3 opens: got %v, want [1 1]", runs)
	}
}

func TestSchemaVersion(t *testing.T) {
	s := storetest.MustOpen(t)
	v, err := s.SchemaVersion()
	if err != nil || v != store.KnownSchemaVersion || v < 1 {
		t.Errorf("SchemaVersion of a new file: got %d, %v; want %d (>= 1)", v, err, store.KnownSchemaVersion)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	s, err := store.OpenWithExtraMigrations(path, store.Options{}, func() {})
	if err != nil {
		t.Fatalf("open with a future migration: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(path, store.Options{})
	if err == nil {
		s.Close()
		t.Fatal("Open of a newer schema: got nil error, want a refusal")
	}
	if !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open of a newer schema: got %q, want it to say the file is newer", err)
	}
}

func TestBackupProducesOpenableFile(t *testing.T) {
	s := storetest.MustOpenFile(t)
	u := mustUser(t, s, "U1", "Sato")
	var buf bytes.Buffer
	n, err := s.Backup(&buf)
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if n != int64(buf.Len()) || n == 0 {
		t.Errorf("Backup: got n=%d for %d bytes written, want them equal and > 0", n, buf.Len())
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("Open backup: %v", err)
	}
	defer b.Close()
	if got, err := storetest.Read(b, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(u.ID) }); err != nil || got.Name != u.Name {
		t.Errorf("User(%d) in backup: got %q, %v; want %q", u.ID, got.Name, err, u.Name)
	}
}
