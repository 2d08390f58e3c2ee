package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/soudan/soudan/store/search"
)

// The tip search index (tips.terms) keeps each term's postings in blocks
// of tip ids, in search's codec (search.BlockKey, search.EncodeBlock): a
// common term is a few hundred keys at 100,000 tips instead of tens of
// thousands, a search reads each posting's length with it, and a change
// of a tip rewrites one block of each of its terms.

// tipTerms returns the weighted frequencies of t's search terms, with
// the words it learned (see tiplearn.go), and its weighted length. The
// weights are in units of 1/tipTermScale: a title or tag term counts
// tipTitleWeight*tipTermScale, a body term tipTermScale, a learned word's
// term tipLearnedWeight. Learned words do not count in the length, so
// that learning leaves the tip's other scores as they were.
func tipTerms(t Tip, learned []LearnedWord) (map[string]uint64, uint64) {
	fields := make([]search.Field, 0, 2+len(t.Tags)+len(learned))
	fields = append(fields, search.Field{Text: t.Title, Weight: tipTitleWeight * tipTermScale, Counted: true})
	for _, g := range t.Tags {
		fields = append(fields, search.Field{Text: g, Weight: tipTitleWeight * tipTermScale, Counted: true})
	}
	fields = append(fields, search.Field{Text: t.Body, Weight: tipTermScale, Counted: true})
	for _, l := range learned {
		fields = append(fields, search.Field{Text: l.Word, Weight: tipLearnedWeight})
	}
	return search.Terms(fields)
}

// putPosting sets (p.TF > 0) or removes (p.TF == 0) the posting of term
// for tip p.ID. A newest tip (newest: its id above every id indexed) is
// appended to its block without decoding it.
func (tx *Tx) putPosting(term string, p search.Posting, newest bool) error {
	bk := tx.bucket(bktTipTerms)
	key := search.BlockKey(term, p.ID)
	if newest && p.TF > 0 {
		old := bk.Get(key)
		v := make([]byte, len(old), len(old)+12)
		copy(v, old)
		if err := tx.updateTermStats(term, p, 1); err != nil {
			return err
		}
		return bk.Put(key, append(v, search.EncodeBlock([]search.Posting{p})...))
	}
	blk := p.ID >> search.BlockBits
	var ps []search.Posting
	had := false
	for _, q := range search.DecodeBlock(nil, blk, bk.Get(key)) {
		if q.ID != p.ID {
			ps = append(ps, q)
		} else {
			had = true
		}
	}
	delta := 0
	switch {
	case p.TF > 0 && !had:
		delta = 1
	case p.TF == 0 && had:
		delta = -1
	}
	if err := tx.updateTermStats(term, p, delta); err != nil {
		return err
	}
	if p.TF > 0 {
		i := 0
		for i < len(ps) && ps[i].ID < p.ID {
			i++
		}
		ps = append(ps[:i], append([]search.Posting{p}, ps[i:]...)...)
	}
	if len(ps) == 0 {
		return bk.Delete(key)
	}
	return bk.Put(key, search.EncodeBlock(ps))
}

// indexTip adds t's search terms; newest says t.ID is above every tip id
// indexed (a new tip, or a rebuild in id order).
func (tx *Tx) indexTip(t Tip, newest bool) error {
	tf, n := tipTerms(t, tx.tipLearned(t.ID))
	for term, f := range tf {
		if err := tx.putPosting(term, search.Posting{ID: t.ID, TF: uint32(f), DL: uint32(n)}, newest); err != nil {
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
		if err := tx.putPosting(term, search.Posting{ID: t.ID}, false); err != nil {
			return fmt.Errorf("unindex tip: %w", err)
		}
	}
	if err := tx.bucket(bktTipDocs).Delete(itob(t.ID)); err != nil {
		return fmt.Errorf("unindex tip: %w", err)
	}
	return tx.addTipStats(-1, -int64(n))
}

// appendPostings appends the postings of term to dst, in id order. The
// blocks are found and their postings counted first (search.BlockLen),
// and dst grown once for them, so that a
// common term's tens of thousands of postings are not copied again and
// again as it grows.
func (tx *Tx) appendPostings(dst []search.Posting, term string) []search.Posting {
	type block struct {
		n uint64
		v []byte // valid for the transaction
	}
	var blocks []block
	size := 0
	tx.termBlocks(term, func(n uint64, v []byte) {
		blocks = append(blocks, block{n, v})
		size += search.BlockLen(v)
	})
	dst = slices.Grow(dst, size)
	for _, b := range blocks {
		dst = search.DecodeBlock(dst, b.n, b.v)
	}
	return dst
}

// termBlocks calls fn with each block of term's postings, in order.
func (tx *Tx) termBlocks(term string, fn func(n uint64, v []byte)) {
	prefix := search.BlockPrefix(term)
	c := tx.bucket(bktTipTerms).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if n, ok := search.BlockNumber(prefix, k); ok {
			fn(n, v)
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
