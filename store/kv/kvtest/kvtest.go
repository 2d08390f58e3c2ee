// Package kvtest is the conformance suite of the store's key-value seam:
// every implementation of kv.DB runs it, so that the store's code above
// the seam behaves the same on each engine.
package kvtest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/soudan/soudan/store/kv"
)

// Run runs the suite on databases made by open, a new empty one per
// subtest.
func Run(t *testing.T, open func(t *testing.T) kv.DB) {
	t.Helper()
	for _, c := range []struct {
		name string
		fn   func(*testing.T, kv.DB)
	}{
		{"Buckets", testBuckets},
		{"GetPutDelete", testGetPutDelete},
		{"Cursor", testCursor},
		{"Sequence", testSequence},
		{"Rollback", testRollback},
		{"ReadOnly", testReadOnly},
		{"OnCommit", testOnCommit},
		{"Batch", testBatch},
		{"ForEachBucket", testForEachBucket},
		{"LongWalk", testLongWalk},
		{"OwnWrites", testOwnWrites},
		{"SequenceRollback", testSequenceRollback},
		{"Snapshot", testSnapshot},
		{"CommitHookSeesCommit", testCommitHookSeesCommit},
		{"ConflictingUpdates", func(t *testing.T, db kv.DB) { testConflicts(t, db, db.Update) }},
		{"ConflictingBatches", func(t *testing.T, db kv.DB) { testConflicts(t, db, db.Batch) }},
		{"GetAfterWrites", testGetAfterWrites},
		{"CursorSeesWrites", testCursorSeesWrites},
		{"WritesDuringWalk", testWritesDuringWalk},
		{"RollbackAfterWrites", testRollbackAfterWrites},
		{"SequenceInTx", testSequenceInTx},
		{"ManyWrites", testManyWrites},
		{"DeleteBucketWithWrites", testDeleteBucketWithWrites},
		{"Prefetch", testPrefetch},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := open(t)
			t.Cleanup(func() { db.Close() })
			c.fn(t, db)
		})
	}
}

// RunSequencesUndone runs the cases of an engine that keeps the stronger
// promise the seam allows but does not demand (bbolt does, PostgreSQL's
// sequences do not): a rolled-back transaction's NextSequence is undone
// with it, so the numbers it took are taken again and ids have no gaps.
func RunSequencesUndone(t *testing.T, open func(t *testing.T) kv.DB) {
	t.Helper()
	t.Run("SequenceUndone", func(t *testing.T) {
		db := open(t)
		t.Cleanup(func() { db.Close() })
		testSequenceUndone(t, db)
	})
}

// must fails the test on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testBuckets(t *testing.T, db kv.DB) {
	must(t, db.Update(func(tx kv.Tx) error {
		if b := tx.Bucket("a"); b != nil {
			return fmt.Errorf("Bucket(a) before creating = %v, want nil", b)
		}
		if _, err := tx.CreateBucket("a"); err != nil {
			return err
		}
		if _, err := tx.CreateBucket("a"); !errors.Is(err, kv.ErrBucketExists) {
			return fmt.Errorf("CreateBucket(a) twice: %v, want ErrBucketExists", err)
		}
		b, err := tx.CreateBucketIfNotExists("a")
		if err != nil || b == nil {
			return fmt.Errorf("CreateBucketIfNotExists(a) = %v, %v", b, err)
		}
		if err := b.Put([]byte("k"), []byte("v")); err != nil {
			return err
		}
		if err := tx.DeleteBucket("nosuch"); !errors.Is(err, kv.ErrBucketNotFound) {
			return fmt.Errorf("DeleteBucket(nosuch) = %v, want ErrBucketNotFound", err)
		}
		return nil
	}))
	must(t, db.Update(func(tx kv.Tx) error {
		if tx.Bucket("a") == nil {
			return errors.New("bucket a did not survive the commit")
		}
		if err := tx.DeleteBucket("a"); err != nil {
			return err
		}
		b, err := tx.CreateBucket("a")
		if err != nil {
			return err
		}
		if v := b.Get([]byte("k")); v != nil {
			return fmt.Errorf("a recreated bucket still has k = %q", v)
		}
		return nil
	}))
}

