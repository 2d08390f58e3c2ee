package pgkv

import (
	"errors"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"

	"github.com/soudan/soudan/store/kv"
)

// bucket is one bucket inside one transaction; the transaction hands out
// one per name, so that every cursor on it sees its writes (gen) and every
// Get what was read or written before (seen, see buffer.go).
type bucket struct {
	t    *tx
	name string
	id   int64
	// gone marks a bucket deleted in this transaction, or one whose
	// lookup failed: it answers nothing.
	gone bool
	// gen counts the writes to the bucket in this transaction: a cursor
	// whose page was read before the last write reads it again.
	gen uint64
	// seen is what the transaction knows of the bucket's keys, read or
	// written; dirty the keys written and not yet sent.
	seen  map[string]entry
	dirty map[string]struct{}
}

// usable returns why the bucket cannot be read, or nil.
func (b *bucket) usable() error {
	if err := b.t.broken(); err != nil {
		return err
	}
	if b.gone {
		return fmt.Errorf("pgkv: bucket %s was deleted in this transaction", b.name)
	}
	return nil
}

// writable returns why the bucket cannot be written, or nil.
func (b *bucket) writable() error {
	if !b.t.write {
		return kv.ErrTxNotWritable
	}
	return b.usable()
}

func (b *bucket) Get(key []byte) []byte {
	if b.usable() != nil {
		return nil
	}
	b.t.db.count.gets.Add(1)
	if e, ok := b.seen[string(key)]; ok {
		return e.v
	}
	b.t.db.count.getsFetched.Add(1)
	b.t.db.count.roundTrips.Add(1)
	var v []byte
	err := b.t.q.QueryRow(b.t.ctx, `SELECT value FROM soudan_kv WHERE bucket = $1 AND key = $2`, b.id, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		b.t.trim()
		b.remember(key, nil, false)
		return nil
	}
	if err != nil {
		b.t.fail(causeRead, "get from "+b.name, err)
		return nil
	}
	if v == nil {
		v = []byte{} // an empty value is not a missing one
	}
	b.t.trim()
	b.remember(key, v, true)
	return v
}

func (b *bucket) Put(key, value []byte) error {
	if err := b.writable(); err != nil {
		return err
	}
	switch {
	case len(key) == 0:
		return errors.New("pgkv: put: a key needs at least one byte")
	case len(key) > MaxKeySize:
		return fmt.Errorf("pgkv: put: a key of %d bytes is longer than %d", len(key), MaxKeySize)
	}
	if value == nil {
		value = []byte{} // NOT NULL: bbolt stores a nil value as an empty one
	}
	b.t.db.count.puts.Add(1)
	// The seam lets the buffer keep key and value until the transaction
	// ends: the caller must not change them meanwhile.
	return b.write(key, value, true)
}

func (b *bucket) Delete(key []byte) error {
	if err := b.writable(); err != nil {
		return err
	}
	b.t.db.count.deletes.Add(1)
	// Deleting a key never stored is not an error; the buffer sends the
	// DELETE all the same, since it cannot tell a key this transaction
	// never saw from one that is not there.
	return b.write(key, nil, false)
}

// NextSequence implements kv.Bucket with nextval of the bucket's
// PostgreSQL sequence (see the package comment): concurrent transactions
// that take numbers of one bucket never wait for each other nor conflict,
// and a number once taken is never given again, even when the
// transaction that took it rolls back.
func (b *bucket) NextSequence() (uint64, error) {
	if err := b.writable(); err != nil {
		return 0, err
	}
	b.t.db.count.sequenceCalls.Add(1)
	b.t.db.count.sequenceReads.Add(1)
	b.t.db.count.roundTrips.Add(1)
	var n int64
	if err := b.t.q.QueryRow(b.t.ctx, `SELECT nextval($1::regclass)`, seqName(b.id)).Scan(&n); err != nil {
		return 0, b.t.fail(causeSequence, "next sequence of "+b.name, err)
	}
	return uint64(n), nil
}

// SetSequence implements kv.Bucket with setval, at once: like nextval it
// is not undone by a rollback, except that a sequence made in the same
// transaction (the bucket's, by CreateBucket) goes with it, and so does
// the value set, which is all a copy between engines needs.
func (b *bucket) SetSequence(n uint64) error {
	if err := b.writable(); err != nil {
		return err
	}
	if n > math.MaxInt64 {
		return fmt.Errorf("pgkv: set sequence of %s: %d does not fit a bigint", b.name, n)
	}
	b.t.db.count.sequenceCalls.Add(1)
	b.t.db.count.roundTrips.Add(1)
	// is_called true: n counts as given out, and nextval answers n+1.
	if _, err := b.t.q.Exec(b.t.ctx, `SELECT setval($1::regclass, $2, true)`, seqName(b.id), int64(n)); err != nil {
		return b.t.fail(causeSequence, "set sequence of "+b.name, err)
	}
	return nil
}

// Sequence implements kv.Bucket: the last number given out, by any
// transaction, committed or not. A sequence is outside PostgreSQL's
// snapshots, so in a transaction that began before another took a number
// it is that number already: never less than an id the transaction can
// see, which is what the store needs of it (an upper bound of its ids).
func (b *bucket) Sequence() uint64 {
	if b.usable() != nil {
		return 0
	}
	b.t.db.count.sequenceCalls.Add(1)
	b.t.db.count.sequenceReads.Add(1)
	b.t.db.count.roundTrips.Add(1)
	var n int64
	// A sequence nobody took from yet has last_value at its start, 1,
	// and is_called false: nothing was given out.
	err := b.t.q.QueryRow(b.t.ctx, `SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM `+
		pgx.Identifier{seqName(b.id)}.Sanitize()).Scan(&n)
	if err != nil {
		b.t.fail(causeSequence, "sequence of "+b.name, err)
		return 0
	}
	return uint64(n)
}

// seqName is the name of the PostgreSQL sequence of the bucket numbered
// id.
func seqName(id int64) string { return fmt.Sprintf("soudan_kv_seq_%d", id) }

// createSequence is the statement that makes the sequence of the bucket
// numbered id: from 1, and down to 0 so that SetSequence(0) can say that
// nothing was given out.
func createSequence(id int64) string {
	return `CREATE SEQUENCE IF NOT EXISTS ` + pgx.Identifier{seqName(id)}.Sanitize() + ` AS bigint MINVALUE 0 START WITH 1`
}

func (b *bucket) KeyN() int {
	if b.usable() != nil {
		return 0
	}
	// The count must see the buffered writes: they go first.
	rows, done, err := b.t.query(`SELECT count(*) FROM soudan_kv WHERE bucket = $1`, b.id)
	if err != nil {
		b.t.fail(causeRead, "count "+b.name, err)
		return 0
	}
	n, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[int])
	if err := errors.Join(err, done()); err != nil {
		b.t.fail(causeRead, "count "+b.name, err)
		return 0
	}
	return n
}

func (b *bucket) Cursor() kv.Cursor { return &cursor{b: b} }

func (b *bucket) ForEach(fn func(k, v []byte) error) error {
	if err := b.usable(); err != nil {
		return err
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	// A walk cut short by a failed read must not look like a whole one.
	return b.t.broken()
}
