// Package kvguard catches nested transactions: a transaction opened on a
// database by a goroutine that is running a transaction function of that
// same database. Such code is a bug whatever it reads. On bbolt an Update
// (or Batch) inside an Update waits for the write lock its own goroutine
// holds, forever; on PostgreSQL every nested transaction waits for a
// second connection of the pool while holding one, so under load every
// connection is held by a transaction waiting for another and the process
// stalls (276 goroutines did, and acknowledged events were lost). Code
// inside a transaction reads through that transaction instead.
//
// The guard is a kv.DB decorator. Wrap turns it on in test binaries only
// (testing.Testing): it names goroutines by the id runtime.Stack prints,
// which costs microseconds a transaction, and the product must not pay
// for a check its tests make. There, a nested transaction
// ends the test binary at once with its stack rather than returning an
// error, because an error may travel through code that logs it and
// carries on (the kit's panic recovery, best-effort paths), and the suite
// would pass with the bug in it.
//
// What counts as nested, precisely: View, Update or Batch (or Hold)
// called on a guarded database by a goroutine while that goroutine runs a
// transaction function of the same guarded database. Therefore:
//
//   - sequential transactions on one goroutine are fine;
//   - the functions of one bbolt Batch run one after another on one
//     goroutine, each marked only while it runs: not nested;
//   - commit hooks (kv.Tx.OnCommit) run after the function has returned
//     and the transaction has let go of its lock or connection: they may
//     open transactions;
//   - another database is another guard: a transaction of one inside a
//     transaction of the other holds another lock or pool and cannot wait
//     for its own goroutine. Two databases may still deadlock each other
//     when one goroutine holds the first and waits for the second while
//     another does the reverse; Before names the one order allowed (the
//     store's data before its inbox), and the other is flagged.
package kvguard

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/soudan/soudan/store/kv"
)

// ErrNested is what a nested transaction fails with on a lenient guard;
// test it with errors.Is.
var ErrNested = errors.New("kvguard: nested transaction")

// NestedError describes a nested transaction.
type NestedError struct {
	// DB names the database of the nested transaction (Wrap's name);
	// Held, the one whose transaction is open: DB itself, or a database
	// that must come after DB (Before).
	DB, Held string
	// Outer is the transaction open on the goroutine, Inner the one it
	// tried to open: "view", "update", "batch" or a Hold's op.
	Outer, Inner string
	// Stack is the goroutine's stack at the nested call. The goroutine
	// runs the outer transaction's function, so the stack holds both:
	// the nested call at the top, the open transaction below it.
	Stack []byte
}

func (e *NestedError) Error() string {
	if e.Held != e.DB {
		return fmt.Sprintf("kvguard: %s on %s inside a %s of %s on the same goroutine, against the order "+
			"of the two (%s first)\n%s", e.Inner, e.DB, e.Outer, e.Held, e.DB, e.Stack)
	}
	return fmt.Sprintf("kvguard: %s on %s inside a %s of the same database on the same goroutine "+
		"(read and write through the open transaction instead)\n%s", e.Inner, e.DB, e.Outer, e.Stack)
}

// Unwrap makes errors.Is(err, ErrNested) true.
func (e *NestedError) Unwrap() error { return ErrNested }

// DB is a kv.DB that catches nested transactions. Make one with Wrap (or
// New); it is safe for concurrent use, as the database it guards is.
type DB struct {
	db   kv.DB
	name string
	// open maps the id of each goroutine running a transaction function
	// of db to what that transaction is ("update"...).
	open sync.Map
	// lenient makes a nested transaction fail with a *NestedError
	// instead of ending the process.
	lenient atomic.Bool
	// after are the databases whose transactions must not be open when
	// one of d's begins (Before).
	after atomic.Pointer[[]*DB]
}

var _ kv.DB = (*DB)(nil)

// Wrap returns db guarded when the process is a test binary that is not
// running benchmarks, and db itself otherwise. name identifies the
// database in reports (a file's path, "postgres", "inbox"...). Closing the
// result closes db.
//
// A binary run with -bench goes unguarded, its tests included, so that
// benchmarks measure what the product runs; go test without -bench, as
// the suite and CI run it, is guarded.
func Wrap(db kv.DB, name string) kv.DB {
	if !enabled() {
		return db
	}
	return New(db, name)
}

// enabled reports whether Wrap guards: in a test binary, unless it runs
// benchmarks.
func enabled() bool {
	if !testing.Testing() {
		return false
	}
	f := flag.Lookup("test.bench")
	return f == nil || f.Value.String() == ""
}

// New returns db guarded, whatever the process. A nested transaction
// ends the process with its stack, unless Lenient was called.
func New(db kv.DB, name string) *DB { return &DB{db: db, name: name} }

// Lenient makes nested transactions on d fail with a *NestedError (which
// wraps ErrNested) instead of ending the process: for tests that make one
// on purpose.
func (d *DB) Lenient() { d.lenient.Store(true) }

