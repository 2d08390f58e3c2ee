package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// seed creates a data file at path holding one topic.
func seed(t *testing.T, path, topic string) {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	defer st.Close()
	if _, err := storetest.Write(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Create(store.Topic{Name: topic}) }); err != nil {
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
	t.Parallel()
	dir := t.TempDir()
	db, out := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "copy.db")
	seed(t, db, "キャリア")
	writeFile(t, out, "an older backup") // replaced whole, as -force asks
	got, err := runCommand(t, "backup", "-force", "-db", db, out)
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
	if _, err := storetest.Read(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("キャリア") }); err != nil {
		t.Errorf("topic in backup: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".soudan-backup-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestBackupRefusesDataFile(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	seed(t, db, "キャリア")
	_, err := runCommand(t, "backup", "-db", db, db)
	if err == nil || !strings.Contains(err.Error(), "is the data file itself") {
		t.Errorf("backup onto the data file = %v, want a refusal", err)
	}
}

func TestBackupWhileLocked(t *testing.T) {
	t.Parallel()
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

// A misspelt -db is an error: nothing is created, neither the data file
// nor the backup, and the exit code says it failed.
func TestBackupMissingDataFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	typo, out := filepath.Join(dir, "soudna.db"), filepath.Join(dir, "copy.db")
	_, err := runCommand(t, "backup", "-db", typo, out)
	if err == nil || !strings.Contains(err.Error(), "there is no data file "+typo) {
		t.Errorf("backup of a missing data file = %v, want an error naming it", err)
	}
	for _, p := range []string{typo, out} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s after the failed backup: stat = %v, want it not to exist", p, err)
		}
	}
	var stdout, stderr bottest.Buffer
	if code := run(t.Context(), []string{"backup", "-db", typo, out}, strings.NewReader(""), &stdout, &stderr); code != exitError {
		t.Errorf("exit code = %d, want %d; stderr: %s", code, exitError, stderr.String())
	}
	if _, err := os.Stat(typo); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the run created %s (stat: %v)", typo, err)
	}
}

// An existing backup file is kept unless -force says to replace it.
func TestBackupKeepsExistingFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, out := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "copy.db")
	seed(t, db, "キャリア")
	writeFile(t, out, "an older backup")
	_, err := runCommand(t, "backup", "-db", db, out)
	if err == nil || !strings.Contains(err.Error(), out+" already exists") || !strings.Contains(err.Error(), "-force") {
		t.Errorf("backup onto an existing file = %v, want a refusal that names -force", err)
	}
	if b, err := os.ReadFile(out); err != nil || string(b) != "an older backup" {
		t.Errorf("existing file after the refusal = %q, %v; want it untouched", b, err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".soudan-backup-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	if _, err := runCommand(t, "backup", "-db", db, "-force", out); err != nil {
		t.Fatalf("backup -force: %v", err)
	}
	st, err := store.Open(out, store.Options{})
	if err != nil {
		t.Fatalf("open the replaced backup: %v", err)
	}
	defer st.Close()
	if _, err := storetest.Read(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("キャリア") }); err != nil {
		t.Errorf("topic in the replaced backup: %v", err)
	}
}
