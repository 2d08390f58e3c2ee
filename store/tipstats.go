package store

import (
	"fmt"
	"time"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/search"
)

// Term statistics, kept beside the tip index's postings: how many tips
// have each term, and its peaks (search.RaisePeaks), so that a search
// can set a common term aside without reading its postings and know its
// idf without reading them either. A posting added raises the peaks; one
// removed leaves them (a ceiling may stay above the postings, never
// below). A rebuild of the index recomputes them.

// bktTipTermStats holds each term's statistics: term ->
// search.EncodeTermStats (schema version 18 on merge).
const bktTipTermStats = "tips.term_stats"

// rebuildTipTermStats is the migration that rebuilds the tip index with
// its term statistics.
func rebuildTipTermStats(btx kv.Tx) error {
	return reindexTips(&Tx{tx: btx, now: time.Now()})
}

// termStats returns how many tips have term and its peaks; ok is false
// when the index keeps none for it (a file before migration 18).
func (tx *Tx) termStats(term string) (df int, peaks []search.Posting, ok bool) {
	if st, ok := tx.stats[term]; ok {
		return st.df, st.peaks, st.df > 0
	}
	b := tx.bucket(bktTipTermStats)
	if b == nil {
		return 0, nil, false
	}
	return search.DecodeTermStats(b.Get([]byte(term)))
}

// updateTermStats counts a posting of term added (delta 1), replaced (0)
// or removed (-1), and raises the peaks by p when p.TF > 0. The change is
// kept in the transaction, and written by flushTermStats, so that a
// transaction indexing many tips writes each term once.
func (tx *Tx) updateTermStats(term string, p search.Posting, delta int) error {
	if tx.bucket(bktTipTermStats) == nil {
		return nil
	}
	df, ps, _ := tx.termStats(term)
	df = max(df+delta, 0)
	if p.TF > 0 {
		var beaten bool
		if ps, beaten = search.RaisePeaks(ps, p); beaten && delta == 0 {
			return nil // nothing changes
		}
	}
	if tx.stats == nil {
		tx.stats = map[string]termStat{}
	}
	tx.stats[term] = termStat{df: df, peaks: ps}
	return nil
}

// flushTermStats writes the term statistics the transaction changed.
func (tx *Tx) flushTermStats() error {
	if len(tx.stats) == 0 {
		return nil
	}
	b := tx.bucket(bktTipTermStats)
	if b == nil {
		tx.stats = nil
		return nil
	}
	for term, st := range tx.stats {
		var err error
		if st.df == 0 {
			err = b.Delete([]byte(term))
		} else {
			err = b.Put([]byte(term), search.EncodeTermStats(st.df, st.peaks))
		}
		if err != nil {
			return fmt.Errorf("term statistics: %w", err)
		}
	}
	tx.stats = nil
	return nil
}

// termCount counts the tips that have term from its postings, without
// decoding them: for a file without term statistics.
func (tx *Tx) termCount(term string) int {
	n := 0
	tx.termBlocks(term, func(_ uint64, v []byte) { n += search.BlockLen(v) })
	return n
}
