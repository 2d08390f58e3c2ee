package store_test

import (
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv/pgkv"
)

// roundTrips reports, on PostgreSQL (SOUDAN_TEST_STORE=postgres), the
// round trips to the server per operation of the benchmark that runs
// between its call and the end of the benchmark, and the seam calls that
// were each a round trip before the engine kept reads and buffered writes
// (one per Get, Put, Delete, sequence call and cursor page, two per
// transaction). On bbolt it reports nothing.
func roundTrips(b *testing.B, s *store.Store) {
	db, _ := store.Engines(s)
	pg, ok := db.(*pgkv.DB)
	if !ok {
		return
	}
	before := pg.Stats()
	b.Cleanup(func() {
		d := pg.Stats().Sub(before)
		n := float64(b.N)
		calls := 2*(d.ReadTxs+d.WriteTxs) + d.Gets + d.Puts + d.Deletes + d.SequenceCalls + d.CursorPages
		b.ReportMetric(float64(d.RoundTrips)/n, "roundtrips/op")
		b.ReportMetric(float64(calls)/n, "seamcalls/op")
	})
}
