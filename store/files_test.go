package store

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/boltkv"
)

// newFile creates a soudan data file at path holding the topic name.
func newFile(t *testing.T, path, topic string) {
	t.Helper()
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := testWrite(st, func(tx *Tx) (Topic, error) { return tx.Topics().Create(Topic{Name: topic}) }); err != nil {
		t.Fatal(err)
	}
}

func TestVerify(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	newFile(t, good, "キャリア")
	if v, err := Verify(good, 0); err != nil || v != len(migrations) {
		t.Errorf("Verify(soudan file) = %d, %v; want %d, nil", v, err, len(migrations))
	}

	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte(strings.Repeat("not a database\n", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "foreign.db") // a bbolt file, not soudan's
	db, err := bbolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := boltkv.Wrap(db).Update(func(tx kv.Tx) error { _, err := tx.CreateBucket("other"); return err }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, p := range []string{text, empty, foreign} {
		before, _ := os.ReadFile(p)
		if _, err := Verify(p, 0); !errors.Is(err, ErrNotStore) {
			t.Errorf("Verify(%s) = %v, want ErrNotStore", filepath.Base(p), err)
		}
		if after, _ := os.ReadFile(p); string(after) != string(before) {
			t.Errorf("Verify changed %s", filepath.Base(p))
		}
	}

	newer := filepath.Join(dir, "newer.db")
	newFile(t, newer, "キャリア")
	db, err = bbolt.Open(newer, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := boltkv.Wrap(db).Update(func(tx kv.Tx) error {
		return tx.Bucket(bktMeta).Put([]byte(schemaKey), []byte(strconv.Itoa(len(migrations)+1)))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Verify(newer, 0); err == nil || !strings.Contains(err.Error(), "newer than this soudan binary knows") {
		t.Errorf("Verify(newer schema) = %v, want a refusal naming the version", err)
	}
}

func TestHoldAndCompactRefuseAHeldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := Hold(path, 50*time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Errorf("Hold(held file) = %v, want ErrLocked", err)
	}
	if _, _, err := CompactFile(path, 50*time.Millisecond); !errors.Is(err, ErrLocked) {
		t.Errorf("CompactFile(held file) = %v, want ErrLocked", err)
	}
}

func TestCompactShrinks(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "compact.db")
	newFile(t, src, "キャリア")
	now := time.Date(2026, 11, 20, 18, 30, 0, 0, time.UTC)
	st, err := Open(src, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	big := []byte(strings.Repeat("x", 4000))
	exp := now.Add(time.Hour)
	for i := range 500 {
		if err := st.Update(func(tx *Tx) error { return tx.PutAdapterState("slack", "k"+strconv.Itoa(i), big, exp) }); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := testWrite(st, func(tx *Tx) (int, error) { return tx.PurgeAdapterState(now.Add(2 * time.Hour)) }); err != nil || n != 500 {
		t.Fatalf("purge = %d, %v; want 500", n, err)
	}
	st.Close()
	before, after, err := Compact(src, dst, 0)
	if err != nil {
		t.Fatalf("Compact: %v", err)
	}
	if after >= before || before < 1<<20 {
		t.Errorf("sizes before, after = %d, %d; want a file over 1 MiB to shrink", before, after)
	}
	if fi, err := os.Stat(dst); err != nil || fi.Size() != after || fi.Mode().Perm() != fileMode {
		t.Errorf("compacted file: %v, %v; want %d bytes, mode 0600", fi, err, after)
	}
	c, err := Open(dst, Options{})
	if err != nil {
		t.Fatalf("open the compacted file: %v", err)
	}
	defer c.Close()
	if _, err := testRead(c, func(tx *Tx) (Topic, error) { return tx.Topics().ByName("キャリア") }); err != nil {
		t.Errorf("topic in the compacted file: %v", err)
	}
	if _, _, err := Compact(src, dst, 0); err == nil {
		t.Errorf("Compact onto an existing file succeeded; want a refusal")
	}
}
