package pgkv

import "sync/atomic"

// Stats counts what a DB asked of the server and what the seam asked of
// the DB, since Open. The difference is what the transaction's cache and
// write buffer saved: before them every Get, Put, Delete, sequence call
// and cursor page was a round trip of its own, so RoundTrips was about
// Begins + Gets + Puts + Deletes + SequenceCalls + CursorPages + Commits.
type Stats struct {
	// ReadTxs and WriteTxs count transaction attempts (a retried
	// transaction counts once per attempt); Retries counts the attempts
	// that ended in a serialization failure or a deadlock and ran again.
	ReadTxs, WriteTxs, Retries uint64
	// RetriesBy splits Retries by the kind of statement that met the
	// failure: what tells a conflict on a sequence from one on a key.
	RetriesBy RetryCauses
	// RoundTrips counts every exchange with the server: one statement,
	// or one pipelined batch of statements answered together.
	RoundTrips uint64
	// Gets counts Get calls; GetsFetched the ones that went to the
	// server, the rest answered from what the transaction had read or
	// written already (a key missing from the database included).
	Gets, GetsFetched uint64
	// Puts and Deletes count the calls; Flushes the batches that sent
	// buffered writes to the server, and FlushedRows the keys and
	// sequences they carried.
	Puts, Deletes, Flushes, FlushedRows uint64
	// SequenceCalls counts NextSequence, Sequence and SetSequence;
	// SequenceReads the round trips of NextSequence and Sequence (each
	// call one: a PostgreSQL sequence is outside the transaction, so
	// there is nothing of it to keep or buffer).
	SequenceCalls, SequenceReads uint64
	// CursorPages counts the pages cursors read (each one round trip,
	// shared with a flush when the bucket had buffered writes).
	CursorPages uint64
	// Prefetches counts the round trips of kv.Prefetch, and
	// PrefetchedKeys the keys they asked for.
	Prefetches, PrefetchedKeys uint64
}

// RetryCauses counts retried attempts by the kind of statement whose
// serialization failure or deadlock ended them.
type RetryCauses struct {
	// Begin: BEGIN and the read of the bucket catalog.
	Begin uint64
	// Read: a Get, a cursor page, a count, a prefetch or the list of
	// buckets: a read that completed a dangerous structure of
	// read/write dependencies.
	Read uint64
	// Sequence: a statement of NextSequence or Sequence.
	Sequence uint64
	// Write: buffered Puts and Deletes sent with a range read or with
	// the COMMIT (a key another transaction changed since the snapshot).
	Write uint64
	// Commit: COMMIT itself, where PostgreSQL's serializable checks end
	// a transaction whose reads another one's writes made stale.
	Commit uint64
	// Bucket: creating or deleting a bucket.
	Bucket uint64
}

// cause names a field of RetryCauses.
type cause int

const (
	causeOther cause = iota // not a failure to retry
	causeBegin
	causeRead
	causeSequence
	causeWrite
	causeCommit
	causeBucket
	numCauses
)

func (c RetryCauses) sub(e RetryCauses) RetryCauses {
	return RetryCauses{
		Begin: c.Begin - e.Begin, Read: c.Read - e.Read, Sequence: c.Sequence - e.Sequence,
		Write: c.Write - e.Write, Commit: c.Commit - e.Commit, Bucket: c.Bucket - e.Bucket,
	}
}

// counters are a DB's Stats as they grow, updated by concurrent
// transactions.
type counters struct {
	readTxs, writeTxs, retries                atomic.Uint64
	retriesBy                                 [numCauses]atomic.Uint64
	roundTrips                                atomic.Uint64
	gets, getsFetched                         atomic.Uint64
	puts, deletes, flushes, flushedRows       atomic.Uint64
	sequenceCalls, sequenceReads, cursorPages atomic.Uint64
	prefetches, prefetchedKeys                atomic.Uint64
}

// Stats returns the counts since Open.
func (d *DB) Stats() Stats {
	c := &d.count
	return Stats{
		ReadTxs: c.readTxs.Load(), WriteTxs: c.writeTxs.Load(), Retries: c.retries.Load(),
		RetriesBy: RetryCauses{
			Begin: c.retriesBy[causeBegin].Load(), Read: c.retriesBy[causeRead].Load(),
			Sequence: c.retriesBy[causeSequence].Load(), Write: c.retriesBy[causeWrite].Load(),
			Commit: c.retriesBy[causeCommit].Load(), Bucket: c.retriesBy[causeBucket].Load(),
		},
		RoundTrips: c.roundTrips.Load(),
		Gets:       c.gets.Load(), GetsFetched: c.getsFetched.Load(),
		Puts: c.puts.Load(), Deletes: c.deletes.Load(), Flushes: c.flushes.Load(), FlushedRows: c.flushedRows.Load(),
		SequenceCalls: c.sequenceCalls.Load(), SequenceReads: c.sequenceReads.Load(),
		CursorPages: c.cursorPages.Load(),
		Prefetches:  c.prefetches.Load(), PrefetchedKeys: c.prefetchedKeys.Load(),
	}
}

// Sub returns s minus earlier: the counts between two calls of Stats.
func (s Stats) Sub(earlier Stats) Stats {
	return Stats{
		ReadTxs: s.ReadTxs - earlier.ReadTxs, WriteTxs: s.WriteTxs - earlier.WriteTxs, Retries: s.Retries - earlier.Retries,
		RetriesBy:  s.RetriesBy.sub(earlier.RetriesBy),
		RoundTrips: s.RoundTrips - earlier.RoundTrips,
		Gets:       s.Gets - earlier.Gets, GetsFetched: s.GetsFetched - earlier.GetsFetched,
		Puts: s.Puts - earlier.Puts, Deletes: s.Deletes - earlier.Deletes,
		Flushes: s.Flushes - earlier.Flushes, FlushedRows: s.FlushedRows - earlier.FlushedRows,
		SequenceCalls: s.SequenceCalls - earlier.SequenceCalls, SequenceReads: s.SequenceReads - earlier.SequenceReads,
		CursorPages: s.CursorPages - earlier.CursorPages,
		Prefetches:  s.Prefetches - earlier.Prefetches, PrefetchedKeys: s.PrefetchedKeys - earlier.PrefetchedKeys,
	}
}
