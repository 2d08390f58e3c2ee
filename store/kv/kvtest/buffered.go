package kvtest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/soudan/soudan/store/kv"
)

// The cases of this file pin down what an engine that keeps reads and
// buffers writes inside a transaction (pgkv) could get wrong, and which
// an engine that reads and writes in place (bbolt) gets right by
// construction.

// walk returns the bucket's keys and values in order, "k=v".
func walk(b kv.Bucket) []string {
	var out []string
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		out = append(out, string(k)+"="+string(v))
	}
	return out
}

// walkBack is walk from the last key to the first.
func walkBack(b kv.Bucket) []string {
	var out []string
	c := b.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		out = append(out, string(k)+"="+string(v))
	}
	return out
}

// Seed commits keys, each its own value, into a new bucket name: the
// starting point of the conformance cases, and of engines' own tests.
func Seed(t *testing.T, db kv.DB, name string, keys ...string) {
	t.Helper()
	must(t, db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket(name)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := b.Put([]byte(k), []byte(k)); err != nil {
				return err
			}
		}
		return nil
	}))
}

// testGetAfterWrites: a Get sees the transaction's last write of a key,
// whatever came before it: a read of the key (present or missing), a
// Put, a Delete, a Put again.
func testGetAfterWrites(t *testing.T, db kv.DB) {
	Seed(t, db, "g", "相談", "b")
	must(t, db.Update(func(tx kv.Tx) error {
		b := tx.Bucket("g")
		steps := []struct {
			op, key, val string
			want         any // string, or nil for no key
		}{
			{"get", "相談", "", "相談"},
			{"get", "missing", "", nil},
			{"put", "missing", "今", "今"}, // a missing key read before is written
			{"delete", "相談", "", nil},    // a key read before is deleted
			{"get", "相談", "", nil},
			{"put", "相談", "再び", "再び"}, // and put again
			{"delete", "b", "", nil},  // a key never read is deleted
			{"delete", "b", "", nil},  // twice
			{"put", "empty", "", ""},  // an empty value is not a missing key
			{"delete", "never", "", nil},
		}
		for i, s := range steps {
			switch s.op {
			case "put":
				must(t, b.Put([]byte(s.key), []byte(s.val)))
			case "delete":
				must(t, b.Delete([]byte(s.key)))
			}
			// Twice: the second Get is the one a cache answers.
			for range 2 {
				got := b.Get([]byte(s.key))
				if s.want == nil && got != nil || s.want != nil && (got == nil || string(got) != s.want) {
					return fmt.Errorf("step %d (%s %q): Get = %q, want %v", i, s.op, s.key, got, s.want)
				}
			}
		}
		return nil
	}))
	must(t, db.View(func(tx kv.Tx) error {
		if got, want := fmt.Sprint(walk(tx.Bucket("g"))), "[empty= missing=今 相談=再び]"; got != want {
			return fmt.Errorf("committed = %s, want %s", got, want)
		}
		return nil
	}))
}

// testCursorSeesWrites: a cursor opened after puts and deletes walks
// both ways, and seeks, over the transaction's writes merged with what
// was committed; KeyN counts them.
func testCursorSeesWrites(t *testing.T, db kv.DB) {
	Seed(t, db, "c", "b", "d", "f", "h")
	must(t, db.Update(func(tx kv.Tx) error {
		b := tx.Bucket("c")
		must(t, b.Put([]byte("a"), []byte("A"))) // before the first
		must(t, b.Delete([]byte("d")))           // a committed key
		must(t, b.Put([]byte("e"), []byte("E"))) // between two
		must(t, b.Put([]byte("f"), []byte("F"))) // over a committed key
		must(t, b.Put([]byte("z"), []byte("Z"))) // after the last
		must(t, b.Put([]byte("y"), []byte("Y"))) // written, then
		must(t, b.Delete([]byte("y")))           // deleted
		if got, want := fmt.Sprint(walk(b)), "[a=A b=b e=E f=F h=h z=Z]"; got != want {
			return fmt.Errorf("walk = %s, want %s", got, want)
		}
		if got, want := fmt.Sprint(walkBack(b)), "[z=Z h=h f=F e=E b=b a=A]"; got != want {
			return fmt.Errorf("walk back = %s, want %s", got, want)
		}
		c := b.Cursor()
		for seek, want := range map[string]string{"c": "e", "d": "e", "y": "z", "0": "a", "zz": ""} {
			if k, _ := c.Seek([]byte(seek)); string(k) != want {
				return fmt.Errorf("Seek(%s) = %q, want %q", seek, k, want)
			}
		}
		if n := b.KeyN(); n != 6 {
			return fmt.Errorf("KeyN inside the write = %d, want 6", n)
		}
		return nil
	}))
	must(t, db.View(func(tx kv.Tx) error {
		if n := tx.Bucket("c").KeyN(); n != 6 {
			return fmt.Errorf("KeyN = %d, want 6", n)
		}
		return nil
	}))
}

