package search

import (
	"encoding/binary"
	"math/bits"
)

// The postings codec. The store keeps each term's postings in blocks of
// document ids: the key is the term, 0x00 and the block number (the id
// shifted right by BlockBits, 4 bytes big-endian); the value is the
// block's postings in id order, each the id's low bits, the term's
// weighted frequency and the document's weighted length, as uvarints. A
// common term is a few hundred keys at 100,000 tips instead of tens of
// thousands, a search reads each posting's length with it, and a change
// of a document rewrites one block of each of its terms.

// BlockBits is how many low bits of a document id a block holds.
const BlockBits = 12

// BlockKey is the key of the block of term that holds document id.
func BlockKey(term string, id uint64) []byte {
	k := make([]byte, 0, len(term)+5)
	k = append(k, term...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint32(k, uint32(id>>BlockBits))
}

// BlockPrefix is the prefix of every block key of term.
func BlockPrefix(term string) []byte { return append([]byte(term), 0) }

// BlockNumber returns the block number of key, a key of a term of prefix
// (BlockPrefix), and false when key is not one (a longer term's).
func BlockNumber(prefix, key []byte) (uint64, bool) {
	if len(key) != len(prefix)+4 {
		return 0, false
	}
	return uint64(binary.BigEndian.Uint32(key[len(prefix):])), true
}

// DecodeBlock appends the postings of block b (of block number blk) to ps.
// A damaged block gives what could be read before the damage.
func DecodeBlock(ps []Posting, blk uint64, b []byte) []Posting {
	for len(b) > 0 {
		lo, n1 := binary.Uvarint(b)
		tf, n2 := binary.Uvarint(b[max(n1, 0):])
		dl, n3 := binary.Uvarint(b[max(n1, 0)+max(n2, 0):])
		if n1 <= 0 || n2 <= 0 || n3 <= 0 {
			return ps
		}
		ps = append(ps, Posting{ID: blk<<BlockBits | lo, TF: uint32(tf), DL: uint32(dl)})
		b = b[n1+n2+n3:]
	}
	return ps
}

// EncodeBlock encodes postings of one block, in id order.
func EncodeBlock(ps []Posting) []byte {
	var b []byte
	for _, p := range ps {
		b = binary.AppendUvarint(b, p.ID&(1<<BlockBits-1))
		b = binary.AppendUvarint(b, uint64(p.TF))
		b = binary.AppendUvarint(b, uint64(p.DL))
	}
	return b
}

// BlockLen returns how many postings block b holds, without decoding
// them: each is three uvarints, each ending in a byte below 0x80.
func BlockLen(b []byte) int { return varintEnds(b) / 3 }

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

// Term statistics: how many documents have a term, and its peaks, the
// (frequency, length) pairs of its postings that no other posting beats
// in both (a higher or equal frequency in a shorter or equal document).
// BM25 grows with the frequency and falls with the length, so the best
// peak is the most the term can score in any document: the ceiling that
// lets Rank set the term aside without reading its postings, and the
// count gives its idf without reading them either. A posting added raises
// the peaks; one removed leaves them (a ceiling may stay above the
// postings, never below).

// MaxPeaks bounds a term's peaks: past it they give way to one pair of the
// highest frequency and least length seen, which beats them all (still a
// ceiling, a little looser).
const MaxPeaks = 16

// EncodeTermStats encodes a term's count and peaks: uvarint count, then
// uvarint pairs of weighted frequency and length.
func EncodeTermStats(df int, peaks []Posting) []byte {
	v := binary.AppendUvarint(make([]byte, 0, 4+4*len(peaks)), uint64(df))
	for _, q := range peaks {
		v = binary.AppendUvarint(v, uint64(q.TF))
		v = binary.AppendUvarint(v, uint64(q.DL))
	}
	return v
}

// DecodeTermStats decodes what EncodeTermStats wrote; ok is false when v
// is empty or damaged.
func DecodeTermStats(v []byte) (df int, peaks []Posting, ok bool) {
	n0, n := binary.Uvarint(v)
	if n <= 0 {
		return 0, nil, false
	}
	for v = v[n:]; len(v) > 0; {
		tf, n1 := binary.Uvarint(v)
		if n1 <= 0 {
			return 0, nil, false
		}
		dl, n2 := binary.Uvarint(v[n1:])
		if n2 <= 0 {
			return 0, nil, false
		}
		peaks = append(peaks, Posting{TF: uint32(tf), DL: uint32(dl)})
		v = v[n1+n2:]
	}
	return int(n0), peaks, true
}

// RaisePeaks returns the peaks of a term after a posting p of it was
// added or changed: p replaces the peaks it beats, unless one of them
// beats it (beaten: the peaks stay as they were), and more than MaxPeaks
// give way to one pair that beats them all.
func RaisePeaks(peaks []Posting, p Posting) (out []Posting, beaten bool) {
	var keep []Posting
	for _, q := range peaks {
		if q.TF >= p.TF && q.DL <= p.DL {
			beaten = true
			break
		}
		if !(p.TF >= q.TF && p.DL <= q.DL) {
			keep = append(keep, q)
		}
	}
	out = peaks
	if !beaten {
		out = append(keep, Posting{TF: p.TF, DL: p.DL})
	}
	if len(out) > MaxPeaks {
		top := Posting{DL: ^uint32(0)}
		for _, q := range out {
			top.TF, top.DL = max(top.TF, q.TF), min(top.DL, q.DL)
		}
		out = []Posting{top}
	}
	return out, beaten
}
