package pgkv_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/kvtest"
)

// TestRoundTrips: what the cache and the write buffer save, counted by
// Stats: a key read twice, found or not, is fetched once; writes cost no
// round trip of their own; a cursor after writes sends them with its
// page. Each sequence call is a round trip of its own: a PostgreSQL
// sequence cannot be buffered (sequence_test.go says why that is worth
// it).
func TestRoundTrips(t *testing.T) {
	db := open(t)
	kvtest.Seed(t, db, "rt", "a", "b", "c")
	cases := []struct {
		name string
		fn   func(tx kv.Tx, b kv.Bucket) error
		// want is the round trips of the whole transaction: begin and
		// commit included.
		want    uint64
		fetched uint64
	}{
		{"a Get twice", func(_ kv.Tx, b kv.Bucket) error {
			b.Get([]byte("a"))
			if v := b.Get([]byte("a")); string(v) != "a" {
				return fmt.Errorf("second Get = %q", v)
			}
			return nil
		}, 3, 1},
		{"a missing key twice", func(_ kv.Tx, b kv.Bucket) error {
			b.Get([]byte("x"))
			if v := b.Get([]byte("x")); v != nil {
				return fmt.Errorf("second Get = %q", v)
			}
			return nil
		}, 3, 1},
		{"puts, deletes and Gets of them", func(_ kv.Tx, b kv.Bucket) error {
			for i := range 20 {
				if err := b.Put(fmt.Appendf(nil, "n%d", i), []byte("v")); err != nil {
					return err
				}
			}
			if err := b.Delete([]byte("b")); err != nil {
				return err
			}
			if b.Get([]byte("b")) != nil || string(b.Get([]byte("n3"))) != "v" {
				return errors.New("own writes not read back")
			}
			return nil
		}, 2, 0},
		{"a walk after writes", func(_ kv.Tx, b kv.Bucket) error {
			if err := b.Put([]byte("aa"), []byte("v")); err != nil {
				return err
			}
			if err := b.Delete([]byte("n0")); err != nil {
				return err
			}
			c := b.Cursor()
			if k, _ := c.First(); string(k) != "a" {
				return fmt.Errorf("First = %q", k)
			}
			if k, _ := c.Next(); string(k) != "aa" {
				return fmt.Errorf("Next = %q, want the key just put", k)
			}
			return nil
		}, 3, 0},
		{"sequences", func(_ kv.Tx, b kv.Bucket) error {
			for want := uint64(1); want <= 5; want++ {
				if n, err := b.NextSequence(); err != nil || n != want {
					return fmt.Errorf("NextSequence = %d, %v; want %d", n, err, want)
				}
			}
			if b.Sequence() != 5 {
				return errors.New("Sequence is not the last NextSequence")
			}
			return nil
		}, 8, 0},
		{"a prefetch, then Gets", func(tx kv.Tx, b kv.Bucket) error {
			kv.Prefetch(tx, kv.KeySet{Bucket: "rt", Keys: [][]byte{[]byte("a"), []byte("c"), []byte("nothing")}})
			if string(b.Get([]byte("a"))) != "a" || string(b.Get([]byte("c"))) != "c" || b.Get([]byte("nothing")) != nil {
				return errors.New("a prefetched key reads wrong")
			}
			return nil
		}, 3, 0},
	}
	for _, c := range cases {
		before := db.Stats()
		if err := db.Update(func(tx kv.Tx) error { return c.fn(tx, tx.Bucket("rt")) }); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		d := db.Stats().Sub(before)
		if d.RoundTrips != c.want || d.GetsFetched != c.fetched {
			t.Errorf("%s: %d round trips, %d Gets fetched; want %d, %d (%+v)", c.name, d.RoundTrips, d.GetsFetched, c.want, c.fetched, d)
		}
	}
	if err := db.View(func(tx kv.Tx) error {
		b := tx.Bucket("rt")
		if b.Get([]byte("b")) != nil || b.Get([]byte("aa")) == nil || b.Get([]byte("n0")) != nil || b.Sequence() != 5 {
			return errors.New("the buffered writes were not all committed")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestWalkWithoutSeek: pgkv's cursors, unlike bbolt's, go on after a
// write without being put back on their key: the page read before the
// write is read again, with the write.
func TestWalkWithoutSeek(t *testing.T) {
	db := open(t)
	var keys []string
	for i := range 40 {
		keys = append(keys, fmt.Sprintf("k%02d", i*2))
	}
	kvtest.Seed(t, db, "w", keys...)
	if err := db.Update(func(tx kv.Tx) error {
		b := tx.Bucket("w")
		c := b.Cursor()
		var seen []string
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			seen = append(seen, string(k))
			switch string(k) {
			case "k10":
				if err := errors.Join(b.Put([]byte("k11"), []byte("new")), b.Delete([]byte("k12"))); err != nil {
					return err
				}
			case "k30":
				if err := b.Put([]byte("k30"), []byte("again")); err != nil {
					return err
				}
			}
		}
		if got := fmt.Sprint(seen[4:9]); got != "[k08 k10 k11 k14 k16]" {
			return fmt.Errorf("walk around the writes = %s", got)
		}
		if len(seen) != 40 {
			return fmt.Errorf("walk = %d keys, want 40", len(seen))
		}
		// Unlike bbolt's, pgkv's count inside a write transaction sees
		// the transaction's writes.
		if n := b.KeyN(); n != 40 {
			return fmt.Errorf("KeyN = %d, want 40", n)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestRetryStartsAfresh: a transaction function that runs again after a
// serialization failure sees nothing of what its failed attempt read or
// buffered: the counter it increments is read anew, and a key only the
// first attempt wrote is not there.
func TestRetryStartsAfresh(t *testing.T) {
	db := open(t)
	counter(t, db, "n")
	var read sync.WaitGroup
	read.Add(2)
	var mu sync.Mutex
	var runs []string
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Go(func() {
			attempt := 0
			err := db.Update(func(tx kv.Tx) error {
				attempt++
				b := tx.Bucket("n")
				n := b.Get([]byte("n"))[0]
				marker := b.Get([]byte("first attempt"))
				mu.Lock()
				runs = append(runs, fmt.Sprintf("g%d attempt %d read n=%d marker=%v", g, attempt, n, marker != nil))
				mu.Unlock()
				if marker != nil {
					return errors.New("a retried attempt sees the failed attempt's write")
				}
				if attempt == 1 {
					// Buffered in both first attempts; only the winner's
					// commits, so the loser's second attempt must not see
					// its own first attempt's write.
					if err := b.Put([]byte("attempt-1-of-"+fmt.Sprint(g)), []byte("x")); err != nil {
						return err
					}
					read.Done()
					read.Wait()
				}
				if attempt > 1 && b.Get([]byte("attempt-1-of-"+fmt.Sprint(g))) != nil {
					return errors.New("a retried attempt sees its failed attempt's buffered write")
				}
				return b.Put([]byte("n"), []byte{n + 1})
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := db.View(func(tx kv.Tx) error {
		b := tx.Bucket("n")
		if n := b.Get([]byte("n"))[0]; n != 2 {
			return fmt.Errorf("n = %d after two increments (%v)", n, runs)
		}
		// Exactly one first attempt committed.
		if a, c := b.Get([]byte("attempt-1-of-0")) != nil, b.Get([]byte("attempt-1-of-1")) != nil; a == c {
			return fmt.Errorf("first attempts committed: g0 %v, g1 %v; want exactly one (%v)", a, c, runs)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(runs) < 3 {
		t.Errorf("runs = %v, want a retry", runs)
	}
}
