package kvguard_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/boltkv"
	"github.com/soudan/soudan/store/kv/kvguard"
	"github.com/soudan/soudan/store/kv/kvtest"
)

// openBolt opens a bbolt file in t's directory, closed when t ends. Its
// batches wait long enough to gather every concurrent caller of a test.
func openBolt(t *testing.T) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "kv.db"), 0o600, &bbolt.Options{InitialMmapSize: 16 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// lenient is a guarded bbolt file whose nested transactions fail with an
// error rather than end the test binary.
func lenient(t *testing.T) *kvguard.DB {
	t.Helper()
	return lenientNamed(t, "kv.db")
}

// lenientNamed is lenient with name for reports.
func lenientNamed(t *testing.T, name string) *kvguard.DB {
	t.Helper()
	d := kvguard.New(boltkv.Wrap(openBolt(t)), name)
	d.Lenient()
	if err := d.Update(func(tx kv.Tx) error { _, err := tx.CreateBucket("b"); return err }); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestConformance: the guard changes nothing a transaction does.
func TestConformance(t *testing.T) {
	open := func(t *testing.T) kv.DB {
		db, err := bbolt.Open(filepath.Join(t.TempDir(), "kv.db"), 0o600, &bbolt.Options{InitialMmapSize: 16 << 20})
		if err != nil {
			t.Fatal(err)
		}
		return kvguard.New(boltkv.Wrap(db), "kv.db")
	}
	kvtest.Run(t, open)
	// bbolt writes a sequence in the transaction's pages: a rollback
	// undoes it.
	kvtest.RunSequencesUndone(t, open)
}

// TestWrapGuardsTests: go test (without -bench) runs guarded.
func TestWrapGuardsTests(t *testing.T) {
	db := boltkv.Wrap(openBolt(t))
	if _, ok := kvguard.Wrap(db, "kv.db").(*kvguard.DB); !ok {
		t.Fatal("Wrap in a test binary returned the database unguarded")
	}
}

func TestNestedFails(t *testing.T) {
	for _, c := range []struct {
		outer, inner string
		open         func(d *kvguard.DB, fn func() error) error
		nested       func(d *kvguard.DB) error
	}{
		{"update", "view", update, view},
		{"update", "update", update, func(d *kvguard.DB) error { return d.Update(put) }},
		{"update", "batch", update, func(d *kvguard.DB) error { return d.Batch(put) }},
		{"view", "view", func(d *kvguard.DB, fn func() error) error {
			return d.View(func(kv.Tx) error { return fn() })
		}, view},
		{"batch", "view", func(d *kvguard.DB, fn func() error) error {
			return d.Batch(func(kv.Tx) error { return fn() })
		}, view},
		{"update", "compact", update, func(d *kvguard.DB) error {
			return kvguard.Hold(d, "compact", func() error { return nil })
		}},
		{"compact", "view", func(d *kvguard.DB, fn func() error) error {
			return kvguard.Hold(d, "compact", fn)
		}, view},
	} {
		t.Run(c.inner+" in "+c.outer, func(t *testing.T) {
			d := lenient(t)
			var inner error
			err := c.open(d, func() error { inner = c.nested(d); return inner })
			var ne *kvguard.NestedError
			if !errors.As(inner, &ne) || !errors.Is(inner, kvguard.ErrNested) {
				t.Fatalf("nested %s in %s = %v, want a NestedError", c.inner, c.outer, inner)
			}
			if ne.Outer != c.outer || ne.Inner != c.inner || ne.DB != "kv.db" || ne.Held != "kv.db" {
				t.Errorf("NestedError = {%s %s %s %s}, want {kv.db kv.db %s %s}", ne.DB, ne.Held, ne.Outer, ne.Inner, c.outer, c.inner)
			}
			// One goroutine's stack shows both: the nested call and,
			// below it, the function of the open transaction.
			if !strings.Contains(string(ne.Stack), "TestNestedFails") || !strings.Contains(string(ne.Stack), "kvguard.(*DB).run") {
				t.Errorf("the stack does not show the test's frames and the guard's:\n%s", ne.Stack)
			}
			if !errors.Is(err, kvguard.ErrNested) {
				t.Errorf("the outer transaction returned %v, want its function's error", err)
			}
			// The goroutine is free again: the next transaction is not
			// nested.
			if err := d.View(func(kv.Tx) error { return nil }); err != nil {
				t.Errorf("a View after the nested one: %v", err)
			}
		})
	}
}

func update(d *kvguard.DB, fn func() error) error {
	return d.Update(func(kv.Tx) error { return fn() })
}

func view(d *kvguard.DB) error { return d.View(func(kv.Tx) error { return nil }) }

func put(tx kv.Tx) error { return tx.Bucket("b").Put([]byte("k"), []byte("v")) }

// TestNotNested: what is not nested passes: transactions one after
// another, the functions of one Batch, commit hooks that open
// transactions, another goroutine's transaction, another database's.
func TestNotNested(t *testing.T) {
	t.Run("sequential", func(t *testing.T) {
		d := lenient(t)
		for range 3 {
			for _, f := range []func(func(kv.Tx) error) error{d.View, d.Update, d.Batch} {
				if err := f(putIfWritable); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
	t.Run("batch group", func(t *testing.T) {
		bdb := openBolt(t)
		// Every caller joins one batch: bbolt runs their functions one
		// after another on the goroutine that starts it.
		const n = 16
		bdb.MaxBatchSize, bdb.MaxBatchDelay = n, time.Second
		d := kvguard.New(boltkv.Wrap(bdb), "kv.db")
		d.Lenient()
		if err := d.Update(func(tx kv.Tx) error { _, err := tx.CreateBucket("b"); return err }); err != nil {
			t.Fatal(err)
		}
		var (
			mu  sync.Mutex
			ids = map[uint64]int{}
			wg  sync.WaitGroup
		)
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				errs <- d.Batch(func(tx kv.Tx) error {
					mu.Lock()
					ids[tx.ID()]++
					mu.Unlock()
					return tx.Bucket("b").Put([]byte{byte(i)}, []byte("v"))
				})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if len(ids) != 1 {
			t.Fatalf("the %d calls ran in transactions %v, want one batch", n, ids)
		}
	})
	t.Run("commit hooks", func(t *testing.T) {
		d := lenient(t)
		var hookErrs []error
		err := d.Update(func(tx kv.Tx) error {
			tx.OnCommit(func() { hookErrs = append(hookErrs, d.View(func(kv.Tx) error { return nil })) })
			tx.OnCommit(func() { hookErrs = append(hookErrs, d.Update(put)) })
			tx.OnCommit(func() { hookErrs = append(hookErrs, d.Batch(put)) })
			return put(tx)
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(hookErrs) != 3 {
			t.Fatalf("%d hooks ran, want 3", len(hookErrs))
		}
		for _, err := range hookErrs {
			if err != nil {
				t.Errorf("a transaction in a commit hook: %v", err)
			}
		}
	})
	t.Run("another goroutine", func(t *testing.T) {
		d := lenient(t)
		err := d.Update(func(tx kv.Tx) error {
			done := make(chan error)
			go func() { done <- d.View(func(kv.Tx) error { return nil }) }()
			return <-done
		})
		if err != nil {
			t.Fatalf("a View on another goroutine during an Update: %v", err)
		}
	})
	t.Run("another database", func(t *testing.T) {
		d, other := lenient(t), lenient(t)
		for _, c := range [][2]*kvguard.DB{{d, other}, {other, d}} {
			if err := c[0].Update(func(kv.Tx) error { return c[1].Update(put) }); err != nil {
				t.Fatalf("an Update of another database inside an Update: %v", err)
			}
		}
	})
}

// TestBefore: with an order between two databases, a transaction of the
// second inside one of the first passes, the reverse fails.
func TestBefore(t *testing.T) {
	data, inbox := lenientNamed(t, "data"), lenientNamed(t, "inbox")
	kvguard.Before(data, inbox)
	if err := data.Update(func(kv.Tx) error { return inbox.Batch(put) }); err != nil {
		t.Fatalf("a Batch of the second inside an Update of the first: %v", err)
	}
	var inner error
	_ = inbox.View(func(kv.Tx) error { inner = data.Update(put); return nil })
	var ne *kvguard.NestedError
	if !errors.As(inner, &ne) {
		t.Fatalf("an Update of the first inside a View of the second = %v, want a NestedError", inner)
	}
	if ne.DB != "data" || ne.Held != "inbox" || ne.Outer != "view" || ne.Inner != "update" {
		t.Errorf("NestedError = {%s %s %s %s}, want {data inbox view update}", ne.DB, ne.Held, ne.Outer, ne.Inner)
	}
	// The order binds the goroutine that holds the second only.
	err := inbox.View(func(kv.Tx) error {
		done := make(chan error)
		go func() { done <- data.Update(put) }()
		return <-done
	})
	if err != nil {
		t.Errorf("an Update of the first on another goroutine, during a View of the second: %v", err)
	}
}

// putIfWritable is put in a write transaction, nothing in View.
func putIfWritable(tx kv.Tx) error {
	if !tx.Writable() {
		return nil
	}
	return put(tx)
}

// envCrash makes the test binary, run again by TestNestedEndsTheBinary,
// open a nested transaction on a guard that is not lenient.
const envCrash = "KVGUARD_TEST_NEST"

// TestNestedEndsTheBinary: by default a nested transaction ends the
// process with exit status 2 and a report naming both transactions and
// the stack, whatever the code around it does with errors. On bbolt the
// nested Update would otherwise wait forever.
func TestNestedEndsTheBinary(t *testing.T) {
	if os.Getenv(envCrash) == "1" {
		d := kvguard.New(boltkv.Wrap(openBolt(t)), "crash.db")
		_ = d.Update(func(kv.Tx) error {
			_ = d.Update(func(kv.Tx) error { return nil }) // the error ignored, as careless code would
			return nil
		})
		t.Fatal("the nested Update returned")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNestedEndsTheBinary$", "-test.count=1")
	cmd.Env = append(os.Environ(), envCrash+"=1")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("the binary ended with %v, want exit status 2; output:\n%s", err, out)
	}
	for _, want := range []string{"kvguard: update on crash.db inside a update", "TestNestedEndsTheBinary"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
}

// BenchmarkGuard is what a guarded transaction costs over a bare one:
// the price test binaries pay (benchmarks themselves run unguarded).
func BenchmarkGuard(b *testing.B) {
	bdb, err := bbolt.Open(filepath.Join(b.TempDir(), "kv.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer bdb.Close()
	for _, c := range []struct {
		name string
		db   kv.DB
	}{{"bare", boltkv.Wrap(bdb)}, {"guarded", kvguard.New(boltkv.Wrap(bdb), "kv.db")}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if err := c.db.View(func(kv.Tx) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