// Before declares that a goroutine may open a transaction of second
// inside one of first, and not the reverse: a transaction of first
// opened while one of second is open on the goroutine is flagged like a
// nested one. One order between two databases means no two goroutines
// can each hold one while waiting for the other. Databases that are not
// both guarded are left alone.
func Before(first, second kv.DB) {
	f, ok1 := first.(*DB)
	s, ok2 := second.(*DB)
	if !ok1 || !ok2 {
		return
	}
	for {
		old := f.after.Load()
		var next []*DB
		if old != nil {
			next = append(next, *old...)
		}
		next = append(next, s)
		if f.after.CompareAndSwap(old, &next) {
			return
		}
	}
}

// Unwrap returns the database d guards.
func (d *DB) Unwrap() kv.DB { return d.db }

// Update implements kv.DB.
func (d *DB) Update(fn func(kv.Tx) error) error { return d.run("update", d.db.Update, fn, false) }

// View implements kv.DB.
func (d *DB) View(fn func(kv.Tx) error) error { return d.run("view", d.db.View, fn, false) }

// Batch implements kv.DB. The engine may run fn on another goroutine
// (bbolt runs a batch's functions on the goroutine that starts it): the
// goroutine marked is the one that runs fn, while it runs fn.
func (d *DB) Batch(fn func(kv.Tx) error) error { return d.run("batch", d.db.Batch, fn, true) }

// Close implements kv.DB.
func (d *DB) Close() error { return d.db.Close() }

// Ping passes kv.Ping through to the guarded database.
func (d *DB) Ping(ctx context.Context) error { return kv.Ping(ctx, d.db) }

// Engine names the guarded database's engine (kv.Engine).
func (d *DB) Engine() string { return kv.Engine(d.db) }

// Hold runs fn, which uses the engine under db directly rather than
// through the seam (bbolt's Compact opens a read transaction of the file
// itself), as a transaction of db called op: nested inside one of db's
// transactions it is caught like any other, and db's transactions
// opened inside fn are caught. On a database that is not guarded it just
// runs fn.
func Hold(db kv.DB, op string, fn func() error) error {
	d, ok := db.(*DB)
	if !ok {
		return fn()
	}
	return d.run(op, func(f func(kv.Tx) error) error { return f(nil) }, func(kv.Tx) error { return fn() }, false)
}

// run opens the transaction op with begin unless the calling goroutine
// runs a transaction function of d, and marks the goroutine that runs fn
// for as long as fn runs. Both engines run the function of View and
// Update on the calling goroutine, whose id is known already (finding it
// costs microseconds); a Batch's may run elsewhere (moved), and is
// looked up again.
func (d *DB) run(op string, begin func(func(kv.Tx) error) error, fn func(kv.Tx) error, moved bool) error {
	caller := goid()
	if outer, ok := d.open.Load(caller); ok {
		return d.nested(d, outer.(string), op)
	}
	if after := d.after.Load(); after != nil {
		for _, a := range *after {
			if outer, ok := a.open.Load(caller); ok {
				return d.nested(a, outer.(string), op)
			}
		}
	}
	return begin(func(tx kv.Tx) error {
		g := caller
		if moved {
			g = goid()
		}
		if outer, loaded := d.open.LoadOrStore(g, op); loaded {
			// Only an engine that ran fn on a goroutine inside another
			// function of d could get here; report it all the same.
			return d.nested(d, outer.(string), op)
		}
		defer d.open.Delete(g)
		return fn(tx)
	})
}

// nested reports the transaction inner of d opened inside outer, a
// transaction of held: the process ends, or on a lenient guard the error
// is returned.
func (d *DB) nested(held *DB, outer, inner string) error {
	buf := make([]byte, 64<<10)
	buf = buf[:runtime.Stack(buf, false)]
	err := &NestedError{DB: d.name, Held: held.name, Outer: outer, Inner: inner, Stack: buf}
	if d.lenient.Load() {
		return err
	}
	fmt.Fprintf(os.Stderr, "\n%v\n", err)
	os.Exit(2)
	return err
}

// goid returns the id of the calling goroutine, from the first line of
// its stack: "goroutine 123 [running]:". The runtime has no other way to
// tell goroutines apart, which is why only test binaries pay for this.
func goid() uint64 {
	var buf [32]byte
	b := buf[:runtime.Stack(buf[:], false)]
	const prefix = "goroutine "
	if len(b) < len(prefix) || string(b[:len(prefix)]) != prefix {
		panic(fmt.Sprintf("kvguard: unexpected stack header %q", b))
	}
	var id uint64
	for _, c := range b[len(prefix):] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint64(c-'0')
	}
	if id == 0 {
		panic(fmt.Sprintf("kvguard: no goroutine id in %q", b))
	}
	return id
}