// testWritesDuringWalk: keys put or deleted while a cursor walks (after
// it read its page) are seen by the walk once it is put back on its key
// with Seek, which bbolt requires after a write (pgkv's cursors need no
// Seek: TestWalkWithoutSeek in pgkv).
func testWritesDuringWalk(t *testing.T, db kv.DB) {
	var keys []string
	for i := range 40 {
		keys = append(keys, fmt.Sprintf("k%02d", i*2)) // k00 k02 ... k78
	}
	Seed(t, db, "w", keys...)
	must(t, db.Update(func(tx kv.Tx) error {
		b := tx.Bucket("w")
		c := b.Cursor()
		var seen []string
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			seen = append(seen, string(k))
			wrote := true
			switch string(k) {
			case "k10":
				// Ahead of the cursor: one put, one deleted.
				must(t, b.Put([]byte("k11"), []byte("new")))
				must(t, b.Delete([]byte("k12")))
			case "k40":
				// Behind it: not seen by this walk.
				must(t, b.Put([]byte("k01"), []byte("new")))
			case "k60":
				// Its own key, rewritten: the walk goes on after it.
				must(t, b.Put([]byte("k60"), []byte("again")))
			default:
				wrote = false
			}
			if wrote {
				if again, _ := c.Seek(k); string(again) != string(k) {
					return fmt.Errorf("Seek(%s) after a write = %q", k, again)
				}
			}
		}
		var want []string
		for _, k := range keys {
			if k == "k12" {
				continue
			}
			want = append(want, k)
			if k == "k10" {
				want = append(want, "k11")
			}
		}
		if fmt.Sprint(seen) != fmt.Sprint(want) {
			return fmt.Errorf("walk with writes = %v, want %v", seen, want)
		}
		if v := b.Get([]byte("k60")); string(v) != "again" {
			return fmt.Errorf("Get(k60) = %q, want again", v)
		}
		return nil
	}))
	must(t, db.View(func(tx kv.Tx) error {
		if n := tx.Bucket("w").KeyN(); n != 41 {
			return fmt.Errorf("KeyN = %d, want 41", n)
		}
		return nil
	}))
}

