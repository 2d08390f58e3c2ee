// Package kvretry makes every write transaction run its function twice,
// in test binaries that ask for it, to prove that the functions are safe
// to run again. An engine may run a write transaction's function more
// than once: bbolt's Batch reruns a function alone when another function
// of its batch failed, and PostgreSQL (store/kv/pgkv) retries a
// SERIALIZABLE transaction that lost a serialization conflict. A function
// with an effect outside its transaction (appending to a captured slice,
// counting, marking a map, sending, taking a rate token) then does it
// twice, and the suite never sees it, because conflicts are rare in tests.
//
// The injector is a kv.DB decorator. In every Update and Batch it runs
// the function once, rolls that attempt back as a serialization failure
// would, whatever the function returned, and runs the function again on
// a fresh transaction, whose outcome is the caller's. Commit hooks
// (kv.Tx.OnCommit) registered by the rolled-back attempt never run: the
// engines drop them with the transaction. View runs once: neither engine
// reruns a read.
//
// Wrap turns it on only in a test binary run with SOUDAN_TEST_RETRY=1
// (and not running benchmarks, which must measure what the product runs):
// CI runs the whole suite so once (.ci/run).
package kvretry

import (
	"context"
	"errors"
	"flag"
	"os"
	"sync/atomic"
	"testing"

	"github.com/soudan/soudan/store/kv"
)

// EnvVar turns the injector on in test binaries when it is "1".
const EnvVar = "SOUDAN_TEST_RETRY"

// errInjected rolls back a function's first attempt. It never reaches the
// caller: Update and Batch run the function again on its account.
var errInjected = errors.New("kvretry: first attempt rolled back on purpose")

// DB is a kv.DB whose write transactions run their function twice. Make
// one with Wrap (or New); it is safe for concurrent use, as the database
// it wraps is.
type DB struct {
	db kv.DB
	// reruns counts the functions run a second time.
	reruns atomic.Uint64
}

var _ kv.DB = (*DB)(nil)

// Wrap returns db retrying when Enabled, and db itself otherwise. Closing
// the result closes db.
func Wrap(db kv.DB) kv.DB {
	if !Enabled() {
		return db
	}
	return New(db)
}

// Enabled reports whether Wrap retries: in a test binary that is not
// running benchmarks, with SOUDAN_TEST_RETRY=1.
func Enabled() bool {
	if !testing.Testing() || os.Getenv(EnvVar) != "1" {
		return false
	}
	f := flag.Lookup("test.bench")
	return f == nil || f.Value.String() == ""
}

// New returns db retrying, whatever the process and the environment.
func New(db kv.DB) *DB { return &DB{db: db} }

// Unwrap returns the database d wraps.
func (d *DB) Unwrap() kv.DB { return d.db }

// Reruns returns how many transaction functions d ran a second time.
func (d *DB) Reruns() uint64 { return d.reruns.Load() }

// Update implements kv.DB: fn runs in a transaction that is rolled back,
// then in one that commits when fn returns nil.
func (d *DB) Update(fn func(kv.Tx) error) error { return d.twice(d.db.Update, fn) }

// Batch implements kv.DB as Update does. On bbolt the function's failed
// first attempt rolls back the whole batch it ran in, and bbolt itself
// reruns it alone (and the batch's other functions again): the rerun the
// engine makes in production.
func (d *DB) Batch(fn func(kv.Tx) error) error { return d.twice(d.db.Batch, fn) }

// View implements kv.DB; fn runs once.
func (d *DB) View(fn func(kv.Tx) error) error { return d.db.View(fn) }

// Close implements kv.DB.
func (d *DB) Close() error { return d.db.Close() }

// Ping passes kv.Ping through to the wrapped database.
func (d *DB) Ping(ctx context.Context) error { return kv.Ping(ctx, d.db) }

// Engine names the wrapped database's engine (kv.Engine).
func (d *DB) Engine() string { return kv.Engine(d.db) }

// twice runs fn through begin (the engine's Update or Batch) so that its
// first attempt rolls back. The attempt is rolled back even when fn
// succeeded or failed on its own: a serialization failure may strike any
// statement, so a function must be safe to rerun whatever it returns.
func (d *DB) twice(begin func(func(kv.Tx) error) error, fn func(kv.Tx) error) error {
	// An atomic, because bbolt runs a Batch's functions on the goroutine
	// that leads the batch, not the caller's.
	var first atomic.Bool
	first.Store(true)
	attempt := func(tx kv.Tx) error {
		if first.CompareAndSwap(true, false) {
			_ = fn(tx) // the attempt rolls back whatever fn returned
			return errInjected
		}
		d.reruns.Add(1)
		return fn(tx)
	}
	err := begin(attempt)
	if errors.Is(err, errInjected) {
		// The engine did not rerun the function itself (bbolt's Update,
		// PostgreSQL's transactions, which retry serialization failures
		// only): run it again as a retry would.
		err = begin(attempt)
	}
	return err
}
