package store_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/boltkv"
	"github.com/soudan/soudan/store/storetest"
)

// record records key in s's inbox and returns the entry and whether it
// was new.
func record(t *testing.T, s *store.Store, key string) (store.InboxEntry, bool) {
	t.Helper()
	e, first, err := s.Inbox().Record(store.InboxEntry{Key: key, Platform: "slack", Message: []byte(`{"Text":"` + key + `"}`)})
	if err != nil {
		t.Fatalf("record %s: %v", key, err)
	}
	return e, first
}

// inboxKeys lists the keys of s's inbox in arrival order.
func inboxKeys(t *testing.T, s *store.Store) []string {
	t.Helper()
	es, err := s.Inbox().Entries()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range es {
		keys = append(keys, e.Key)
	}
	return keys
}

func TestInboxRecordsOnceAndForgetsWhenDone(t *testing.T) {
	s := storetest.MustOpen(t)
	a, first := record(t, s, "slack:Ev1")
	if !first || a.Seq == 0 || a.At.IsZero() {
		t.Fatalf("first record = %+v, %v; want stored with a sequence and a time", a, first)
	}
	record(t, s, "slack:Ev2")
	// A retry of the same event is recognised, and keeps the first record.
	if again, first := record(t, s, "slack:Ev1"); first || again.Seq != a.Seq {
		t.Errorf("retry = %+v, %v; want the first entry (seq %d), not a new one", again, first, a.Seq)
	}
	es, err := s.Inbox().Entries()
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Key != "slack:Ev1" || es[1].Key != "slack:Ev2" || string(es[1].Message) != `{"Text":"slack:Ev2"}` {
		t.Fatalf("entries = %+v, want Ev1 then Ev2 with their messages", es)
	}
	if err := s.Inbox().Done("slack:Ev1", "slack:unknown"); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Inbox().Len(); err != nil || n != 1 {
		t.Errorf("Len after one done = %d, %v; want 1", n, err)
	}
	if _, _, err := s.Inbox().Record(store.InboxEntry{}); err == nil {
		t.Error("Record without a key succeeded, want an error")
	}
}

// Arrival order holds even when the clock stands still or goes back: the
// order is the process's, not the clock's.
func TestInboxKeepsArrivalOrderWhateverTheClock(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return at }
	s := storetest.MustOpen(t, store.Options{Now: clock})
	for i, k := range []string{"slack:3", "slack:1", "slack:2"} {
		if i == 2 {
			at = at.Add(-time.Hour)
		}
		record(t, s, k)
	}
	if got := inboxKeys(t, s); !equal(got, []string{"slack:3", "slack:1", "slack:2"}) {
		t.Errorf("entries = %v, want arrival order slack:3 slack:1 slack:2", got)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The inbox has its own file beside the data file, which outlives a
// restart, and a second soudan cannot take it.
func TestInboxFileBesideTheDataFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	record(t, s, "slack:EvA")
	fi, err := os.Stat(store.InboxPath(path))
	if err != nil {
		t.Fatalf("inbox file: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("inbox file mode = %v, want 0600", fi.Mode().Perm())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// The data file does not hold the entry: it is the inbox's alone.
	db, err := boltkv.Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx kv.Tx) error {
		if b := tx.Bucket("inbox"); b == nil || b.KeyN() != 0 {
			t.Errorf("the data file's inbox bucket holds entries (or is gone); want it empty")
		}
		return nil
	})
	db.Close()

	// Another process holding the inbox file keeps Open out.
	ib, err := boltkv.Open(store.InboxPath(path), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(path, store.Options{Timeout: 50 * time.Millisecond}); !errors.Is(err, store.ErrLocked) {
		t.Errorf("Open with the inbox file held = %v, want ErrLocked", err)
	}
	ib.Close()

	s, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := inboxKeys(t, s); !equal(got, []string{"slack:EvA"}) {
		t.Errorf("after reopening, entries = %v, want slack:EvA", got)
	}
}

// A data file of an older soudan keeps its inbox inside: the first Open
// moves the entries to the inbox's file, in their order, and empties the
// data file's bucket.
func TestInboxMovedOutOfAnOldDataFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Remove(store.InboxPath(path)); err != nil {
		t.Fatal(err)
	}
	db, err := boltkv.Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx kv.Tx) error {
		b := tx.Bucket("inbox")
		for i, k := range []string{"slack:old2", "slack:old1"} {
			v, _ := json.Marshal(store.InboxEntry{Key: k, Platform: "slack", Message: []byte("{}"), Seq: uint64(2 - i)})
			if err := b.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	record(t, s, "slack:new")
	if got := inboxKeys(t, s); !equal(got, []string{"slack:old1", "slack:old2", "slack:new"}) {
		t.Errorf("entries = %v, want slack:old1 slack:old2 slack:new", got)
	}
	s.Close()
	if rep, err := store.Check(path, time.Second); err != nil || rep.Counts.InboxEntries != 3 {
		t.Errorf("Check = %d inbox entries, %v; want 3 (all in the inbox file), nil", rep.Counts.InboxEntries, err)
	}
}

// A backup is one file that carries the pending entries; a store opened
// on it has them in its own inbox.
func TestBackupCarriesTheInbox(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(filepath.Join(dir, "soudan.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	record(t, s, "slack:pending")
	record(t, s, "slack:handled")
	if err := s.Inbox().Done("slack:handled"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := s.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	bk := filepath.Join(dir, "backup.db")
	if err := os.WriteFile(bk, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := store.Open(bk, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := inboxKeys(t, r); !equal(got, []string{"slack:pending"}) {
		t.Errorf("restored inbox = %v, want slack:pending", got)
	}
}

// Compacting the data file compacts its inbox's file too, keeping what it
// holds.
func TestCompactFileCompactsTheInbox(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("x"), 64<<10)
	var keys []string
	for i := range 200 {
		k := "slack:" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		if _, _, err := s.Inbox().Record(store.InboxEntry{Key: k, Platform: "slack", Message: big}); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	if err := s.Inbox().Done(keys[1:]...); err != nil {
		t.Fatal(err)
	}
	s.Close()
	fi, _ := os.Stat(store.InboxPath(path))
	before := fi.Size()
	if _, _, err := store.CompactFile(path, time.Second); err != nil {
		t.Fatal(err)
	}
	fi, _ = os.Stat(store.InboxPath(path))
	if fi.Size() >= before/4 {
		t.Errorf("inbox file %d bytes after compaction, %d before; want it much smaller", fi.Size(), before)
	}
	s, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := inboxKeys(t, s); !equal(got, keys[:1]) {
		t.Errorf("entries after compaction = %v, want %v", got, keys[:1])
	}
}
