package pgkv

import (
	"github.com/jackc/pgx/v5"

	"github.com/soudan/soudan/store/kv"
)

var _ kv.Prefetcher = (*tx)(nil)

// Prefetch implements kv.Prefetcher: the keys of sets that the
// transaction has neither read nor written are read in one pipelined
// batch, one statement per bucket on the primary key's index, and kept as
// a Get would keep them (a missing key as missing). A key written here is
// never asked for, so the buffered writes need not go first.
func (t *tx) Prefetch(sets ...kv.KeySet) {
	if t.broken() != nil {
		return
	}
	batch := &pgx.Batch{}
	var asked []*bucket
	var keys [][][]byte
	for _, s := range sets {
		b, err := t.lookup(s.Bucket)
		if err != nil || b == nil || b.gone {
			continue
		}
		var want [][]byte
		dup := map[string]bool{}
		for _, k := range s.Keys {
			if _, ok := b.seen[string(k)]; ok || dup[string(k)] || len(k) == 0 {
				continue
			}
			dup[string(k)] = true
			want = append(want, k)
		}
		if len(want) == 0 {
			continue
		}
		batch.Queue(`SELECT key, value FROM soudan_kv WHERE bucket = $1 AND key = ANY($2::bytea[])`, b.id, want)
		asked, keys = append(asked, b), append(keys, want)
	}
	if len(asked) == 0 {
		return
	}
	t.trim()
	t.db.count.roundTrips.Add(1)
	t.db.count.prefetches.Add(1)
	br := t.q.SendBatch(t.ctx, batch)
	for i, b := range asked {
		rows, err := br.Query()
		if err != nil {
			br.Close()
			t.fail("prefetch from "+b.name, err)
			return
		}
		found := map[string][]byte{}
		var k, v []byte
		_, err = pgx.ForEachRow(rows, []any{&k, &v}, func() error {
			if v == nil {
				v = []byte{}
			}
			found[string(k)] = v
			// Scan gives each row new slices; v must not be the next
			// row's.
			k, v = nil, nil
			return nil
		})
		if err != nil {
			br.Close()
			t.fail("prefetch from "+b.name, err)
			return
		}
		for _, key := range keys[i] {
			v, ok := found[string(key)]
			b.remember(key, v, ok)
		}
		t.db.count.prefetchedKeys.Add(uint64(len(keys[i])))
	}
	if err := br.Close(); err != nil {
		t.fail("prefetch", err)
	}
}
