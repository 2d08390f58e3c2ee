package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// topicIn reports whether the data file at path holds the topic.
func topicIn(t *testing.T, path, topic string) bool {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer st.Close()
	_, err = storetest.Read(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName(topic) })
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("topic %s in %s: %v", topic, path, err)
	}
	return err == nil
}

// noTemps fails the test when restore or compact left temporary files.
func noTemps(t *testing.T, dir string) {
	t.Helper()
	if left, _ := filepath.Glob(filepath.Join(dir, ".soudan-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// Restore puts the backup's data in place, keeps the old file aside, and
// the restored file serves.
func TestRestore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, backup := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "soudan-20261120-031500.db")
	seed(t, backup, "転勤")
	seed(t, db, "キャリア")
	backupBytes, _ := os.ReadFile(backup)
	got, err := runCommand(t, "restore", "-db", db, backup)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	aside := db + ".before-restore-" + fixedNow.Format(backupLayout) // fixedNow is in Tokyo, -tz's default
	wantContains(t, "restore output", got, "restored "+backup+" to "+db, "the previous data file is kept as "+aside)
	// The old inbox goes aside with its data file; the restored file gets
	// a new one when it is opened.
	if _, err := os.Stat(store.InboxPath(aside)); err != nil {
		t.Errorf("the old inbox file is not kept beside %s: %v", aside, err)
	}
	if _, err := os.Stat(store.InboxPath(db)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an inbox file beside the restored data file before it is opened: %v; want none", err)
	}
	if !topicIn(t, aside, "キャリア") || topicIn(t, aside, "転勤") {
		t.Errorf("%s does not hold the old data", aside)
	}
	if b, _ := os.ReadFile(backup); string(b) != string(backupBytes) {
		t.Errorf("restore changed the backup file")
	}
	noTemps(t, dir)
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("restored data file: %v, %v; want mode 0600", fi, err)
	}
	out := session(t, db, "/soudan admin topic list\n")
	wantContains(t, "console on the restored file", out, "転勤")
	if strings.Contains(out, "キャリア") {
		t.Errorf("the restored file still lists the old topic キャリア:\n%s", out)
	}
}

// Restoring without a data file makes the backup the data file.
func TestRestoreWithoutDataFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, backup := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "copy.db")
	seed(t, backup, "転勤")
	got, err := runCommand(t, "restore", "-db", db, backup)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	wantContains(t, "restore output", got, "there was no data file before")
	if !topicIn(t, db, "転勤") {
		t.Errorf("the restored data file lacks the backup's topic")
	}
}

// A file that is not a soudan data file is refused, and nothing changes;
// so is a restore while the bot holds the data file.
func TestRestoreRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, junk := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "junk.db")
	seed(t, db, "キャリア")
	writeFile(t, junk, strings.Repeat("not a database\n", 500))
	before, _ := os.ReadFile(db)
	unchanged := func(what string) {
		t.Helper()
		if after, _ := os.ReadFile(db); string(after) != string(before) {
			t.Errorf("%s: the data file changed", what)
		}
		if aside, _ := filepath.Glob(db + ".before-restore-*"); len(aside) > 0 {
			t.Errorf("%s: files kept aside: %v", what, aside)
		}
		noTemps(t, dir)
	}
	_, err := runCommand(t, "restore", "-db", db, junk)
	if !errors.Is(err, store.ErrNotStore) || !strings.Contains(err.Error(), "nothing changed") {
		t.Errorf("restore of a text file = %v, want a refusal (store.ErrNotStore)", err)
	}
	unchanged("text file")
	if _, err := runCommand(t, "restore", "-db", db, db); err == nil || !strings.Contains(err.Error(), "is the data file itself") {
		t.Errorf("restore of the data file itself = %v, want a refusal", err)
	}
	unchanged("the data file itself")

	backup := filepath.Join(dir, "copy.db")
	seed(t, backup, "転勤")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	before, _ = os.ReadFile(db)
	_, err = runCommand(t, "restore", "-db", db, backup)
	st.Close()
	if !errors.Is(err, store.ErrLocked) {
		t.Errorf("restore while the data file is held = %v, want store.ErrLocked", err)
	}
	unchanged("held data file")
	if _, err := parse(t, "restore"); err == nil || !strings.Contains(err.Error(), "soudan restore BACKUP") {
		t.Errorf("restore without a file = %v, want its usage", err)
	}
}

// Compact shrinks a file after many records were deleted, and the data is
// intact.
func TestCompact(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "soudan.db")
	seed(t, db, "キャリア")
	st, err := store.Open(db, store.Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	big := []byte(strings.Repeat("x", 4000))
	for i := range 500 {
		if err := st.Update(func(tx *store.Tx) error {
			return tx.PutAdapterState("slack", fmt.Sprint("form", i), big, fixedNow.Add(time.Hour))
		}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := storetest.Write(st, func(tx *store.Tx) (int, error) { return tx.PurgeAdapterState(fixedNow.Add(2 * time.Hour)) }); err != nil || n != 500 {
		t.Fatalf("purge = %d, %v; want 500", n, err)
	}
	st.Close()
	fi, _ := os.Stat(db)
	got, err := runCommand(t, "compact", "-db", db)
	if err != nil {
		t.Fatalf("compact: %v", err)
	}
	after, _ := os.Stat(db)
	if after.Size() >= fi.Size() {
		t.Errorf("size after compact = %d, want less than %d", after.Size(), fi.Size())
	}
	wantContains(t, "compact output", got, "compacted "+db, "bytes before", "bytes after")
	if after.Mode().Perm() != 0o600 {
		t.Errorf("mode after compact = %v, want 0600", after.Mode().Perm())
	}
	noTemps(t, dir)
	if !topicIn(t, db, "キャリア") {
		t.Errorf("compacted file lacks the topic")
	}
	if _, err := runCommand(t, "compact", "-db", filepath.Join(dir, "typo.db")); err == nil || !strings.Contains(err.Error(), "there is no data file") {
		t.Errorf("compact of a missing file = %v, want an error naming it", err)
	}
}
