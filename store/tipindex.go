package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/soudan/soudan/store/text"
)

// The tip search index (tips.terms) keeps each term's postings in blocks
// of tip ids: the key is the term, 0x00 and the block number (the tip id
// shifted right by postingBlockBits, 4 bytes big-endian); the value is the
// block's postings in id order, each the id's low bits, the term's
// weighted frequency in the tip and the tip's weighted length, as
// uvarints. A common term is a few hundred keys at 100,000 tips instead of
// tens of thousands, and a search reads each posting's length with it. A
// change of a tip rewrites one block of each of its terms.

const postingBlockBits = 12

// post is one tip's posting of a term.
type post struct {
	id     uint64
	tf, dl uint32
}

// tipTerms returns the weighted frequencies of t's search terms, with
// the words it learned (see tiplearn.go), and its weighted length. The
// weights are in units of 1/tipTermScale: a title or tag term counts
// tipTitleWeight*tipTermScale, a body term tipTermScale, a learned word's
// term tipLearnedWeight. Learned words do not count in the length, so
// that learning leaves the tip's other scores as they were.
func tipTerms(t Tip, learned []LearnedWord) (map[string]uint64, uint64) {
	tf := make(map[string]uint64)
	var n uint64
	add := func(s string, w uint64, long bool) {
		for _, tok := range text.Tokens(s) {
			if !tok.Stop {
				tf[tok.Text] += w
				if long {
					n += w
				}
			}
		}
		for _, st := range text.KanaStems(s) {
			tf[st.Text] += w
		}
	}
	add(t.Title, tipTitleWeight*tipTermScale, true)
	for _, g := range t.Tags {
		add(g, tipTitleWeight*tipTermScale, true)
	}
	add(t.Body, tipTermScale, true)
	for _, l := range learned {
		add(l.Word, tipLearnedWeight, false)
	}
	return tf, n
}

