package pgkv

import (
	"errors"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"

	"github.com/soudan/soudan/store/kv"
)

// bucket is one bucket inside one transaction; the transaction hands out
// one per name, so that every cursor on it sees its writes (gen).
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
	var v []byte
	err := b.t.q.QueryRow(b.t.ctx, `SELECT value FROM soudan_kv WHERE bucket = $1 AND key = $2`, b.id, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		b.t.fail("get from "+b.name, err)
		return nil
	}
	if v == nil {
		v = []byte{} // an empty value is not a missing one
	}
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
	b.gen++
	_, err := b.t.q.Exec(b.t.ctx, `INSERT INTO soudan_kv (bucket, key, value) VALUES ($1, $2, $3)
ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value`, b.id, key, value)
	if err != nil {
		return b.t.fail("put into "+b.name, err)
	}
	return nil
}

func (b *bucket) Delete(key []byte) error {
	if err := b.writable(); err != nil {
		return err
	}
	b.gen++
	if _, err := b.t.q.Exec(b.t.ctx, `DELETE FROM soudan_kv WHERE bucket = $1 AND key = $2`, b.id, key); err != nil {
		return b.t.fail("delete from "+b.name, err)
	}
	return nil
}

func (b *bucket) NextSequence() (uint64, error) {
	if err := b.writable(); err != nil {
		return 0, err
	}
	var n int64
	err := b.t.q.QueryRow(b.t.ctx, `INSERT INTO soudan_kv_sequences (bucket, seq) VALUES ($1, 1)
ON CONFLICT (bucket) DO UPDATE SET seq = soudan_kv_sequences.seq + 1 RETURNING seq`, b.id).Scan(&n)
	if err != nil {
		return 0, b.t.fail("next sequence of "+b.name, err)
	}
	return uint64(n), nil
}

func (b *bucket) SetSequence(n uint64) error {
	if err := b.writable(); err != nil {
		return err
	}
	if n > math.MaxInt64 {
		return fmt.Errorf("pgkv: set sequence of %s: %d does not fit a bigint", b.name, n)
	}
	_, err := b.t.q.Exec(b.t.ctx, `INSERT INTO soudan_kv_sequences (bucket, seq) VALUES ($1, $2)
ON CONFLICT (bucket) DO UPDATE SET seq = excluded.seq`, b.id, int64(n))
	if err != nil {
		return b.t.fail("set sequence of "+b.name, err)
	}
	return nil
}

func (b *bucket) Sequence() uint64 {
	if b.usable() != nil {
		return 0
	}
	var n int64
	err := b.t.q.QueryRow(b.t.ctx, `SELECT seq FROM soudan_kv_sequences WHERE bucket = $1`, b.id).Scan(&n)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		b.t.fail("sequence of "+b.name, err)
	}
	return uint64(n)
}

func (b *bucket) KeyN() int {
	if b.usable() != nil {
		return 0
	}
	var n int
	if err := b.t.q.QueryRow(b.t.ctx, `SELECT count(*) FROM soudan_kv WHERE bucket = $1`, b.id).Scan(&n); err != nil {
		b.t.fail("count "+b.name, err)
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
