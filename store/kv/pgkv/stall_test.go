package pgkv_test

import (
	"context"
	"errors"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/pgkv"
	"github.com/soudan/soudan/store/kv/pgkv/pgcluster"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
)

// behindProxy opens a new database for t through a proxy that can play
// a stalled network.
func behindProxy(t *testing.T, opt pgkv.Options) (*pgkv.DB, *pgcluster.Proxy) {
	t.Helper()
	raw := pgtest.URL(t)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pgcluster.NewProxy("unix", filepath.Join(u.Query().Get("host"), ".s.PGSQL.5432"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	through, err := p.URL(raw)
	if err != nil {
		t.Fatal(err)
	}
	db, err := pgkv.Open(context.Background(), through, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, p
}

// put writes one key in its own transaction.
func put(db *pgkv.DB, k string) error {
	return db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucketIfNotExists("b")
		if err != nil {
			return err
		}
		return b.Put([]byte(k), []byte("v"))
	})
}

// TestAStalledNetworkFailsATransactionInsteadOfHangingIt: the network to
// the database stops forwarding without closing; a transaction fails
// within its statement's deadline instead of waiting for ever, and once
// the network forwards again the next transaction commits on a new
// connection.
func TestAStalledNetworkFailsATransactionInsteadOfHangingIt(t *testing.T) {
	const stmt = 700 * time.Millisecond
	db, p := behindProxy(t, pgkv.Options{StatementTimeout: stmt, MaxConns: 2})
	if err := put(db, "before"); err != nil {
		t.Fatal(err)
	}
	p.Pause()
	t.Cleanup(p.Resume) // first: a transaction left hanging ends before Close waits for it
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- put(db, "during") }()
	select {
	case err := <-done:
		if !errors.Is(err, kv.ErrUnavailable) {
			t.Fatalf("a transaction through a stalled network: %v, want kv.ErrUnavailable", err)
		}
		// The pool's ping of the idle connection (2 s) or the first
		// statement's deadline ends it, whichever comes first.
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("the transaction failed after %s, want within a few seconds", took)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("a transaction through a stalled network still waits after 20 s")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := db.Ping(ctx); err == nil {
		t.Error("Ping answered through a stalled network")
	}
	p.Resume()
	var err error
	for range 10 { // the connections the stall broke are replaced
		if err = put(db, "after"); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("after the network is back: %v", err)
	}
	var got []byte
	if err := db.View(func(tx kv.Tx) error { got = tx.Bucket("b").Get([]byte("after")); return nil }); err != nil || string(got) != "v" {
		t.Errorf("read back: %q, %v", got, err)
	}
}

// TestADroppedConnectionIsReplaced: the network resets every connection
// (Drop); the next transactions commit on new ones.
func TestADroppedConnectionIsReplaced(t *testing.T) {
	db, p := behindProxy(t, pgkv.Options{MaxConns: 2})
	if err := put(db, "before"); err != nil {
		t.Fatal(err)
	}
	p.Drop()
	var err error
	for range 10 {
		if err = put(db, "after"); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("after the connections were dropped: %v", err)
	}
}

// TestGivingUpIsAConflict: a transaction that keeps losing to concurrent
// ones fails, after its attempts, with kv.ErrConflict (a failure that
// passes), not as a defect.
func TestGivingUpIsAConflict(t *testing.T) {
	db, err := pgkv.Open(context.Background(), pgtest.URL(t), pgkv.Options{MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := put(db, "n"); err != nil {
		t.Fatal(err)
	}
	// Two transactions read the key, then both write it: one must lose,
	// and with one attempt it gives up at once.
	var read sync.WaitGroup
	read.Add(2)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			first := true
			errs <- db.Update(func(tx kv.Tx) error {
				b := tx.Bucket("b")
				v := b.Get([]byte("n"))
				if first {
					first = false
					read.Done()
					read.Wait()
				}
				return b.Put([]byte("n"), append(v, 'x'))
			})
		}()
	}
	var failed []error
	for range 2 {
		if err := <-errs; err != nil {
			failed = append(failed, err)
		}
	}
	if len(failed) != 1 || !errors.Is(failed[0], kv.ErrConflict) || errors.Is(failed[0], kv.ErrUnavailable) {
		t.Errorf("two colliding transactions with one attempt each: errors %v, want one kv.ErrConflict", failed)
	}
}
