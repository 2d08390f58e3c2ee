package pgkv

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/soudan/soudan/store/kv"
)

// querier sends a transaction's statements: the pool's connection the
// transaction holds.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// tx is one attempt at a transaction. The seam's reads return no error
// (bbolt's cannot fail), but a database's can: the first error is kept in
// err, every later operation returns at once, and DB.run reports err (or
// runs the function again) instead of committing.
type tx struct {
	ctx context.Context
	db  *DB
	// q is the connection the transaction holds from begin to its end.
	q     querier
	write bool
	id    uint64
	err   error
	// cause is where err arose, counted when err makes the function
	// run again (Stats.RetriesBy).
	cause cause
	hooks []func()
	// catalog maps every bucket's name to its number, as begin read it
	// and as this transaction changed it.
	catalog map[string]int64
	buckets map[string]*bucket // handed out in this transaction, by name
	// dirty lists the buckets with buffered writes, in the order of
	// their first; pending counts the keys and sequences buffered, and
	// seenN the keys kept in the buckets' caches (see buffer.go).
	dirty          []*bucket
	pending, seenN int
}

// fail records err, met by a statement of kind c, as the transaction's
// error unless it already has one, and returns the error to give the
// caller.
func (t *tx) fail(c cause, op string, err error) error {
	if fe := (*flushError)(nil); errors.As(err, &fe) {
		c = causeWrite
	}
	err = fmt.Errorf("pgkv: %s: %w", op, err)
	if t.err == nil {
		t.err, t.cause = err, c
	}
	return err
}

// broken returns the recorded error, for operations that must not reach a
// transaction that already failed (PostgreSQL would refuse them anyway).
func (t *tx) broken() error {
	if t.err != nil {
		return fmt.Errorf("pgkv: the transaction already failed: %w", t.err)
	}
	return nil
}

func (t *tx) Writable() bool { return t.write }

// OnCommit implements kv.Tx; a read-only transaction never commits, so
// its hooks are dropped.
func (t *tx) OnCommit(fn func()) {
	if t.write {
		t.hooks = append(t.hooks, fn)
	}
}

// ID implements kv.Tx: a number unique among this process's transaction
// attempts (each attempt commits separately or not at all).
func (t *tx) ID() uint64 { return t.id }

// Bucket implements kv.Tx. When the lookup itself fails it returns a
// bucket whose operations fail too, not nil: the transaction is lost
// either way, and a nil would turn the store's "this bucket exists since
// migration N" into a panic.
func (t *tx) Bucket(name string) kv.Bucket {
	b, err := t.lookup(name)
	if err != nil {
		return &bucket{t: t, name: name, gone: true}
	}
	if b == nil {
		return nil
	}
	return b
}

// lookup returns the bucket called name, nil when there is none.
func (t *tx) lookup(name string) (*bucket, error) {
	if b, ok := t.buckets[name]; ok {
		return b, nil
	}
	if err := t.broken(); err != nil {
		return nil, err
	}
	id, ok := t.catalog[name]
	if !ok {
		return nil, nil
	}
	b := &bucket{t: t, name: name, id: id}
	t.buckets[name] = b
	return b, nil
}

func (t *tx) CreateBucket(name string) (kv.Bucket, error) {
	if !t.write {
		return nil, kv.ErrTxNotWritable
	}
	if err := t.broken(); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, errors.New("pgkv: a bucket needs a name")
	}
	if _, ok := t.catalog[name]; ok {
		return nil, kv.ErrBucketExists
	}
	var id int64
	t.db.count.roundTrips.Add(1)
	err := t.q.QueryRow(t.ctx, `INSERT INTO soudan_kv_buckets (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id`, name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, kv.ErrBucketExists
	}
	if err != nil {
		return nil, t.fail(causeBucket, "create bucket "+name, err)
	}
	// The bucket's sequence is made with it, in the same transaction, so
	// that it goes with it when the transaction rolls back and no
	// NextSequence has to make it: two transactions making one sequence
	// would collide on its name, with an error no retry is meant for.
	t.db.count.roundTrips.Add(1)
	if _, err := t.q.Exec(t.ctx, createSequence(id)); err != nil {
		return nil, t.fail(causeBucket, "create bucket "+name, err)
	}
	b := &bucket{t: t, name: name, id: id}
	t.catalog[name] = id
	t.buckets[name] = b
	return b, nil
}

func (t *tx) CreateBucketIfNotExists(name string) (kv.Bucket, error) {
	if !t.write {
		return nil, kv.ErrTxNotWritable
	}
	b, err := t.lookup(name)
	if err != nil {
		return nil, err
	}
	if b != nil {
		return b, nil
	}
	return t.CreateBucket(name)
}

func (t *tx) DeleteBucket(name string) error {
	if !t.write {
		return kv.ErrTxNotWritable
	}
	if err := t.broken(); err != nil {
		return err
	}
	var id int64
	t.db.count.roundTrips.Add(1)
	err := t.q.QueryRow(t.ctx, `DELETE FROM soudan_kv_buckets WHERE name = $1 RETURNING id`, name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return kv.ErrBucketNotFound
	}
	if err != nil {
		return t.fail(causeBucket, "delete bucket "+name, err)
	}
	batch := &pgx.Batch{}
	batch.Queue(`DELETE FROM soudan_kv WHERE bucket = $1`, id)
	batch.Queue(`DROP SEQUENCE IF EXISTS ` + pgx.Identifier{seqName(id)}.Sanitize())
	t.db.count.roundTrips.Add(1)
	if err := t.q.SendBatch(t.ctx, batch).Close(); err != nil {
		return t.fail(causeBucket, "delete bucket "+name, err)
	}
	if b := t.buckets[name]; b != nil {
		// Its buffered writes go with it.
		t.pending -= len(b.dirty)
		t.seenN -= len(b.seen)
		b.gone, b.dirty, b.seen = true, nil, nil
	}
	delete(t.buckets, name)
	delete(t.catalog, name)
	return nil
}

// ForEachBucket implements kv.Tx.
func (t *tx) ForEachBucket(fn func(name string) error) error {
	if err := t.broken(); err != nil {
		return err
	}
	// The names are read before fn runs: fn may use the transaction,
	// and a connection serves one query at a time.
	t.db.count.roundTrips.Add(1)
	rows, err := t.q.Query(t.ctx, `SELECT name FROM soudan_kv_buckets ORDER BY convert_to(name, 'UTF8')`)
	if err != nil {
		return t.fail(causeRead, "list buckets", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return t.fail(causeRead, "list buckets", err)
	}
	for _, n := range names {
		if err := fn(n); err != nil {
			return err
		}
	}
	return nil
}
