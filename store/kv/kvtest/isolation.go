package kvtest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// testForEachBucket: every bucket, by name in byte order, and the first
// error stops the walk.
func testForEachBucket(t *testing.T, db kv.DB) {
	names := []string{"b", "a.by_x", "相談", "a"}
	must(t, db.Update(func(tx kv.Tx) error {
		for _, n := range names {
			if _, err := tx.CreateBucket(n); err != nil {
				return err
			}
		}
		return nil
	}))
	must(t, db.View(func(tx kv.Tx) error {
		var got []string
		if err := tx.ForEachBucket(func(name string) error { got = append(got, name); return nil }); err != nil {
			return err
		}
		if want := "[a a.by_x b 相談]"; fmt.Sprint(got) != want {
			return fmt.Errorf("ForEachBucket = %v, want %s", got, want)
		}
		stop := errors.New("stop")
		n := 0
		if err := tx.ForEachBucket(func(string) error { n++; return stop }); err != stop || n != 1 {
			return fmt.Errorf("ForEachBucket returned %v after %d buckets, want its first error after 1", err, n)
		}
		return nil
	}))
}

// key returns the big-endian key of i, as the store's ids are.
func key(i int) []byte { return binary.BigEndian.AppendUint64(nil, uint64(i)) }

// testLongWalk: a walk over more keys than an engine would read at once
// (an engine that pages must not lose or repeat a key at a page's edge),
// both ways, turning round in the middle.
func testLongWalk(t *testing.T, db kv.DB) {
	const n = 3000
	must(t, db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket("long")
		if err != nil {
			return err
		}
		for i := 1; i <= n; i++ {
			if err := b.Put(key(i), key(i*7)); err != nil {
				return err
			}
		}
		return nil
	}))
	must(t, db.View(func(tx kv.Tx) error {
		c := tx.Bucket("long").Cursor()
		i := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			i++
			if !bytes.Equal(k, key(i)) || !bytes.Equal(v, key(i*7)) {
				return fmt.Errorf("forward walk: row %d is %x=%x", i, k, v)
			}
		}
		if i != n {
			return fmt.Errorf("forward walk saw %d keys, want %d", i, n)
		}
		i = n + 1
		for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
			i--
			if !bytes.Equal(k, key(i)) {
				return fmt.Errorf("backward walk: row %d is %x", i, k)
			}
		}
		if i != 1 {
			return fmt.Errorf("backward walk ended at %d, want 1", i)
		}
		// Forward for a while, then back past where the walk began.
		k, _ := c.Seek(key(1000))
		for range 700 {
			k, _ = c.Next()
		}
		if !bytes.Equal(k, key(1700)) {
			return fmt.Errorf("700 steps after Seek(1000): %x", k)
		}
		for range 1200 {
			k, _ = c.Prev()
		}
		if !bytes.Equal(k, key(500)) {
			return fmt.Errorf("1200 steps back from 1700: %x", k)
		}
		if n := tx.Bucket("long").KeyN(); n != 3000 {
			return fmt.Errorf("KeyN = %d", n)
		}
		return nil
	}))
}

// testOwnWrites: inside a write transaction, reads see its own writes:
// Get, a new cursor, a cursor moved on after the write, and KeyN.
func testOwnWrites(t *testing.T, db kv.DB) {
	must(t, db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket("own")
		if err != nil {
			return err
		}
		for _, k := range []string{"a", "c", "e"} {
			if err := b.Put([]byte(k), []byte(k)); err != nil {
				return err
			}
		}
		return nil
	}))
	must(t, db.Update(func(tx kv.Tx) error {
		b := tx.Bucket("own")
		if err := b.Put([]byte("b"), []byte("B")); err != nil {
			return err
		}
		if err := b.Delete([]byte("c")); err != nil {
			return err
		}
		if err := b.Put([]byte("e"), []byte("E")); err != nil {
			return err
		}
		if got := b.Get([]byte("c")); got != nil {
			return fmt.Errorf("Get of a key deleted in this transaction = %q", got)
		}
		var walk []string
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			walk = append(walk, string(k)+"="+string(v))
		}
		if want := "[a=a b=B e=E]"; fmt.Sprint(walk) != want {
			return fmt.Errorf("walk after writes = %v, want %s", walk, want)
		}
		if k, _ := c.Seek([]byte("d")); string(k) != "e" {
			return fmt.Errorf("Seek(d) = %q, want e", k)
		}
		if n := b.KeyN(); n != 3 {
			return fmt.Errorf("KeyN = %d, want 3", n)
		}
		return nil
	}))
}