func testGetPutDelete(t *testing.T, db kv.DB) {
	must(t, db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket("b")
		if err != nil {
			return err
		}
		for _, kvp := range [][2]string{{"x", "1"}, {"empty", ""}, {"\x00\xff", "bin"}, {"相談", "値"}} {
			if err := b.Put([]byte(kvp[0]), []byte(kvp[1])); err != nil {
				return err
			}
		}
		if err := b.Put([]byte("x"), []byte("2")); err != nil { // overwrite
			return err
		}
		if err := b.Delete([]byte("nosuch")); err != nil {
			return fmt.Errorf("Delete of a missing key: %v", err)
		}
		return nil
	}))
	must(t, db.View(func(tx kv.Tx) error {
		b := tx.Bucket("b")
		for k, want := range map[string]string{"x": "2", "\x00\xff": "bin", "相談": "値"} {
			if got := b.Get([]byte(k)); string(got) != want {
				return fmt.Errorf("Get(%q) = %q, want %q", k, got, want)
			}
		}
		if v := b.Get([]byte("empty")); v == nil || len(v) != 0 {
			return fmt.Errorf("Get(empty) = %#v, want a non-nil empty value", v)
		}
		if v := b.Get([]byte("nosuch")); v != nil {
			return fmt.Errorf("Get(nosuch) = %q, want nil", v)
		}
		if n := b.KeyN(); n != 4 {
			return fmt.Errorf("KeyN = %d, want 4", n)
		}
		return nil
	}))
	must(t, db.Update(func(tx kv.Tx) error { return tx.Bucket("b").Delete([]byte("x")) }))
	must(t, db.View(func(tx kv.Tx) error {
		if v := tx.Bucket("b").Get([]byte("x")); v != nil {
			return fmt.Errorf("Get(x) after Delete = %q", v)
		}
		return nil
	}))
}

func testCursor(t *testing.T, db kv.DB) {
	keys := []string{"a", "a\x00", "a\x00b", "ab", "b", "b\xff", "c"}
	must(t, db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket("c")
		if err != nil {
			return err
		}
		for i := len(keys) - 1; i >= 0; i-- { // out of order on purpose
			if err := b.Put([]byte(keys[i]), []byte("v"+keys[i])); err != nil {
				return err
			}
		}
		_, err = tx.CreateBucket("empty")
		return err
	}))
	must(t, db.View(func(tx kv.Tx) error {
		c := tx.Bucket("c").Cursor()
		var got []string
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if string(v) != "v"+string(k) {
				return fmt.Errorf("cursor value of %q = %q", k, v)
			}
			got = append(got, string(k))
		}
		if fmt.Sprint(got) != fmt.Sprint(keys) {
			return fmt.Errorf("forward walk = %q, want %q", got, keys)
		}
		got = got[:0]
		for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
			got = append(got, string(k))
		}
		for i, j := 0, len(got)-1; i < j; i, j = i+1, j-1 {
			got[i], got[j] = got[j], got[i]
		}
		if fmt.Sprint(got) != fmt.Sprint(keys) {
			return fmt.Errorf("backward walk = %q, want %q", got, keys)
		}
		for seek, want := range map[string]string{"": "a", "a": "a", "a\x00a": "a\x00b", "aa": "ab", "b\x00": "b\xff", "c": "c", "d": ""} {
			if k, _ := c.Seek([]byte(seek)); string(k) != want || (want == "" && k != nil) {
				return fmt.Errorf("Seek(%q) = %q, want %q", seek, k, want)
			}
		}
		if k, _ := c.Seek([]byte("b")); string(k) != "b" {
			return fmt.Errorf("Seek(b) = %q", k)
		}
		if k, _ := c.Prev(); string(k) != "ab" {
			return fmt.Errorf("Prev after Seek(b) = %q, want ab", k)
		}
		if k, _ := c.Seek([]byte("zz")); k != nil {
			return fmt.Errorf("Seek past the end = %q", k)
		}
		// The last key before x: Seek(x), then Prev, also when x is
		// past every key.
		if k, _ := c.Prev(); string(k) != "c" {
			return fmt.Errorf("Prev after a Seek past the end = %q, want c (the last key)", k)
		}
		e := tx.Bucket("empty").Cursor()
		if k, _ := e.First(); k != nil {
			return fmt.Errorf("First of an empty bucket = %q", k)
		}
		if k, _ := e.Last(); k != nil {
			return fmt.Errorf("Last of an empty bucket = %q", k)
		}
		n := 0
		err := tx.Bucket("c").ForEach(func(k, v []byte) error {
			if string(k) != keys[n] {
				return fmt.Errorf("ForEach key %d = %q, want %q", n, k, keys[n])
			}
			n++
			return nil
		})
		if err != nil || n != len(keys) {
			return fmt.Errorf("ForEach: %v after %d keys", err, n)
		}
		stop := errors.New("stop")
		n = 0
		if err := tx.Bucket("c").ForEach(func(k, v []byte) error { n++; return stop }); err != stop || n != 1 {
			return fmt.Errorf("ForEach returned %v after %d keys, want its first error after 1", err, n)
		}
		return nil
	}))
}

