// Package boltkv implements the store's key-value seam (store/kv) on a
// bbolt file: soudan's default engine, embedded, one file, one process.
package boltkv

import (
	"errors"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/soudan/soudan/store/kv"
)

// The wrappers are single-pointer structs, so storing one in an interface
// value does not allocate: the seam costs no garbage per bucket or cursor.
var (
	_ kv.DB     = DB{}
	_ kv.Tx     = tx{}
	_ kv.Bucket = bucket{}
	_ kv.Cursor = cursor{}
)

// DB is a bbolt database seen through the seam.
type DB struct{ db *bbolt.DB }

// Open opens the bbolt file at path (creating it, mode 0600: it holds
// personal data) and returns it seen through the seam, for tools that
// copy a whole database (soudan migrate) and tests. It waits at most
// timeout for another process's lock on the file; zero waits forever.
func Open(path string, timeout time.Duration) (DB, error) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: timeout})
	if err != nil {
		return DB{}, err
	}
	return DB{db}, nil
}

// Wrap returns db seen through the seam. Closing the result closes db.
func Wrap(db *bbolt.DB) DB { return DB{db} }

// Bolt returns the bbolt database, for the file operations only an
// embedded engine has (backup by copy, compaction, page checks).
func (d DB) Bolt() *bbolt.DB { return d.db }

// Update implements kv.DB.
func (d DB) Update(fn func(kv.Tx) error) error {
	return d.db.Update(func(t *bbolt.Tx) error { return fn(tx{t}) })
}

// View implements kv.DB.
func (d DB) View(fn func(kv.Tx) error) error {
	return d.db.View(func(t *bbolt.Tx) error { return fn(tx{t}) })
}

// Batch implements kv.DB with bbolt's DB.Batch.
func (d DB) Batch(fn func(kv.Tx) error) error {
	return d.db.Batch(func(t *bbolt.Tx) error { return fn(tx{t}) })
}

// Close implements kv.DB.
func (d DB) Close() error { return d.db.Close() }

// Engine names the engine, for the store's Engine and its metrics.
func (d DB) Engine() string { return "bbolt" }

type tx struct{ t *bbolt.Tx }

func (t tx) Bucket(name string) kv.Bucket {
	b := t.t.Bucket([]byte(name))
	if b == nil {
		return nil
	}
	return bucket{b}
}

func (t tx) CreateBucket(name string) (kv.Bucket, error) {
	b, err := t.t.CreateBucket([]byte(name))
	if err != nil {
		return nil, mapErr(err)
	}
	return bucket{b}, nil
}

func (t tx) CreateBucketIfNotExists(name string) (kv.Bucket, error) {
	b, err := t.t.CreateBucketIfNotExists([]byte(name))
	if err != nil {
		return nil, mapErr(err)
	}
	return bucket{b}, nil
}

func (t tx) DeleteBucket(name string) error { return mapErr(t.t.DeleteBucket([]byte(name))) }
func (t tx) Writable() bool                 { return t.t.Writable() }
func (t tx) ID() uint64                     { return uint64(t.t.ID()) }
func (t tx) OnCommit(fn func())             { t.t.OnCommit(fn) }

func (t tx) ForEachBucket(fn func(string) error) error {
	return t.t.ForEach(func(name []byte, _ *bbolt.Bucket) error { return fn(string(name)) })
}

type bucket struct{ b *bbolt.Bucket }

func (b bucket) Get(key []byte) []byte                    { return b.b.Get(key) }
func (b bucket) Put(key, value []byte) error              { return mapErr(b.b.Put(key, value)) }
func (b bucket) Delete(key []byte) error                  { return mapErr(b.b.Delete(key)) }
func (b bucket) Cursor() kv.Cursor                        { return cursor{b.b.Cursor()} }
func (b bucket) ForEach(fn func(k, v []byte) error) error { return b.b.ForEach(fn) }
func (b bucket) Sequence() uint64                         { return b.b.Sequence() }

// KeyN counts the keys. bbolt's Stats read the committed pages, not a
// write transaction's own nodes, so inside a write the keys are walked.
func (b bucket) KeyN() int {
	if !b.b.Writable() {
		return b.b.Stats().KeyN
	}
	n := 0
	c := b.b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	return n
}

func (b bucket) SetSequence(n uint64) error { return mapErr(b.b.SetSequence(n)) }

func (b bucket) NextSequence() (uint64, error) {
	n, err := b.b.NextSequence()
	return n, mapErr(err)
}

type cursor struct{ c *bbolt.Cursor }

func (c cursor) First() ([]byte, []byte)           { return c.c.First() }
func (c cursor) Last() ([]byte, []byte)            { return c.c.Last() }
func (c cursor) Seek(seek []byte) ([]byte, []byte) { return c.c.Seek(seek) }
func (c cursor) Next() ([]byte, []byte)            { return c.c.Next() }
func (c cursor) Prev() ([]byte, []byte)            { return c.c.Prev() }

// mapErr turns bbolt's errors that the seam names into the seam's, so
// that code above it tests for kv's errors only.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bolterrors.ErrTxNotWritable):
		return kv.ErrTxNotWritable
	case errors.Is(err, bolterrors.ErrBucketNotFound):
		return kv.ErrBucketNotFound
	case errors.Is(err, bolterrors.ErrBucketExists):
		return kv.ErrBucketExists
	}
	return err
}
