package boltkv_test

import (
	"path/filepath"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/boltkv"
	"github.com/soudan/soudan/store/kv/kvtest"
)

// TestConformance runs the seam's conformance suite on a real bbolt file.
// The file is mapped large enough from the start that a write never
// remaps it: bbolt's remap waits for every read transaction, so the
// suite's View that waits for a concurrent Update would wait forever.
func TestConformance(t *testing.T) {
	open := func(t *testing.T) kv.DB {
		db, err := bbolt.Open(filepath.Join(t.TempDir(), "kv.db"), 0o600, &bbolt.Options{InitialMmapSize: 16 << 20})
		if err != nil {
			t.Fatal(err)
		}
		return boltkv.Wrap(db)
	}
	kvtest.Run(t, open)
	// bbolt writes a sequence in the transaction's pages: a rollback
	// undoes it.
	kvtest.RunSequencesUndone(t, open)
}

// TestWrapperAllocs: the wrappers are pointer-shaped, so reaching a
// bucket and reading it through the seam allocates no more than the same
// calls on bbolt itself; a cursor costs one allocation more (bbolt's
// cursor no longer stays on the caller's stack once it is in an
// interface).
func TestWrapperAllocs(t *testing.T) {
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "kv.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := boltkv.Wrap(db)
	if err := w.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket("a")
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("v"))
	}); err != nil {
		t.Fatal(err)
	}
	name, key := "a", []byte("k")
	var direct, seam float64
	if err := db.View(func(tx *bbolt.Tx) error {
		direct = testing.AllocsPerRun(100, func() {
			b := tx.Bucket([]byte(name))
			_ = b.Get(key)
			c := b.Cursor()
			c.First()
			c.Next()
		})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := w.View(func(tx kv.Tx) error {
		seam = testing.AllocsPerRun(100, func() {
			b := tx.Bucket(name)
			_ = b.Get(key)
			c := b.Cursor()
			c.First()
			c.Next()
		})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if seam > direct+1 {
		t.Errorf("through the seam: %.0f allocations, bbolt itself: %.0f, want at most one more (the cursor)", seam, direct)
	}
}