// testSequenceRollback: after a rollback, the next NextSequence gives a
// number above every number a committed transaction got, and Sequence
// names it; whether the rolled-back numbers are taken again is the
// engine's choice (RunSequencesUndone checks the engines that do). A
// bucket made again starts its ids anew.
func testSequenceRollback(t *testing.T, db kv.DB) {
	must(t, db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket("ids")
		if err != nil {
			return err
		}
		_, err = b.NextSequence()
		return err
	}))
	boom := errors.New("boom")
	var taken []uint64
	if err := db.Update(func(tx kv.Tx) error {
		taken = taken[:0]
		for range 3 {
			n, err := tx.Bucket("ids").NextSequence()
			if err != nil {
				return err
			}
			taken = append(taken, n)
		}
		return boom
	}); err != boom {
		t.Fatalf("Update = %v, want %v", err, boom)
	}
	if fmt.Sprint(taken) != "[2 3 4]" {
		t.Fatalf("NextSequence in the transaction that rolls back = %v, want [2 3 4]", taken)
	}
	must(t, db.Update(func(tx kv.Tx) error {
		b := tx.Bucket("ids")
		n, err := b.NextSequence()
		if err != nil || (n != 2 && n != 5) {
			return fmt.Errorf("NextSequence after a rollback = %d, %v; want 2 (numbers undone) or 5 (never given again)", n, err)
		}
		if s := b.Sequence(); s != n {
			return fmt.Errorf("Sequence after NextSequence gave %d = %d", n, s)
		}
		if err := tx.DeleteBucket("ids"); err != nil {
			return err
		}
		b, err = tx.CreateBucket("ids")
		if err != nil {
			return err
		}
		if s := b.Sequence(); s != 0 {
			return fmt.Errorf("Sequence of a bucket made again = %d, want 0", s)
		}
		return nil
	}))
}

// testSequenceUndone: the numbers a rolled-back transaction took are
// taken again, and Sequence is back where the last commit left it.
func testSequenceUndone(t *testing.T, db kv.DB) {
	must(t, db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket("ids")
		if err != nil {
			return err
		}
		_, err = b.NextSequence()
		return err
	}))
	boom := errors.New("boom")
	if err := db.Update(func(tx kv.Tx) error {
		for range 3 {
			if _, err := tx.Bucket("ids").NextSequence(); err != nil {
				return err
			}
		}
		return tx.Bucket("ids").SetSequence(1000)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx kv.Tx) error {
		if err := tx.Bucket("ids").SetSequence(5000); err != nil {
			return err
		}
		_, err := tx.Bucket("ids").NextSequence()
		if err != nil {
			return err
		}
		return boom
	}); err != boom {
		t.Fatalf("Update = %v, want %v", err, boom)
	}
	must(t, db.View(func(tx kv.Tx) error {
		if s := tx.Bucket("ids").Sequence(); s != 1000 {
			return fmt.Errorf("Sequence after a rolled-back SetSequence and NextSequence = %d, want 1000", s)
		}
		return nil
	}))
	must(t, db.Update(func(tx kv.Tx) error {
		if n, err := tx.Bucket("ids").NextSequence(); err != nil || n != 1001 {
			return fmt.Errorf("NextSequence after a rollback = %d, %v; want 1001", n, err)
		}
		return nil
	}))
}