func testSequence(t *testing.T, db kv.DB) {
	must(t, db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket("s")
		if err != nil {
			return err
		}
		if s := b.Sequence(); s != 0 {
			return fmt.Errorf("Sequence of a new bucket = %d", s)
		}
		for want := uint64(1); want <= 3; want++ {
			if got, err := b.NextSequence(); err != nil || got != want {
				return fmt.Errorf("NextSequence = %d, %v; want %d", got, err, want)
			}
		}
		return nil
	}))
	must(t, db.Update(func(tx kv.Tx) error {
		b := tx.Bucket("s")
		if s := b.Sequence(); s != 3 {
			return fmt.Errorf("Sequence after commit = %d, want 3", s)
		}
		if got, err := b.NextSequence(); err != nil || got != 4 {
			return fmt.Errorf("NextSequence = %d, %v; want 4", got, err)
		}
		if err := b.SetSequence(1 << 40); err != nil {
			return err
		}
		if got, err := b.NextSequence(); err != nil || got != 1<<40+1 {
			return fmt.Errorf("NextSequence after SetSequence(1<<40) = %d, %v", got, err)
		}
		fresh, err := tx.CreateBucket("set")
		if err != nil {
			return err
		}
		if err := fresh.SetSequence(7); err != nil {
			return err
		}
		return nil
	}))
	must(t, db.View(func(tx kv.Tx) error {
		if s := tx.Bucket("set").Sequence(); s != 7 {
			return fmt.Errorf("Sequence after SetSequence(7) and a commit = %d", s)
		}
		if err := tx.Bucket("set").SetSequence(8); !errors.Is(err, kv.ErrTxNotWritable) {
			return fmt.Errorf("SetSequence in View = %v, want ErrTxNotWritable", err)
		}
		return nil
	}))
}

func testRollback(t *testing.T, db kv.DB) {
	must(t, db.Update(func(tx kv.Tx) error {
		_, err := tx.CreateBucket("r")
		return err
	}))
	boom := errors.New("boom")
	err := db.Update(func(tx kv.Tx) error {
		b := tx.Bucket("r")
		if err := b.Put([]byte("k"), []byte("v")); err != nil {
			return err
		}
		if _, err := b.NextSequence(); err != nil {
			return err
		}
		if _, err := tx.CreateBucket("new"); err != nil {
			return err
		}
		if got := b.Get([]byte("k")); string(got) != "v" {
			return fmt.Errorf("a transaction does not read its own write: %q", got)
		}
		return boom
	})
	if err != boom {
		t.Fatalf("Update returned %v, want the function's own error", err)
	}
	must(t, db.View(func(tx kv.Tx) error {
		if v := tx.Bucket("r").Get([]byte("k")); v != nil {
			return fmt.Errorf("a rolled-back Put is visible: %q", v)
		}
		// What a rolled-back NextSequence leaves is the engine's choice
		// (testSequenceRollback, RunSequencesUndone); at most the one
		// number it took.
		if s := tx.Bucket("r").Sequence(); s > 1 {
			return fmt.Errorf("Sequence after one rolled-back NextSequence = %d, want 0 or 1", s)
		}
		if tx.Bucket("new") != nil {
			return errors.New("a rolled-back CreateBucket is visible")
		}
		return nil
	}))
}

