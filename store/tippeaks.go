package store

import (
	"encoding/binary"
	"math/bits"
	"time"

	"go.etcd.io/bbolt"
)

// Term peaks, kept beside the tip index's postings: for each term the
// (frequency, length) pairs of its postings that no other posting beats
// in both (a higher or equal frequency in a shorter or equal tip). BM25
// grows with the frequency and falls with the length, so the best peak is
// the most the term can score in any tip: the ceiling that lets a search
// set the term aside (rankprune.go) without reading its postings. A
// posting added raises the peaks (most are beaten and change nothing);
// one removed leaves them (a ceiling may stay above the postings, never
// below). A rebuild of the index recomputes them.

// bktTipTermPeaks holds each term's peaks: term -> uvarint pairs of
// weighted frequency and length (schema version 18 on merge).
const bktTipTermPeaks = "tips.term_peaks"

// maxPeaks bounds a term's peaks: past it they give way to one pair of the
// highest frequency and least length seen, which beats them all (still a
// ceiling, a little looser).
const maxPeaks = 16

// rebuildTipTermPeaks is the migration that rebuilds the tip index with
// its term peaks.
func rebuildTipTermPeaks(btx *bbolt.Tx) error {
	return reindexTips(&Tx{tx: btx, now: time.Now()})
}

// termPeaks returns term's peaks; ok is false when the index keeps none
// for it (a file before migration 18).
func (tx *Tx) termPeaks(term string) (peaks []post, ok bool) {
	b := tx.bucket(bktTipTermPeaks)
	if b == nil {
		return nil, false
	}
	return decodePeaks(b.Get([]byte(term)))
}

func decodePeaks(v []byte) ([]post, bool) {
	var ps []post
	for len(v) > 0 {
		tf, n1 := binary.Uvarint(v)
		if n1 <= 0 {
			return nil, false
		}
		dl, n2 := binary.Uvarint(v[n1:])
		if n2 <= 0 {
			return nil, false
		}
		ps = append(ps, post{tf: uint32(tf), dl: uint32(dl)})
		v = v[n1+n2:]
	}
	return ps, len(ps) > 0
}

// raisePeaks adds posting p of term to its peaks, unless one beats it.
func (tx *Tx) raisePeaks(term string, p post) error {
	b := tx.bucket(bktTipTermPeaks)
	if b == nil || p.tf == 0 {
		return nil
	}
	ps, _ := decodePeaks(b.Get([]byte(term)))
	var keep []post
	for _, q := range ps {
		if q.tf >= p.tf && q.dl <= p.dl {
			return nil // beaten: nothing changes
		}
		if !(p.tf >= q.tf && p.dl <= q.dl) {
			keep = append(keep, q)
		}
	}
	keep = append(keep, post{tf: p.tf, dl: p.dl})
	if len(keep) > maxPeaks {
		top := post{dl: ^uint32(0)}
		for _, q := range keep {
			top.tf, top.dl = max(top.tf, q.tf), min(top.dl, q.dl)
		}
		keep = []post{top}
	}
	var v []byte
	for _, q := range keep {
		v = binary.AppendUvarint(v, uint64(q.tf))
		v = binary.AppendUvarint(v, uint64(q.dl))
	}
	return b.Put([]byte(term), v)
}

// termCount counts the tips that have term: three uvarints a posting,
// each ending in a byte below 0x80, counted without decoding them.
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
