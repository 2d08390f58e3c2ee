package kvretry_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/boltkv"
	"github.com/soudan/soudan/store/kv/kvretry"
	"github.com/soudan/soudan/store/kv/kvtest"
	"github.com/soudan/soudan/store/kv/pgkv"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// engines open a new empty database of each engine for t, closed when t
// ends.
var engines = []struct {
	name string
	open func(t *testing.T) kv.DB
}{
	{"bbolt", func(t *testing.T) kv.DB {
		db, err := bbolt.Open(filepath.Join(t.TempDir(), "kv.db"), 0o600, &bbolt.Options{InitialMmapSize: 16 << 20})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return boltkv.Wrap(db)
	}},
	{"postgres", func(t *testing.T) kv.DB {
		db, err := pgkv.Open(context.Background(), pgtest.URL(t), pgkv.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}},
}

// forEngines runs test on a retrying database of each engine with a
// bucket "b".
func forEngines(t *testing.T, test func(t *testing.T, d *kvretry.DB)) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			d := kvretry.New(e.open(t))
			if err := d.Update(func(tx kv.Tx) error {
				_, err := tx.CreateBucketIfNotExists("b")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			test(t, d)
		})
	}
}

// TestConformance: what a transaction commits is the same when its
// function runs twice.
func TestConformance(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.DB {
		db, err := bbolt.Open(filepath.Join(t.TempDir(), "kv.db"), 0o600, &bbolt.Options{InitialMmapSize: 16 << 20})
		if err != nil {
			t.Fatal(err)
		}
		return kvretry.New(boltkv.Wrap(db))
	})
}

// run is one run of a transaction function: what it saw and wrote.
type run struct {
	sawEarlier bool   // a key an earlier run put was there
	id         uint64 // the NextSequence it got
}

// recorder is a transaction function that records its runs: each run
// puts a key of its own, takes an id and registers a commit hook naming
// itself, as a careless function would count them.
type recorder struct {
	mu    sync.Mutex
	runs  []run
	hooks []int // the runs whose hooks ran, in order
}

func (r *recorder) fn(result error) func(kv.Tx) error {
	return func(tx kv.Tx) error {
		r.mu.Lock()
		n := len(r.runs) + 1
		r.mu.Unlock()
		b := tx.Bucket("b")
		var seen bool
		for i := 1; i < n; i++ {
			seen = seen || b.Get(fmt.Appendf(nil, "run%d", i)) != nil
		}
		if err := b.Put(fmt.Appendf(nil, "run%d", n), []byte("書いた")); err != nil {
			return err
		}
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		tx.OnCommit(func() {
			r.mu.Lock()
			r.hooks = append(r.hooks, n)
			r.mu.Unlock()
		})
		r.mu.Lock()
		r.runs = append(r.runs, run{sawEarlier: seen, id: id})
		r.mu.Unlock()
		return result
	}
}

