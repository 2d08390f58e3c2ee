package store

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// Term statistics, kept beside the tip index's postings: how many tips
// have each term, and its peaks, the (frequency, length) pairs of its
// postings that no other posting beats in both (a higher or equal
// frequency in a shorter or equal tip). BM25 grows with the frequency and
// falls with the length, so the best peak is the most the term can score
// in any tip: the ceiling that lets a search set the term aside
// (rankprune.go) without reading its postings, and the count gives its
// idf without reading them either. A posting added raises the peaks; one
// removed leaves them (a ceiling may stay above the postings, never
// below). A rebuild of the index recomputes them.

// bktTipTermStats holds each term's statistics: term -> uvarint count,
// then uvarint pairs of weighted frequency and length (schema version 18
// on merge).
const bktTipTermStats = "tips.term_stats"

// maxPeaks bounds a term's peaks: past it they give way to one pair of the
// highest frequency and least length seen, which beats them all (still a
// ceiling, a little looser).
const maxPeaks = 16

// rebuildTipTermStats is the migration that rebuilds the tip index with
// its term statistics.
func rebuildTipTermStats(btx kv.Tx) error {
	return reindexTips(&Tx{tx: btx, now: time.Now()})
}

// termStats returns how many tips have term and its peaks; ok is false
// when the index keeps none for it (a file before migration 18).
func (tx *Tx) termStats(term string) (df int, peaks []post, ok bool) {
	if st, ok := tx.stats[term]; ok {
		return st.df, st.peaks, st.df > 0
	}
	b := tx.bucket(bktTipTermStats)
	if b == nil {
		return 0, nil, false
	}
	return decodeTermStats(b.Get([]byte(term)))
}

func decodeTermStats(v []byte) (int, []post, bool) {
	df, n := binary.Uvarint(v)
	if n <= 0 {
		return 0, nil, false
	}
	var ps []post
	for v = v[n:]; len(v) > 0; {
		tf, n1 := binary.Uvarint(v)
		if n1 <= 0 {
			return 0, nil, false
		}
		dl, n2 := binary.Uvarint(v[n1:])
		if n2 <= 0 {
			return 0, nil, false
		}
		ps = append(ps, post{tf: uint32(tf), dl: uint32(dl)})
		v = v[n1+n2:]
	}
	return int(df), ps, true
}

// updateTermStats counts a posting of term added (delta 1), replaced (0)
// or removed (-1), and raises the peaks by p when p.tf > 0. The change is
// kept in the transaction, and written by flushTermStats, so that a
// transaction indexing many tips writes each term once.
func (tx *Tx) updateTermStats(term string, p post, delta int) error {
	if tx.bucket(bktTipTermStats) == nil {
		return nil
	}
	df, ps, _ := tx.termStats(term)
	df = max(df+delta, 0)
	if p.tf > 0 {
		beaten := false
		var keep []post
		for _, q := range ps {
			if q.tf >= p.tf && q.dl <= p.dl {
				beaten = true
				break
			}
			if !(p.tf >= q.tf && p.dl <= q.dl) {
				keep = append(keep, q)
			}
		}
		if beaten && delta == 0 {
			return nil // nothing changes
		}
		if !beaten {
			ps = append(keep, post{tf: p.tf, dl: p.dl})
		}
	}
	if len(ps) > maxPeaks {
		top := post{dl: ^uint32(0)}
		for _, q := range ps {
			top.tf, top.dl = max(top.tf, q.tf), min(top.dl, q.dl)
		}
		ps = []post{top}
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
			v := binary.AppendUvarint(make([]byte, 0, 4+4*len(st.peaks)), uint64(st.df))
			for _, q := range st.peaks {
				v = binary.AppendUvarint(v, uint64(q.tf))
				v = binary.AppendUvarint(v, uint64(q.dl))
			}
			err = b.Put([]byte(term), v)
		}
		if err != nil {
			return fmt.Errorf("term statistics: %w", err)
		}
	}
	tx.stats = nil
	return nil
}

// termCount counts the tips that have term from its postings (three
// uvarints a posting, each ending in a byte below 0x80), without decoding
// them: for a file without term statistics.
func (tx *Tx) termCount(term string) int {
	size := 0
	tx.termBlocks(term, func(_ uint64, v []byte) { size += varintEnds(v) })
	return size / 3
}

// varintEnds counts the bytes of b below 0x80 (the last bytes of
// uvarints), eight at a time.
func varintEnds(b []byte) int {
	n := 0
	for len(b) >= 8 {
		n += bits.OnesCount64(^binary.LittleEndian.Uint64(b) & 0x8080808080808080)
		b = b[8:]
	}
	for _, c := range b {
		if c < 0x80 {
			n++
		}
	}
	return n
}
