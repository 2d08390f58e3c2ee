package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soudan/soudan/store"
)

// seed creates a data file at path holding one topic.
func seed(t *testing.T, path, topic string) {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	defer st.Close()
	if _, err := st.CreateTopic(store.Topic{Name: topic}); err != nil {
		t.Fatalf("create topic: %v", err)
	}
}

// runCommand runs one non-console command in-process.
func runCommand(t *testing.T, args ...string) (string, error) {
	t.Helper()
	m, stdout, _ := newMain("")
	if err := m.ParseFlags(t.Context(), args); err != nil {
		t.Fatalf("ParseFlags(%q): %v", args, err)
	}
	err := m.Run(t.Context())
	if cerr := m.Close(); cerr != nil {
		t.Errorf("Close: %v", cerr)
	}
	return stdout.String(), err
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "copy.db")
	seed(t, db, "キャリア")
	writeFile(t, out, "an older backup") // replaced whole
	got, err := runCommand(t, "backup", "-db", db, out)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	wantContains(t, "backup output", got, "backed up "+db+" to "+out)
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("backup file mode = %v, want 0600", got)
	}
	st, err := store.Open(out, store.Options{})
	if err != nil {
		t.Fatalf("open backup: %v", err)
	}
	defer st.Close()
	if _, err := st.TopicByName("キャリア"); err != nil {
		t.Errorf("topic in backup: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".soudan-backup-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestBackupRefusesDataFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "soudan.db")
	seed(t, db, "キャリア")
	_, err := runCommand(t, "backup", "-db", db, db)
	if err == nil || !strings.Contains(err.Error(), "is the data file itself") {
		t.Errorf("backup onto the data file = %v, want a refusal", err)
	}
}

func TestBackupWhileLocked(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "soudan.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = runCommand(t, "backup", "-db", db, filepath.Join(dir, "copy.db"))
	if !errors.Is(err, store.ErrLocked) {
		t.Errorf("backup of a held file = %v, want store.ErrLocked", err)
	}
}
