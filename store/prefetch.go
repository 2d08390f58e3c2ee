package store

import "github.com/soudan/soudan/store/kv"

// prefetch tells the engine that the records of ids in the named buckets
// are about to be read, one Get each: an engine whose Gets are round trips
// to a server (PostgreSQL) then reads them all in one, and one that reads
// in place (bbolt) ignores it (kv.Prefetch). It changes no result. The
// domain code stays the same on every engine: it calls this where it knows
// a list of ids it will read one by one.
func (tx *Tx) prefetch(ids []uint64, buckets ...string) {
	if len(ids)*len(buckets) < 2 {
		return // one Get is one round trip either way
	}
	keys := make([][]byte, len(ids))
	for i, id := range ids {
		keys[i] = itob(id)
	}
	sets := make([]kv.KeySet, len(buckets))
	for i, b := range buckets {
		sets[i] = kv.KeySet{Bucket: b, Keys: keys}
	}
	kv.Prefetch(tx.tx, sets...)
}
