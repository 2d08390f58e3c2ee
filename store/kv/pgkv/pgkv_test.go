package pgkv_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/kvtest"
	"github.com/soudan/soudan/store/kv/pgkv"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// open opens a new empty database for t.
func open(t *testing.T) *pgkv.DB {
	t.Helper()
	db, err := pgkv.Open(context.Background(), pgtest.URL(t), pgkv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestConformance runs the seam's conformance suite on a real PostgreSQL.
func TestConformance(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.DB { return open(t) })
}

// TestConflictRetried: two transactions that both read a key before
// either writes it cannot both commit under SERIALIZABLE; the loser's
// function runs again on a new snapshot and both increments land.
func TestConflictRetried(t *testing.T) {
	db := open(t)
	counter(t, db, "n")
	var read sync.WaitGroup
	read.Add(2)
	var attempts atomic.Int64
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first := true
			err := db.Update(func(tx kv.Tx) error {
				attempts.Add(1)
				b := tx.Bucket("n")
				n := b.Get([]byte("n"))[0]
				if first {
					// Both first attempts have read n before either writes.
					first = false
					read.Done()
					read.Wait()
				}
				return b.Put([]byte("n"), []byte{n + 1})
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := db.View(func(tx kv.Tx) error {
		if n := tx.Bucket("n").Get([]byte("n"))[0]; n != 2 {
			return fmt.Errorf("n = %d after two increments, want 2", n)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if a := attempts.Load(); a < 3 {
		t.Errorf("%d attempts for two colliding increments, want a retry (3 or more)", a)
	}
	// The retries are counted by the statement that failed: a key's read
	// or write, or the COMMIT, never a sequence.
	st := db.Stats()
	by := st.RetriesBy
	if by.Read+by.Write+by.Commit != st.Retries || st.Retries == 0 || by.Sequence != 0 {
		t.Errorf("Retries %d split as %+v, want all of them on a read, a write or the commit", st.Retries, by)
	}
}

// TestLongKey: a key longer than a btree entry holds is refused before
// it reaches PostgreSQL, whose error would lose the whole transaction.
func TestLongKey(t *testing.T) {
	db := open(t)
	err := db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket("k")
		if err != nil {
			return err
		}
		if err := b.Put(make([]byte, pgkv.MaxKeySize+1), nil); err == nil {
			return errors.New("Put of an over-long key succeeded")
		}
		return b.Put(bytes.Repeat([]byte{0xff}, pgkv.MaxKeySize), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkView is a read transaction of one Get: its round trips
// (begin, the bucket catalog, the Get, commit) are what a read costs.
func BenchmarkView(b *testing.B) {
	db := benchDB(b)
	for b.Loop() {
		if err := db.View(func(tx kv.Tx) error {
			if tx.Bucket("b").Get([]byte("k")) == nil {
				return errors.New("no k")
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdate is a write transaction of one Put and one
// NextSequence, committed (durably when the server fsyncs).
func BenchmarkUpdate(b *testing.B) {
	db := benchDB(b)
	for b.Loop() {
		if err := db.Update(func(tx kv.Tx) error {
			bk := tx.Bucket("b")
			n, err := bk.NextSequence()
			if err != nil {
				return err
			}
			return bk.Put(fmt.Appendf(nil, "%020d", n), []byte("v"))
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWalk reads 1,000 keys through a cursor in one transaction.
func BenchmarkWalk(b *testing.B) {
	db := benchDB(b)
	if err := db.Update(func(tx kv.Tx) error {
		bk := tx.Bucket("b")
		for i := range 1000 {
			if err := bk.Put(fmt.Appendf(nil, "w%06d", i), bytes.Repeat([]byte("x"), 200)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := db.View(func(tx kv.Tx) error {
			c, n := tx.Bucket("b").Cursor(), 0
			for k, _ := c.Seek([]byte("w")); k != nil; k, _ = c.Next() {
				n++
			}
			if n != 1000 {
				return fmt.Errorf("walked %d keys", n)
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchDB opens a database with the bucket b holding the key k.
func benchDB(b *testing.B) *pgkv.DB {
	b.Helper()
	db, err := pgkv.Open(context.Background(), pgtest.URL(b), pgkv.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Update(func(tx kv.Tx) error {
		bk, err := tx.CreateBucket("b")
		if err != nil {
			return err
		}
		return bk.Put([]byte("k"), []byte("v"))
	}); err != nil {
		b.Fatal(err)
	}
	return db
}

// TestPanicRollsBack: a panic in a transaction function rolls the
// transaction back and gives its connection back to the pool: more
// panics than the pool has connections leave the database usable.
func TestPanicRollsBack(t *testing.T) {
	db := open(t)
	if err := db.Update(func(tx kv.Tx) error { _, err := tx.CreateBucket("p"); return err }); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the panic did not come through Update")
				}
			}()
			_ = db.Update(func(tx kv.Tx) error {
				if err := tx.Bucket("p").Put([]byte{byte(i)}, []byte("x")); err != nil {
					return err
				}
				panic("boom")
			})
		}()
	}
	if err := db.View(func(tx kv.Tx) error {
		if n := tx.Bucket("p").KeyN(); n != 0 {
			return fmt.Errorf("%d keys written by transactions that panicked", n)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestHookRunsWithoutConnection: a commit hook runs once its
// transaction's connection is back in the pool, so on a pool of one
// connection it can open a transaction itself. Holding the connection
// through the hooks deadlocked a busy replica: a hook (the outbox's
// wake-up) waited for a lock that a goroutine waiting for a connection
// held.
func TestHookRunsWithoutConnection(t *testing.T) {
	db, err := pgkv.Open(context.Background(), pgtest.URL(t), pgkv.Options{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	done := make(chan error, 1)
	go func() {
		done <- db.Update(func(tx kv.Tx) error {
			b, err := tx.CreateBucketIfNotExists("b")
			if err != nil {
				return err
			}
			tx.OnCommit(func() {
				if err := db.View(func(tx kv.Tx) error {
					if got := tx.Bucket("b").Get([]byte("k")); string(got) != "v" {
						return fmt.Errorf("hook's read: got %q, want v", got)
					}
					return nil
				}); err != nil {
					t.Errorf("transaction in a commit hook: %v", err)
				}
			})
			return b.Put([]byte("k"), []byte("v"))
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("update: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("a commit hook that opens a transaction on a one-connection pool did not return within 20 s (the hook holds the connection)")
	}
}

// TestRetryCauseOfAFlush: a buffered write that PostgreSQL refuses when
// it goes ahead of a cursor's page is counted as a write's failure, not
// the read's: the counter must point at the statement that conflicted.
func TestRetryCauseOfAFlush(t *testing.T) {
	db := open(t)
	counter(t, db, "n")
	var read, wg sync.WaitGroup
	read.Add(2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first := true
			err := db.Update(func(tx kv.Tx) error {
				b := tx.Bucket("n")
				n := b.Get([]byte("n"))[0]
				if first {
					first = false
					read.Done()
					read.Wait()
				}
				if err := b.Put([]byte("n"), []byte{n + 1}); err != nil {
					return err
				}
				// The page's round trip carries the Put.
				if k, _ := b.Cursor().First(); string(k) != "n" {
					return fmt.Errorf("First = %q", k)
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	st := db.Stats()
	if st.Retries == 0 || st.RetriesBy.Write == 0 || st.RetriesBy.Read != 0 {
		t.Errorf("Retries %d split as %+v, want the refused write counted as a write", st.Retries, st.RetriesBy)
	}
}

// counter commits a new bucket name holding the counter "n" at 0, which
// the conflict tests' transactions read and raise.
func counter(t *testing.T, db kv.DB, name string) {
	t.Helper()
	if err := db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket(name)
		if err != nil {
			return err
		}
		return b.Put([]byte("n"), []byte{0})
	}); err != nil {
		t.Fatal(err)
	}
}
