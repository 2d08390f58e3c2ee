package pgkv

import (
	"github.com/jackc/pgx/v5"
)

// A transaction keeps what it learns and what it writes, so that the
// server is asked as little as the seam's contract allows:
//
//   - every Get's answer, a missing key included, is kept for the rest of
//     the transaction (bucket.seen), and so is every Put and Delete: a key
//     read twice, or read after it was written, costs no round trip;
//   - Puts and Deletes are buffered (bucket.dirty) and sent together, in
//     one pipelined batch, with the statement that first needs the server
//     to see them (a cursor's page, a count) or with COMMIT;
//   - sequences are not buffered: they are PostgreSQL sequences, outside
//     the transaction (see NextSequence), each call one round trip;
//   - kv.Prefetch reads many keys in one batch (prefetch.go).
//
// None of it outlives the transaction: SERIALIZABLE's guarantee rests on
// every read being made inside the transaction that acts on it, and a
// retried function runs on a new tx with nothing kept.
//
// A Get needs no flush: the buffered writes are all in seen, so a key the
// server is asked about was never written here. A range read (a cursor's
// page, KeyN) does, since any buffered key may fall in its range.

// Bounds of what a transaction keeps in memory. A migration that copies
// a whole database in one transaction writes millions of keys: past
// maxPending buffered writes they are sent on their own, and past
// maxSeen kept keys the cache starts again empty (whatever was written
// is on the server by then, so a later Get reads it back).
const (
	maxPending = 2000
	maxSeen    = 20000
	// putChunk is how many rows one INSERT ... unnest carries.
	putChunk = 1000
)

// entry is what the transaction knows of one key: its value, or that
// there is none (ok false).
type entry struct {
	v  []byte
	ok bool
}

// remember keeps what a read found or a write set. The map's key is a
// copy of key; v is kept as it is (the seam forbids changing a value
// passed to Put, or returned by Get, until the transaction ends).
func (b *bucket) remember(key []byte, v []byte, ok bool) {
	if b.seen == nil {
		b.seen = map[string]entry{}
	}
	if _, had := b.seen[string(key)]; !had {
		b.t.seenN++
	}
	b.seen[string(key)] = entry{v: v, ok: ok}
}

// trim empties the cache of a transaction that read more than maxSeen
// keys and has no buffered write: a long read-only walk by Gets must not
// hold the whole database in memory.
func (t *tx) trim() {
	if t.seenN <= maxSeen || t.pending > 0 {
		return
	}
	for _, b := range t.buckets {
		b.seen = nil
	}
	t.seenN = 0
}

// write records a Put (ok) or a Delete of key for the next flush, and
// flushes when the buffer is full.
func (b *bucket) write(key, value []byte, ok bool) error {
	b.gen++
	b.remember(key, value, ok)
	if b.dirty == nil {
		b.dirty = map[string]struct{}{}
	}
	if _, had := b.dirty[string(key)]; !had {
		b.dirty[string(key)] = struct{}{}
		b.t.pending++
		if len(b.dirty) == 1 {
			b.t.dirty = append(b.t.dirty, b)
		}
	}
	if b.t.pending >= maxPending {
		if err := b.t.flush(); err != nil {
			return err
		}
	}
	return nil
}

// queueFlush queues the statements that send every buffered write into
// batch and returns how many it queued. The buffer is cleared by
// flushed, once the server has taken them.
func (t *tx) queueFlush(batch *pgx.Batch) int {
	if t.pending == 0 {
		return 0
	}
	n := 0
	var (
		putB []int64
		putK [][]byte
		putV [][]byte
	)
	sendPuts := func() {
		if len(putB) == 0 {
			return
		}
		batch.Queue(`INSERT INTO soudan_kv (bucket, key, value)
SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[])
ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value`, putB, putK, putV)
		n++
		putB, putK, putV = nil, nil, nil
	}
	for _, b := range t.dirty {
		if b.gone {
			continue // its rows went with DeleteBucket
		}
		for k := range b.dirty {
			e := b.seen[k]
			if e.ok {
				putB, putK, putV = append(putB, b.id), append(putK, []byte(k)), append(putV, e.v)
				if len(putB) == putChunk {
					sendPuts()
				}
				continue
			}
			// One statement per key, on the primary key's index, as
			// before the buffer: a join with an array could be planned as
			// a scan, and a scan's predicate lock would make unrelated
			// SERIALIZABLE transactions fail.
			batch.Queue(`DELETE FROM soudan_kv WHERE bucket = $1 AND key = $2`, b.id, []byte(k))
			n++
		}
	}
	sendPuts()
	return n
}

// flushed forgets the buffered writes once the server has them.
func (t *tx) flushed() {
	rows := uint64(t.pending)
	for _, b := range t.dirty {
		b.dirty = nil
	}
	t.dirty, t.pending = nil, 0
	t.db.count.flushes.Add(1)
	t.db.count.flushedRows.Add(rows)
	// Everything written is on the server now: what is forgotten is
	// read again when asked.
	t.trim()
}

// flush sends the buffered writes on their own.
func (t *tx) flush() error {
	if t.pending == 0 {
		return nil
	}
	batch := &pgx.Batch{}
	n := t.queueFlush(batch)
	t.db.count.roundTrips.Add(1)
	br := t.q.SendBatch(t.ctx, batch)
	for range n {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return t.fail(causeWrite, "write", err)
		}
	}
	if err := br.Close(); err != nil {
		return t.fail(causeWrite, "write", err)
	}
	t.flushed()
	return nil
}

// query sends the buffered writes and then sql, in one round trip, and
// returns the rows of sql; done must be called once they are read, and
// returns the batch's error.
func (t *tx) query(sql string, args ...any) (rows pgx.Rows, done func() error, err error) {
	batch := &pgx.Batch{}
	n := t.queueFlush(batch)
	batch.Queue(sql, args...)
	t.db.count.roundTrips.Add(1)
	br := t.q.SendBatch(t.ctx, batch)
	for range n {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return nil, nil, &flushError{err}
		}
	}
	if n > 0 {
		t.flushed()
	}
	rows, err = br.Query()
	if err != nil {
		br.Close()
		return nil, nil, err
	}
	return rows, br.Close, nil
}

// flushError is a failure of the buffered writes sent ahead of a range
// read: counted as a write's (causeWrite), not the read's, since it was
// one of the writes PostgreSQL refused.
type flushError struct{ err error }

func (e *flushError) Error() string { return "write: " + e.err.Error() }
func (e *flushError) Unwrap() error { return e.err }
