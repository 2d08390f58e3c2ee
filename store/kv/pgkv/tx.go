package pgkv

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/soudan/soudan/store/kv"
)

// tx is one attempt at a transaction. The seam's reads return no error
// (bbolt's cannot fail), but a database's can: the first error is kept in
// err, every later operation returns at once, and DB.run reports err (or
// runs the function again) instead of committing.
type tx struct {
	ctx   context.Context
	ptx   pgx.Tx
	write bool
	id    uint64
	err   error
	hooks []func()
	// catalog maps every bucket's name to its number, read in one query
	// on the transaction's first bucket lookup (a transaction touches
	// several, and one round trip costs more than the few dozen rows);
	// nil until then. A bucket this transaction creates or deletes
	// changes it.
	catalog map[string]int64
	buckets map[string]*bucket // handed out in this transaction, by name
}

// fail records err as the transaction's error unless it already has one,
// and returns the error to give the caller.
func (t *tx) fail(op string, err error) error {
	err = fmt.Errorf("pgkv: %s: %w", op, err)
	if t.err == nil {
		t.err = err
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
	if err := t.loadCatalog(); err != nil {
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

// loadCatalog reads every bucket's name and number, once per transaction.
// In a SERIALIZABLE transaction that read conflicts only with creating or
// deleting a bucket, which migrations do: the sequences, which many
// transactions write, live in a table of their own.
func (t *tx) loadCatalog() error {
	if t.catalog != nil {
		return nil
	}
	if err := t.broken(); err != nil {
		return err
	}
	rows, err := t.ptx.Query(t.ctx, `SELECT name, id FROM soudan_kv_buckets`)
	if err != nil {
		return t.fail("read the buckets", err)
	}
	catalog := map[string]int64{}
	var (
		name string
		id   int64
	)
	_, err = pgx.ForEachRow(rows, []any{&name, &id}, func() error {
		catalog[name] = id
		return nil
	})
	if err != nil {
		return t.fail("read the buckets", err)
	}
	t.catalog = catalog
	return nil
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
	if err := t.loadCatalog(); err != nil {
		return nil, err
	}
	if _, ok := t.catalog[name]; ok {
		return nil, kv.ErrBucketExists
	}
	var id int64
	err := t.ptx.QueryRow(t.ctx, `INSERT INTO soudan_kv_buckets (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id`, name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, kv.ErrBucketExists
	}
	if err != nil {
		return nil, t.fail("create bucket "+name, err)
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
	err := t.ptx.QueryRow(t.ctx, `DELETE FROM soudan_kv_buckets WHERE name = $1 RETURNING id`, name).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return kv.ErrBucketNotFound
	}
	if err != nil {
		return t.fail("delete bucket "+name, err)
	}
	if _, err := t.ptx.Exec(t.ctx, `DELETE FROM soudan_kv WHERE bucket = $1`, id); err != nil {
		return t.fail("delete bucket "+name, err)
	}
	if _, err := t.ptx.Exec(t.ctx, `DELETE FROM soudan_kv_sequences WHERE bucket = $1`, id); err != nil {
		return t.fail("delete bucket "+name, err)
	}
	if b := t.buckets[name]; b != nil {
		b.gone = true
	}
	delete(t.buckets, name)
	if t.catalog != nil {
		delete(t.catalog, name)
	}
	return nil
}

// ForEachBucket implements kv.Tx.
func (t *tx) ForEachBucket(fn func(name string) error) error {
	if err := t.broken(); err != nil {
		return err
	}
	// The names are read before fn runs: fn may use the transaction,
	// and a connection serves one query at a time.
	rows, err := t.ptx.Query(t.ctx, `SELECT name FROM soudan_kv_buckets ORDER BY convert_to(name, 'UTF8')`)
	if err != nil {
		return t.fail("list buckets", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return t.fail("list buckets", err)
	}
	for _, n := range names {
		if err := fn(n); err != nil {
			return err
		}
	}
	return nil
}