// blockKey is the tips.terms key of the block of term that holds tip id.
func blockKey(term string, id uint64) []byte {
	k := make([]byte, 0, len(term)+5)
	k = append(k, term...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint32(k, uint32(id>>postingBlockBits))
}

// decodeBlock appends the postings of block b (of block number blk) to ps.
func decodeBlock(ps []post, blk uint64, b []byte) []post {
	for len(b) > 0 {
		lo, n1 := binary.Uvarint(b)
		tf, n2 := binary.Uvarint(b[max(n1, 0):])
		dl, n3 := binary.Uvarint(b[max(n1, 0)+max(n2, 0):])
		if n1 <= 0 || n2 <= 0 || n3 <= 0 {
			return ps // a damaged block: keep what was read
		}
		ps = append(ps, post{id: blk<<postingBlockBits | lo, tf: uint32(tf), dl: uint32(dl)})
		b = b[n1+n2+n3:]
	}
	return ps
}

// encodeBlock encodes postings of one block, in id order.
func encodeBlock(ps []post) []byte {
	var b []byte
	for _, p := range ps {
		b = binary.AppendUvarint(b, p.id&(1<<postingBlockBits-1))
		b = binary.AppendUvarint(b, uint64(p.tf))
		b = binary.AppendUvarint(b, uint64(p.dl))
	}
	return b
}

// putPosting sets (p.tf > 0) or removes (p.tf == 0) the posting of term
// for tip p.id. A newest tip (newest: its id above every id indexed) is
// appended to its block without decoding it.
func (tx *Tx) putPosting(term string, p post, newest bool) error {
	bk := tx.bucket(bktTipTerms)
	key := blockKey(term, p.id)
	if newest && p.tf > 0 {
		old := bk.Get(key)
		v := make([]byte, len(old), len(old)+12)
		copy(v, old)
		if err := tx.updateTermStats(term, p, 1); err != nil {
			return err
		}
		return bk.Put(key, append(v, encodeBlock([]post{p})...))
	}
	blk := p.id >> postingBlockBits
	var ps []post
	had := false
	for _, q := range decodeBlock(nil, blk, bk.Get(key)) {
		if q.id != p.id {
			ps = append(ps, q)
		} else {
			had = true
		}
	}
	delta := 0
	switch {
	case p.tf > 0 && !had:
		delta = 1
	case p.tf == 0 && had:
		delta = -1
	}
	if err := tx.updateTermStats(term, p, delta); err != nil {
		return err
	}
	if p.tf > 0 {
		i := 0
		for i < len(ps) && ps[i].id < p.id {
			i++
		}
		ps = append(ps[:i], append([]post{p}, ps[i:]...)...)
	}
	if len(ps) == 0 {
		return bk.Delete(key)
	}
	return bk.Put(key, encodeBlock(ps))
}

// indexTip adds t's search terms; newest says t.ID is above every tip id
// indexed (a new tip, or a rebuild in id order).
func (tx *Tx) indexTip(t Tip, newest bool) error {
	tf, n := tipTerms(t, tx.tipLearned(t.ID))
	for term, f := range tf {
		if err := tx.putPosting(term, post{id: t.ID, tf: uint32(f), dl: uint32(n)}, newest); err != nil {
			return fmt.Errorf("index tip: %w", err)
		}
	}
	if err := tx.bucket(bktTipDocs).Put(itob(t.ID), uvarint(n)); err != nil {
		return fmt.Errorf("index tip: %w", err)
	}
	return tx.addTipStats(1, int64(n))
}

// unindexTip removes the search terms of t as stored.
func (tx *Tx) unindexTip(t Tip) error {
	tf, n := tipTerms(t, tx.tipLearned(t.ID))
	for term := range tf {
		if err := tx.putPosting(term, post{id: t.ID}, false); err != nil {
			return fmt.Errorf("unindex tip: %w", err)
		}
	}
	if err := tx.bucket(bktTipDocs).Delete(itob(t.ID)); err != nil {
		return fmt.Errorf("unindex tip: %w", err)
	}
	return tx.addTipStats(-1, -int64(n))
}

// appendPostings appends the postings of term to dst, in id order. The
// blocks are found and their postings counted first (three uvarints
// each: three bytes below 0x80), and dst grown once for them, so that a
// common term's tens of thousands of postings are not copied again and
// again as it grows.
func (tx *Tx) appendPostings(dst []post, term string) []post {
	type block struct {
		n uint64
		v []byte // valid for the transaction
	}
	var blocks []block
	size := 0
	tx.termBlocks(term, func(n uint64, v []byte) {
		blocks = append(blocks, block{n, v})
		size += varintEnds(v)
	})
	dst = slices.Grow(dst, size/3)
	for _, b := range blocks {
		dst = decodeBlock(dst, b.n, b.v)
	}
	return dst
}

// termBlocks calls fn with each block of term's postings, in order.
func (tx *Tx) termBlocks(term string, fn func(n uint64, v []byte)) {
	prefix := append([]byte(term), 0)
	c := tx.bucket(bktTipTerms).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) == len(prefix)+4 {
			fn(uint64(binary.BigEndian.Uint32(k[len(prefix):])), v)
		}
	}
}

func uvarint(v uint64) []byte { return binary.AppendUvarint(nil, v) }

func readUvarint(b []byte) uint64 {
	v, _ := binary.Uvarint(b)
	return v
}

// addTipStats adds docs and length to the index totals (negative to
// remove).
func (tx *Tx) addTipStats(docs, length int64) error {
	b := tx.bucket(bktTipStats)
	for _, kv := range []struct {
		k string
		d int64
	}{{tipStatDocs, docs}, {tipStatLen, length}} {
		v := int64(readUvarint(b.Get([]byte(kv.k)))) + kv.d
		if v < 0 {
			v = 0
		}
		if err := b.Put([]byte(kv.k), uvarint(uint64(v))); err != nil {
			return err
		}
	}
	return nil
}