// keys returns the keys of bucket b.
func keys(t *testing.T, db kv.DB) []string {
	t.Helper()
	var got []string
	if err := db.View(func(tx kv.Tx) error {
		return tx.Bucket("b").ForEach(func(k, _ []byte) error {
			got = append(got, string(k))
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

// check asserts that r ran twice, the second run on a fresh transaction
// that committed alone (when committed).
func check(t *testing.T, d *kvretry.DB, r *recorder, committed bool) {
	t.Helper()
	if len(r.runs) != 2 {
		t.Fatalf("the function ran %d times, want 2", len(r.runs))
	}
	if r.runs[1].sawEarlier {
		t.Error("the second run saw what the first one wrote: the first attempt was not rolled back")
	}
	// The rolled-back attempt's id is given back on bbolt; PostgreSQL's
	// sequences may leave it as a gap (kv.Bucket.NextSequence), never
	// hand it out again.
	switch first, second := r.runs[0].id, r.runs[1].id; {
	case kv.Engine(d) == "bbolt" && first != second:
		t.Errorf("NextSequence gave %d then %d on bbolt: the first attempt's increment stayed", first, second)
	case second < first:
		t.Errorf("NextSequence gave %d then %d: the rerun went back", first, second)
	}
	want, wantKeys := []int{2}, []string{"run2"}
	if !committed {
		want, wantKeys = nil, nil
	}
	if fmt.Sprint(r.hooks) != fmt.Sprint(want) {
		t.Errorf("hooks of runs %v ran, want %v (the rolled-back attempt's never)", r.hooks, want)
	}
	if got := keys(t, d); fmt.Sprint(got) != fmt.Sprint(wantKeys) {
		t.Errorf("keys %q after the transaction, want %q", got, wantKeys)
	}
}

func TestUpdateRunsTwiceAndCommitsTheSecond(t *testing.T) {
	forEngines(t, func(t *testing.T, d *kvretry.DB) {
		var r recorder
		if err := d.Update(r.fn(nil)); err != nil {
			t.Fatal(err)
		}
		check(t, d, &r, true)
		if n := d.Reruns(); n != 2 { // the bucket's creation, then r
			t.Errorf("Reruns() = %d, want 2", n)
		}
	})
}

func TestBatchRunsTwiceAndCommitsTheSecond(t *testing.T) {
	forEngines(t, func(t *testing.T, d *kvretry.DB) {
		var r recorder
		if err := d.Batch(r.fn(nil)); err != nil {
			t.Fatal(err)
		}
		check(t, d, &r, true)
	})
}

// TestFailingFunctionRunsTwice: a function that fails runs twice all the
// same (a serialization failure may come before it fails), and its
// second run's error is the caller's, as is.
func TestFailingFunctionRunsTwice(t *testing.T) {
	forEngines(t, func(t *testing.T, d *kvretry.DB) {
		errApp := errors.New("相談はもう閉じています")
		for _, begin := range []func(func(kv.Tx) error) error{d.Update, d.Batch} {
			var r recorder
			if err := begin(r.fn(errApp)); err != errApp {
				t.Fatalf("got error %v, want %v as is", err, errApp)
			}
			check(t, d, &r, false)
		}
	})
}

// TestConcurrentBatches: functions batched together each run twice and
// each commits once, their hooks with them.
func TestConcurrentBatches(t *testing.T) {
	forEngines(t, func(t *testing.T, d *kvretry.DB) {
		const n = 8
		var mu sync.Mutex
		runs, hooks := make([]int, n), make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := d.Batch(func(tx kv.Tx) error {
					mu.Lock()
					runs[i]++
					mu.Unlock()
					tx.OnCommit(func() {
						mu.Lock()
						hooks[i]++
						mu.Unlock()
					})
					return tx.Bucket("b").Put(fmt.Appendf(nil, "k%d", i), []byte("v"))
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		for i := range n {
			// bbolt may rerun a function more when another of its batch
			// fails: twice is the least.
			if runs[i] < 2 {
				t.Errorf("function %d ran %d times, want 2 or more", i, runs[i])
			}
			if hooks[i] != 1 {
				t.Errorf("function %d's hooks ran %d times, want 1", i, hooks[i])
			}
		}
		if got := keys(t, d); len(got) != n {
			t.Errorf("%d keys committed, want %d: %q", len(got), n, got)
		}
	})
}

// TestViewRunsOnce: reads are not retried by either engine.
func TestViewRunsOnce(t *testing.T) {
	forEngines(t, func(t *testing.T, d *kvretry.DB) {
		runs := 0
		if err := d.View(func(kv.Tx) error { runs++; return nil }); err != nil {
			t.Fatal(err)
		}
		if runs != 1 {
			t.Errorf("View ran its function %d times, want 1", runs)
		}
	})
}

func TestWrapNeedsTheVariable(t *testing.T) {
	db := engines[0].open(t)
	t.Setenv(kvretry.EnvVar, "")
	if _, ok := kvretry.Wrap(db).(*kvretry.DB); ok {
		t.Errorf("Wrap retries without %s=1", kvretry.EnvVar)
	}
	t.Setenv(kvretry.EnvVar, "1")
	if _, ok := kvretry.Wrap(db).(*kvretry.DB); !ok {
		t.Errorf("Wrap does not retry with %s=1 in a test binary", kvretry.EnvVar)
	}
}

// TestEngineAndPing pass through, for the store's Engine and readiness.
func TestEngineAndPing(t *testing.T) {
	forEngines(t, func(t *testing.T, d *kvretry.DB) {
		if got, want := d.Engine(), d.Unwrap().(interface{ Engine() string }).Engine(); got != want {
			t.Errorf("Engine() = %q, want the wrapped %q", got, want)
		}
		if err := d.Ping(context.Background()); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}
