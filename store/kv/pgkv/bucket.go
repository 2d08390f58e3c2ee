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
	// seq is the bucket's sequence when seqKnown; seqDirty when this
	// transaction changed it and has not sent it yet; seqTaken once its
	// first NextSequence took the sequence's row (see NextSequence).
	seq                          int64
	seqKnown, seqDirty, seqTaken bool
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

// loadSequence reads the bucket's sequence once per transaction.
func (b *bucket) loadSequence() error {
	if b.seqKnown {
		return nil
	}
	b.t.db.count.sequenceReads.Add(1)
	b.t.db.count.roundTrips.Add(1)
	var n int64
	err := b.t.q.QueryRow(b.t.ctx, `SELECT seq FROM soudan_kv_sequences WHERE bucket = $1`, b.id).Scan(&n)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return b.t.fail(causeSequence, "sequence of "+b.name, err)
	}
	b.seq, b.seqKnown = n, true
	return nil
}

// NextSequence implements kv.Bucket. The first call of a transaction
// increments the sequence's row on the server and so takes its lock, as
// every NextSequence did before the buffer: a concurrent transaction that
// wants a number of the same bucket waits there, early, and then fails
// and runs again, instead of doing all its work first and failing at
// COMMIT. The calls that follow count on from it in memory, and the last
// number is written at the next flush.
func (b *bucket) NextSequence() (uint64, error) {
	if err := b.writable(); err != nil {
		return 0, err
	}
	b.t.db.count.sequenceCalls.Add(1)
	if !b.seqTaken && !b.seqDirty {
		b.t.db.count.sequenceReads.Add(1)
		b.t.db.count.roundTrips.Add(1)
		var n int64
		err := b.t.q.QueryRow(b.t.ctx, `INSERT INTO soudan_kv_sequences (bucket, seq) VALUES ($1, 1)
ON CONFLICT (bucket) DO UPDATE SET seq = soudan_kv_sequences.seq + 1 RETURNING seq`, b.id).Scan(&n)
		if err != nil {
			return 0, b.t.fail(causeSequence, "next sequence of "+b.name, err)
		}
		b.seq, b.seqKnown, b.seqTaken = n, true, true
		return uint64(n), nil
	}
	// Taken before, or set by SetSequence and not sent yet: count on.
	if b.seq == math.MaxInt64 {
		return 0, fmt.Errorf("pgkv: next sequence of %s: past a bigint", b.name)
	}
	b.seq++
	b.markSeqDirty()
	return uint64(b.seq), nil
}

func (b *bucket) SetSequence(n uint64) error {
	if err := b.writable(); err != nil {
		return err
	}
	if n > math.MaxInt64 {
		return fmt.Errorf("pgkv: set sequence of %s: %d does not fit a bigint", b.name, n)
	}
	b.t.db.count.sequenceCalls.Add(1)
	b.seq, b.seqKnown = int64(n), true
	b.markSeqDirty()
	return nil
}

func (b *bucket) Sequence() uint64 {
	if b.usable() != nil {
		return 0
	}
	b.t.db.count.sequenceCalls.Add(1)
	if b.loadSequence() != nil {
		return 0
	}
	return uint64(b.seq)
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
