// Package kv is the seam under store.Tx: the few key-value operations the
// store's entity files use, so that the same domain code runs on more
// than one engine. It is shaped like the store's actual use of bbolt:
//
//   - top-level buckets by name, each an ordered map of byte keys to byte
//     values, with a sequence for ids (NextSequence);
//   - Get, Put and Delete of one key;
//   - ordered cursors: First, Last, Seek, Next, Prev;
//   - transactions that see one snapshot, write all or nothing, and run
//     hooks after they commit.
//
// Values returned by Get and by cursors are valid only until the
// transaction ends, and must not be modified. Keys and values passed to
// Put must not be modified until the transaction ends.
//
// The bbolt implementation is store/kv/boltkv. Only the store package uses
// this seam; features never see it.
package kv

import (
	"context"
	"errors"
	"fmt"
)

// Errors every implementation returns (wrapped or as is); test them with
// errors.Is.
var (
	// ErrTxNotWritable: a write inside a read-only transaction.
	ErrTxNotWritable = errors.New("kv: transaction not writable")
	// ErrBucketNotFound: DeleteBucket of a bucket that does not exist.
	ErrBucketNotFound = errors.New("kv: bucket not found")
	// ErrBucketExists: CreateBucket of a bucket that exists.
	ErrBucketExists = errors.New("kv: bucket already exists")
	// ErrConflict: a transaction kept failing for concurrent ones (an
	// engine that retries serialization failures gave up). Nothing of it
	// was committed, and running it again later may succeed. An engine
	// with one writer at a time (bbolt) never returns it.
	ErrConflict = errors.New("kv: transaction conflicts with concurrent ones")
	// ErrUnavailable: the database did not answer (no connection, one
	// lost or timed out, a server shutting down), as opposed to answering
	// with an error. Whether the transaction committed may be unknown
	// when the commit itself went unanswered. An embedded engine never
	// returns it.
	ErrUnavailable = errors.New("kv: database unavailable")
)

// DB is an open key-value database.
type DB interface {
	// Update runs fn in a read-write transaction and commits it when fn
	// returns nil; an error from fn rolls everything back and is
	// returned as is.
	Update(fn func(Tx) error) error
	// View runs fn in a read-only transaction on one consistent
	// snapshot.
	View(fn func(Tx) error) error
	// Batch is Update in a transaction the engine may share with
	// concurrent Batch calls, so that many small writes cost one commit.
	// fn may run more than once and must have no effects outside the
	// transaction.
	Batch(fn func(Tx) error) error
	// Close releases the database.
	Close() error
}

// Tx is one transaction.
type Tx interface {
	// Bucket returns the bucket called name, or nil when there is none.
	Bucket(name string) Bucket
	// CreateBucket creates the bucket name; ErrBucketExists if it exists.
	CreateBucket(name string) (Bucket, error)
	// CreateBucketIfNotExists returns the bucket name, creating it first
	// when there is none.
	CreateBucketIfNotExists(name string) (Bucket, error)
	// DeleteBucket deletes the bucket name and everything in it;
	// ErrBucketNotFound if there is none.
	DeleteBucket(name string) error
	// ForEachBucket calls fn with the name of every bucket, in byte
	// order, stopping at its first error: what copies a whole database
	// from one engine to another (soudan migrate) walks.
	ForEachBucket(fn func(name string) error) error
	// Writable tells a read-write transaction from a read-only one.
	Writable() bool
	// ID identifies the transaction: two write transactions that commit
	// separately have different ids; the functions a Batch runs together
	// share one.
	ID() uint64
	// OnCommit registers fn to run after the transaction commits, in
	// registration order; never when it rolls back, nor in a read-only
	// transaction. fn runs once the transaction has let go of what it
	// held (bbolt's lock, a PostgreSQL connection): it may wait for other
	// goroutines' transactions, or open one of its own.
	OnCommit(fn func())
}

// Bucket is an ordered map of keys to values inside a transaction.
type Bucket interface {
	// Get returns the value of key, or nil when there is none. An empty
	// value is a non-nil empty slice.
	Get(key []byte) []byte
	// Put sets key to value. Keys are 1 to 32,768 bytes.
	Put(key, value []byte) error
	// Delete removes key; removing a missing key is not an error.
	Delete(key []byte) error
	// Cursor returns a cursor over the bucket's keys in byte order.
	Cursor() Cursor
	// ForEach calls fn for every key in order, stopping at its first
	// error. fn must not change the bucket.
	ForEach(fn func(k, v []byte) error) error
	// NextSequence increments the bucket's sequence and returns it: ids
	// start at 1, no two committed transactions get the same one, and
	// the ids one transaction takes rise in the order it takes them.
	//
	// Whether a rolled-back (or retried) transaction's increments are
	// undone is the engine's: bbolt undoes them, so its ids have no
	// gaps; PostgreSQL does not (its sequences stand outside
	// transactions, so that transactions taking ids of one bucket never
	// conflict), so a number once taken is never given again and ids
	// have gaps. The store relies on neither: ids are unique and rise,
	// and nothing counts records by the last id.
	NextSequence() (uint64, error)
	// Sequence returns the bucket's sequence without changing it: the
	// last number given out, and so never less than an id the
	// transaction can see. (On PostgreSQL it includes numbers taken by
	// transactions still running or rolled back.)
	Sequence() uint64
	// SetSequence sets the bucket's sequence to n, so that Sequence
	// returns n and NextSequence n+1: what copying a database from one
	// engine to another needs, not the store. On PostgreSQL it takes
	// effect at once, like NextSequence, unless the bucket was made in
	// the same transaction (then a rollback takes both away).
	SetSequence(n uint64) error
	// KeyN counts the keys in the bucket.
	KeyN() int
}

// Cursor walks a bucket's keys in byte order. Each method returns the
// key and value it lands on, or a nil key past either end.
type Cursor interface {
	First() (k, v []byte)
	Last() (k, v []byte)
	// Seek lands on the first key >= seek.
	Seek(seek []byte) (k, v []byte)
	Next() (k, v []byte)
	Prev() (k, v []byte)
}

// KeySet names keys of one bucket, for Prefetch.
type KeySet struct {
	Bucket string
	Keys   [][]byte
}

// Prefetcher is a capability a Tx may have: an engine whose every read is
// an exchange with a server (pgkv) reads the keys of several buckets in
// one exchange and answers the transaction's later Gets of them from what
// it read. An engine that reads in place (bbolt) has no use for it. A
// prefetch changes no result, only how many exchanges the Gets cost: a key
// the transaction wrote keeps the value it wrote, and a missing bucket or
// key is skipped.
type Prefetcher interface {
	Prefetch(sets ...KeySet)
}

// Prefetch asks tx to read the keys of sets ahead of the Gets that will
// follow, when its engine is a Prefetcher, and does nothing otherwise.
func Prefetch(tx Tx, sets ...KeySet) {
	if p, ok := tx.(Prefetcher); ok {
		p.Prefetch(sets...)
	}
}

// Ping asks db whether it answers, when it can be asked (a server has a
// Ping method); a file cannot fail to answer, and nil is its answer.
// Decorators (the tests' guards) pass it through.
func Ping(ctx context.Context, db DB) error {
	if p, ok := db.(interface{ Ping(context.Context) error }); ok {
		return p.Ping(ctx)
	}
	return nil
}

// Engine names db's engine: what its Engine method says ("bbolt",
// "postgres"), else its type.
func Engine(db DB) string {
	if e, ok := db.(interface{ Engine() string }); ok {
		return e.Engine()
	}
	return fmt.Sprintf("%T", db)
}