// testRollbackAfterWrites: a transaction that wrote keys, read them
// back through Get and a cursor, took sequence numbers and then failed
// leaves nothing; the next transaction reads what was there before.
func testRollbackAfterWrites(t *testing.T, db kv.DB) {
	Seed(t, db, "r", "keep", "drop")
	boom := errors.New("boom")
	err := db.Update(func(tx kv.Tx) error {
		b := tx.Bucket("r")
		for i := range 50 {
			must(t, b.Put(fmt.Appendf(nil, "new%02d", i), []byte("v")))
		}
		must(t, b.Delete([]byte("drop")))
		must(t, b.Put([]byte("keep"), []byte("changed")))
		for range 3 {
			if _, err := b.NextSequence(); err != nil {
				return err
			}
		}
		if n := len(walk(b)); n != 51 {
			return fmt.Errorf("walk inside = %d keys, want 51", n)
		}
		// Written after the cursor sent the others, and failed too.
		must(t, b.Put([]byte("late"), []byte("v")))
		return boom
	})
	if err != boom {
		t.Fatalf("Update = %v, want the function's error", err)
	}
	must(t, db.Update(func(tx kv.Tx) error {
		b := tx.Bucket("r")
		if got, want := fmt.Sprint(walk(b)), "[drop=drop keep=keep]"; got != want {
			return fmt.Errorf("after the rollback = %s, want %s", got, want)
		}
		if v := b.Get([]byte("late")); v != nil {
			return fmt.Errorf("Get(late) = %q after the rollback", v)
		}
		// The numbers taken before the rollback may or may not be given
		// again (testSequenceRollback); the next is the one after what
		// Sequence says, whichever it is.
		s := b.Sequence()
		if s != 0 && s != 3 {
			return fmt.Errorf("Sequence after rolling back three NextSequence = %d, want 0 or 3", s)
		}
		if n, err := b.NextSequence(); err != nil || n != s+1 {
			return fmt.Errorf("NextSequence after the rollback = %d, %v; want %d", n, err, s+1)
		}
		return nil
	}))
}

// testSequenceInTx: sequence numbers taken in one transaction follow
// each other, Sequence reads them back, SetSequence moves them, and the
// next transaction goes on from the committed one.
func testSequenceInTx(t *testing.T, db kv.DB) {
	Seed(t, db, "s")
	must(t, db.Update(func(tx kv.Tx) error {
		b := tx.Bucket("s")
		for want := uint64(1); want <= 3; want++ {
			if n, err := b.NextSequence(); err != nil || n != want {
				return fmt.Errorf("NextSequence = %d, %v; want %d", n, err, want)
			}
		}
		if n := b.Sequence(); n != 3 {
			return fmt.Errorf("Sequence = %d, want 3", n)
		}
		must(t, b.SetSequence(100))
		if n, err := b.NextSequence(); err != nil || n != 101 {
			return fmt.Errorf("NextSequence after SetSequence(100) = %d, %v", n, err)
		}
		return nil
	}))
	must(t, db.Update(func(tx kv.Tx) error {
		if n, err := tx.Bucket("s").NextSequence(); err != nil || n != 102 {
			return fmt.Errorf("NextSequence in the next transaction = %d, %v; want 102", n, err)
		}
		return nil
	}))
}

// testManyWrites: more writes in one transaction than an engine may want
// to hold at once (pgkv sends them in parts), read back inside and after.
func testManyWrites(t *testing.T, db kv.DB) {
	const n = 5000
	Seed(t, db, "m")
	must(t, db.Update(func(tx kv.Tx) error {
		b := tx.Bucket("m")
		for i := range n {
			must(t, b.Put(fmt.Appendf(nil, "%05d", i), fmt.Appendf(nil, "v%d", i)))
		}
		for i := 0; i < n; i += 2 {
			must(t, b.Delete(fmt.Appendf(nil, "%05d", i)))
		}
		for _, i := range []int{0, 1, 2499, 4999} {
			v := b.Get(fmt.Appendf(nil, "%05d", i))
			if want := fmt.Sprintf("v%d", i); i%2 == 0 && v != nil || i%2 == 1 && string(v) != want {
				return fmt.Errorf("Get(%05d) = %q inside", i, v)
			}
		}
		if got := len(walk(b)); got != n/2 {
			return fmt.Errorf("walk inside = %d keys, want %d", got, n/2)
		}
		return nil
	}))
	must(t, db.View(func(tx kv.Tx) error {
		b := tx.Bucket("m")
		if k := b.KeyN(); k != n/2 {
			return fmt.Errorf("KeyN = %d, want %d", k, n/2)
		}
		got := walk(b)
		if len(got) != n/2 || got[0] != "00001=v1" || got[len(got)-1] != fmt.Sprintf("%05d=v%d", n-1, n-1) {
			return fmt.Errorf("committed: %d keys, first %q; want %d from 00001=v1", len(got), got[:min(1, len(got))], n/2)
		}
		return nil
	}))
}

