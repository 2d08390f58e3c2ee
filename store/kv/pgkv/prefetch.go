package pgkv

import (
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/soudan/soudan/store/kv"
)

var _ kv.Prefetcher = (*tx)(nil)

// Prefetch implements kv.Prefetcher: the keys of sets that the
// transaction has neither read nor written are read in one pipelined
// batch and kept as a Get would keep them (a missing key as missing). A
// key written here is never asked for, so the buffered writes need not go
// first.
//
// Each key is a statement of its own, the same as Get's, so that the
// SERIALIZABLE predicate locks are the ones a Get takes: a lookup of one
// key on the unique index locks that key's row, where one statement with
// an array of keys may be planned as a scan whose locks cover whole index
// pages of the one table, and make transactions that touch nearby keys
// fail each other. (The array form's run logged more read/write
// dependency failures, 17,395 against 12,648, but another change came
// between the two runs.) Pipelined, the statements still cost one round
// trip.
func (t *tx) Prefetch(sets ...kv.KeySet) {
	if t.broken() != nil {
		return
	}
	type ask struct {
		b   *bucket
		key []byte
	}
	var asks []ask
	batch := &pgx.Batch{}
	for _, s := range sets {
		b, err := t.lookup(s.Bucket)
		if err != nil || b == nil || b.gone {
			continue
		}
		dup := map[string]bool{}
		for _, k := range s.Keys {
			if _, ok := b.seen[string(k)]; ok || dup[string(k)] || len(k) == 0 {
				continue
			}
			dup[string(k)] = true
			batch.Queue(`SELECT value FROM soudan_kv WHERE bucket = $1 AND key = $2`, b.id, k)
			asks = append(asks, ask{b, k})
		}
	}
	if len(asks) < 2 {
		return // a Get costs the same
	}
	t.trim()
	t.db.count.roundTrips.Add(1)
	t.db.count.prefetches.Add(1)
	t.db.count.prefetchedKeys.Add(uint64(len(asks)))
	br := t.q.SendBatch(t.ctx, batch)
	for _, a := range asks {
		var v []byte
		err := br.QueryRow().Scan(&v)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			a.b.remember(a.key, nil, false)
		case err != nil:
			br.Close()
			t.fail(causeRead, "prefetch from "+a.b.name, err)
			return
		default:
			if v == nil {
				v = []byte{} // an empty value is not a missing one
			}
			a.b.remember(a.key, v, true)
		}
	}
	if err := br.Close(); err != nil {
		t.fail(causeRead, "prefetch", err)
	}
}
