package main

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv/pgkv"
)

// engineCollector exports a PostgreSQL store's engine counters
// (pgkv.Stats) for the store's pool and the inbox's: round trips per
// transaction and per handled event are what bound a replica's
// throughput, and the seam's calls against the round trips show what the
// transaction's cache and write buffer save.
type engineCollector struct {
	pools map[string]*pgkv.DB // "store", "inbox"

	txs, retries, roundTrips, calls, fetched, pages, flushes, prefetches *prometheus.Desc
}

// registerEngine adds the collector to reg when the store runs on
// PostgreSQL; a bbolt file has no round trips to count.
func registerEngine(reg *prometheus.Registry, st *store.Store) {
	db, inbox := store.Engines(st)
	pools := map[string]*pgkv.DB{}
	if p, ok := db.(*pgkv.DB); ok {
		pools["store"] = p
	}
	if p, ok := inbox.(*pgkv.DB); ok && inbox != db {
		pools["inbox"] = p
	}
	if len(pools) == 0 {
		return
	}
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, append([]string{"pool"}, labels...), nil)
	}
	reg.MustRegister(&engineCollector{
		pools:      pools,
		txs:        d("soudan_store_pg_transactions_total", "PostgreSQL transaction attempts, by connection pool (store, inbox) and mode (read, write).", "mode"),
		retries:    d("soudan_store_pg_retries_total", "Transaction attempts that met a serialization failure or a deadlock and ran again, by pool and by the statement that met it (begin, read, sequence, write, commit, bucket).", "cause"),
		roundTrips: d("soudan_store_pg_round_trips_total", "Exchanges with PostgreSQL (a statement, or a pipelined batch), by pool."),
		calls:      d("soudan_store_pg_kv_calls_total", "Calls of the store's key-value seam, by pool and operation (get, put, delete, sequence).", "op"),
		fetched:    d("soudan_store_pg_gets_fetched_total", "Gets that went to PostgreSQL, by pool; the rest were answered by the transaction's own reads and writes."),
		pages:      d("soudan_store_pg_cursor_pages_total", "Cursor pages read, by pool."),
		flushes:    d("soudan_store_pg_flushes_total", "Batches of buffered writes sent, by pool."),
		prefetches: d("soudan_store_pg_prefetches_total", "Round trips that read the keys the store announced it would Get (kv.Prefetch), by pool."),
	})
}

// Describe implements prometheus.Collector.
func (c *engineCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.txs, c.retries, c.roundTrips, c.calls, c.fetched, c.pages, c.flushes, c.prefetches} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *engineCollector) Collect(ch chan<- prometheus.Metric) {
	for pool, db := range c.pools {
		s := db.Stats()
		counter := func(d *prometheus.Desc, v uint64, labels ...string) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), append([]string{pool}, labels...)...)
		}
		counter(c.txs, s.ReadTxs, "read")
		counter(c.txs, s.WriteTxs, "write")
		by := s.RetriesBy
		counter(c.retries, by.Begin, "begin")
		counter(c.retries, by.Read, "read")
		counter(c.retries, by.Sequence, "sequence")
		counter(c.retries, by.Write, "write")
		counter(c.retries, by.Commit, "commit")
		counter(c.retries, by.Bucket, "bucket")
		counter(c.roundTrips, s.RoundTrips)
		counter(c.calls, s.Gets, "get")
		counter(c.calls, s.Puts, "put")
		counter(c.calls, s.Deletes, "delete")
		counter(c.calls, s.SequenceCalls, "sequence")
		counter(c.fetched, s.GetsFetched)
		counter(c.pages, s.CursorPages)
		counter(c.flushes, s.Flushes)
		counter(c.prefetches, s.Prefetches)
	}
}