// testDeleteBucketWithWrites: writes to a bucket deleted later in the
// same transaction go with it, and a bucket made again under the name is
// empty; writes to other buckets stay.
func testDeleteBucketWithWrites(t *testing.T, db kv.DB) {
	Seed(t, db, "gone", "old")
	Seed(t, db, "other")
	must(t, db.Update(func(tx kv.Tx) error {
		must(t, tx.Bucket("gone").Put([]byte("new"), []byte("v")))
		if _, err := tx.Bucket("gone").NextSequence(); err != nil {
			return err
		}
		must(t, tx.Bucket("other").Put([]byte("stays"), []byte("v")))
		must(t, tx.DeleteBucket("gone"))
		b, err := tx.CreateBucket("gone")
		if err != nil {
			return err
		}
		if got := walk(b); len(got) != 0 {
			return fmt.Errorf("the bucket made again holds %v", got)
		}
		return b.Put([]byte("fresh"), []byte("v"))
	}))
	must(t, db.View(func(tx kv.Tx) error {
		if got, want := fmt.Sprint(walk(tx.Bucket("gone"))), "[fresh=v]"; got != want {
			return fmt.Errorf("gone = %s, want %s", got, want)
		}
		if s := tx.Bucket("gone").Sequence(); s != 0 {
			return fmt.Errorf("the bucket made again has sequence %d", s)
		}
		if got, want := fmt.Sprint(walk(tx.Bucket("other"))), "[stays=v]"; got != want {
			return fmt.Errorf("other = %s, want %s", got, want)
		}
		return nil
	}))
}

// testPrefetch: kv.Prefetch changes no answer: present and missing keys,
// a missing bucket, keys this transaction wrote before and after it, and
// a read-only transaction alike.
func testPrefetch(t *testing.T, db kv.DB) {
	Seed(t, db, "p1", "a", "b", "c")
	Seed(t, db, "p2", "a", "z")
	keys := func(ks ...string) [][]byte {
		var out [][]byte
		for _, k := range ks {
			out = append(out, []byte(k))
		}
		return out
	}
	check := func(tx kv.Tx, bucket string, want map[string]any) error {
		for k, w := range want {
			got := tx.Bucket(bucket).Get([]byte(k))
			if w == nil && got != nil || w != nil && (got == nil || string(got) != w) {
				return fmt.Errorf("%s: Get(%s) = %q, want %v", bucket, k, got, w)
			}
		}
		return nil
	}
	must(t, db.Update(func(tx kv.Tx) error {
		p1 := tx.Bucket("p1")
		must(t, p1.Put([]byte("a"), []byte("written")))
		must(t, p1.Delete([]byte("b")))
		kv.Prefetch(tx,
			kv.KeySet{Bucket: "p1", Keys: keys("a", "b", "c", "d", "c")},
			kv.KeySet{Bucket: "p2", Keys: keys("a", "y", "z")},
			kv.KeySet{Bucket: "nope", Keys: keys("a")})
		if err := check(tx, "p1", map[string]any{"a": "written", "b": nil, "c": "c", "d": nil}); err != nil {
			return err
		}
		if err := check(tx, "p2", map[string]any{"a": "a", "y": nil, "z": "z"}); err != nil {
			return err
		}
		// Written after the prefetch: the write wins.
		must(t, p1.Put([]byte("d"), []byte("new")))
		must(t, tx.Bucket("p2").Delete([]byte("z")))
		return check(tx, "p1", map[string]any{"d": "new"})
	}))
	must(t, db.View(func(tx kv.Tx) error {
		kv.Prefetch(tx, kv.KeySet{Bucket: "p1", Keys: keys("a", "b", "d")}, kv.KeySet{Bucket: "p2", Keys: keys("z")})
		if err := check(tx, "p1", map[string]any{"a": "written", "b": nil, "c": "c", "d": "new"}); err != nil {
			return err
		}
		return check(tx, "p2", map[string]any{"z": nil, "a": "a"})
	}))
}