// testSnapshot: a View sees one snapshot: a write that commits while it
// runs changes nothing it reads, Get, cursor or count. (An engine may
// make writes wait for readers at times, as bbolt does when it remaps its
// file; its test must open it so that this write does not.)
func testSnapshot(t *testing.T, db kv.DB) {
	must(t, db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket("snap")
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("old"))
	}))
	must(t, db.View(func(tx kv.Tx) error {
		b := tx.Bucket("snap")
		if got := b.Get([]byte("k")); string(got) != "old" {
			return fmt.Errorf("Get(k) = %q", got)
		}
		done := make(chan error, 1)
		go func() {
			done <- db.Update(func(tx kv.Tx) error {
				b := tx.Bucket("snap")
				if err := b.Put([]byte("k"), []byte("new")); err != nil {
					return err
				}
				return b.Put([]byte("k2"), []byte("added"))
			})
		}()
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("Update during a View: %v", err)
			}
		case <-time.After(10 * time.Second):
			return errors.New("an Update waited 10 s for a View to end")
		}
		if got := b.Get([]byte("k")); string(got) != "old" {
			return fmt.Errorf("after a concurrent commit the View reads k = %q, want old", got)
		}
		if got := b.Get([]byte("k2")); got != nil {
			return fmt.Errorf("after a concurrent commit the View reads k2 = %q, want nothing", got)
		}
		if k, _ := b.Cursor().Last(); string(k) != "k" {
			return fmt.Errorf("after a concurrent commit the View's last key = %q, want k", k)
		}
		if n := b.KeyN(); n != 1 {
			return fmt.Errorf("after a concurrent commit the View counts %d keys, want 1", n)
		}
		return nil
	}))
	must(t, db.View(func(tx kv.Tx) error {
		if got := tx.Bucket("snap").Get([]byte("k")); string(got) != "new" {
			return fmt.Errorf("a View after the commit reads k = %q, want new", got)
		}
		return nil
	}))
}

// testCommitHookSeesCommit: a commit hook runs once the commit is done:
// a new transaction started from the hook sees what it committed.
func testCommitHookSeesCommit(t *testing.T, db kv.DB) {
	var seen []byte
	var hookErr error
	must(t, db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket("hook")
		if err != nil {
			return err
		}
		tx.OnCommit(func() {
			hookErr = db.View(func(tx kv.Tx) error {
				if b := tx.Bucket("hook"); b != nil {
					seen = bytes.Clone(b.Get([]byte("k")))
				}
				return nil
			})
		})
		return b.Put([]byte("k"), []byte("committed"))
	}))
	must(t, hookErr)
	if string(seen) != "committed" {
		t.Fatalf("a View in the commit hook read %q, want the committed value", seen)
	}
}

// testConflicts: transactions that read and then write the same key at
// once. An engine that runs writers one at a time never lets them
// collide; one that runs them concurrently must notice the collision and
// run the loser's function again, so that every increment lands, and
// commit hooks run once per committed transaction, never for an attempt
// that was thrown away.
func testConflicts(t *testing.T, db kv.DB, update func(func(kv.Tx) error) error) {
	must(t, db.Update(func(tx kv.Tx) error {
		_, err := tx.CreateBucket("counter")
		return err
	}))
	const n = 8
	// ready lets the first attempts read the counter together: each
	// waits (a bounded time, since an engine with one writer at a time
	// runs them in turn) until all have read it.
	var ready sync.WaitGroup
	ready.Add(n)
	readyCh := make(chan struct{})
	go func() { ready.Wait(); close(readyCh) }()
	var attempts, hooks atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first := true
			errs <- update(func(tx kv.Tx) error {
				attempts.Add(1)
				b := tx.Bucket("counter")
				var c uint64
				if v := b.Get([]byte("c")); v != nil {
					c = binary.BigEndian.Uint64(v)
				}
				if first {
					first = false
					ready.Done()
					select {
					case <-readyCh:
					case <-time.After(200 * time.Millisecond):
					}
				}
				tx.OnCommit(func() { hooks.Add(1) })
				return b.Put([]byte("c"), binary.BigEndian.AppendUint64(nil, c+1))
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	must(t, db.View(func(tx kv.Tx) error {
		v := tx.Bucket("counter").Get([]byte("c"))
		if v == nil || binary.BigEndian.Uint64(v) != n {
			return fmt.Errorf("after %d concurrent increments the counter is %x (%d attempts)", n, v, attempts.Load())
		}
		return nil
	}))
	if h := hooks.Load(); h != n {
		t.Errorf("commit hooks ran %d times for %d commits (%d attempts)", h, n, attempts.Load())
	}
	t.Logf("%d increments took %d attempts", n, attempts.Load())
}