func testReadOnly(t *testing.T, db kv.DB) {
	must(t, db.Update(func(tx kv.Tx) error {
		if !tx.Writable() {
			return errors.New("an Update transaction is not writable")
		}
		_, err := tx.CreateBucket("ro")
		return err
	}))
	must(t, db.View(func(tx kv.Tx) error {
		if tx.Writable() {
			return errors.New("a View transaction is writable")
		}
		if err := tx.Bucket("ro").Put([]byte("k"), []byte("v")); !errors.Is(err, kv.ErrTxNotWritable) {
			return fmt.Errorf("Put in View = %v, want ErrTxNotWritable", err)
		}
		if err := tx.Bucket("ro").Delete([]byte("k")); !errors.Is(err, kv.ErrTxNotWritable) {
			return fmt.Errorf("Delete in View = %v, want ErrTxNotWritable", err)
		}
		if _, err := tx.Bucket("ro").NextSequence(); !errors.Is(err, kv.ErrTxNotWritable) {
			return fmt.Errorf("NextSequence in View = %v, want ErrTxNotWritable", err)
		}
		if _, err := tx.CreateBucket("x"); !errors.Is(err, kv.ErrTxNotWritable) {
			return fmt.Errorf("CreateBucket in View = %v, want ErrTxNotWritable", err)
		}
		return nil
	}))
}

func testOnCommit(t *testing.T, db kv.DB) {
	var order []int
	must(t, db.Update(func(tx kv.Tx) error {
		tx.OnCommit(func() { order = append(order, 1) })
		tx.OnCommit(func() { order = append(order, 2) })
		if len(order) != 0 {
			return errors.New("a commit hook ran before the commit")
		}
		_, err := tx.CreateBucket("h")
		return err
	}))
	if fmt.Sprint(order) != "[1 2]" {
		t.Fatalf("commit hooks ran as %v, want [1 2]", order)
	}
	ran := false
	_ = db.Update(func(tx kv.Tx) error {
		tx.OnCommit(func() { ran = true })
		return errors.New("roll back")
	})
	if ran {
		t.Fatal("a commit hook ran for a rolled-back transaction")
	}
	must(t, db.View(func(tx kv.Tx) error {
		tx.OnCommit(func() { ran = true })
		return nil
	}))
	if ran {
		t.Fatal("a commit hook ran for a read-only transaction")
	}
	var id1, id2 uint64
	must(t, db.Update(func(tx kv.Tx) error { id1 = tx.ID(); return nil }))
	must(t, db.Update(func(tx kv.Tx) error { id2 = tx.ID(); return nil }))
	if id1 == id2 {
		t.Fatalf("two separate write transactions share the id %d", id1)
	}
}

func testBatch(t *testing.T, db kv.DB) {
	must(t, db.Update(func(tx kv.Tx) error {
		_, err := tx.CreateBucket("batch")
		return err
	}))
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- db.Batch(func(tx kv.Tx) error {
				return tx.Bucket("batch").Put([]byte{byte(i)}, []byte{byte(i)})
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	must(t, db.View(func(tx kv.Tx) error {
		if got := tx.Bucket("batch").KeyN(); got != n {
			return fmt.Errorf("after %d Batch calls the bucket holds %d keys", n, got)
		}
		return nil
	}))
}
