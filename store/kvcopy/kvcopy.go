// Package kvcopy copies a whole database from one engine of the store's
// key-value seam to another (soudan migrate: a bbolt file to PostgreSQL
// and back), and proves the copy with a checksum per bucket.
package kvcopy

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"

	"github.com/soudan/soudan/store/kv"
)

// ErrNotEmpty means the target already holds a bucket: a copy never
// merges into, or overwrites, a database in use.
var ErrNotEmpty = errors.New("the target database is not empty")

// Bucket is what a copy found in one bucket, on both sides.
type Bucket struct {
	Name     string
	Keys     int
	Sequence uint64
	// Sum is the SHA-256 of the bucket's sequence and its keys and
	// values in order, each length-prefixed, so that no two different
	// buckets share one.
	Sum [sha256.Size]byte
}

// Copy copies every bucket of src, with its keys, values and sequence,
// into dst, which must hold no bucket, in one transaction on each side:
// src is read from one snapshot and dst gets all of it or nothing. Then
// it reads dst back in a new transaction and compares each bucket's
// checksum with the source's; it returns the buckets copied.
func Copy(dst, src kv.DB) ([]Bucket, error) {
	var copied []Bucket
	err := src.View(func(stx kv.Tx) error {
		// dst's function may run more than once (a retried transaction):
		// it starts over from the same source snapshot each time.
		return dst.Update(func(dtx kv.Tx) error {
			copied = copied[:0]
			if err := dtx.ForEachBucket(func(name string) error {
				return fmt.Errorf("%w: it has the bucket %q", ErrNotEmpty, name)
			}); err != nil {
				return err
			}
			return stx.ForEachBucket(func(name string) error {
				b, err := copyBucket(dtx, stx.Bucket(name), name)
				if err != nil {
					return fmt.Errorf("copy bucket %s: %w", name, err)
				}
				copied = append(copied, b)
				return nil
			})
		})
	})
	if err != nil {
		return nil, err
	}
	if err := Verify(dst, copied); err != nil {
		return nil, err
	}
	return copied, nil
}

// copyBucket copies one bucket into dtx and returns what it copied.
func copyBucket(dtx kv.Tx, from kv.Bucket, name string) (Bucket, error) {
	to, err := dtx.CreateBucket(name)
	if err != nil {
		return Bucket{}, err
	}
	// The sequence is the last number given out, which on PostgreSQL
	// can be above every key (a rolled-back transaction's numbers are
	// not given again): copied as it is, the target goes on after it
	// and never hands out an id that was handed out before.
	out := Bucket{Name: name, Sequence: from.Sequence()}
	if err := to.SetSequence(out.Sequence); err != nil {
		return Bucket{}, err
	}
	h := newSum(out.Sequence)
	c := from.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		add(h, k, v)
		out.Keys++
		// Values from the source are valid only in its transaction, and
		// dst may keep what Put gets until its own ends: give it copies.
		if err := to.Put(clone(k), clone(v)); err != nil {
			return Bucket{}, err
		}
	}
	copy(out.Sum[:], h.Sum(nil))
	return out, nil
}

// Sums reads every bucket of db and returns what it holds, as Copy
// reports it.
func Sums(db kv.DB) ([]Bucket, error) {
	var out []Bucket
	err := db.View(func(tx kv.Tx) error {
		return tx.ForEachBucket(func(name string) error {
			b := tx.Bucket(name)
			got := Bucket{Name: name, Sequence: b.Sequence()}
			h := newSum(got.Sequence)
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				add(h, k, v)
				got.Keys++
			}
			copy(got.Sum[:], h.Sum(nil))
			out = append(out, got)
			return nil
		})
	})
	return out, err
}

// Verify reads db and checks that it holds exactly the buckets want,
// each with the same keys, values and sequence.
func Verify(db kv.DB, want []Bucket) error {
	got, err := Sums(db)
	if err != nil {
		return fmt.Errorf("read the copy back: %w", err)
	}
	if len(got) != len(want) {
		return fmt.Errorf("the copy has %d buckets, the source %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g != w {
			return fmt.Errorf("bucket %s differs: the copy has %q with %d keys, sequence %d, checksum %x; the source %d keys, sequence %d, checksum %x",
				w.Name, g.Name, g.Keys, g.Sequence, g.Sum[:8], w.Keys, w.Sequence, w.Sum[:8])
		}
	}
	return nil
}

func newSum(seq uint64) hash.Hash {
	h := sha256.New()
	h.Write(binary.BigEndian.AppendUint64(nil, seq))
	return h
}

func add(h hash.Hash, k, v []byte) {
	var n [16]byte
	binary.BigEndian.PutUint64(n[:8], uint64(len(k)))
	binary.BigEndian.PutUint64(n[8:], uint64(len(v)))
	h.Write(n[:])
	h.Write(k)
	h.Write(v)
}

func clone(b []byte) []byte { return append(make([]byte, 0, len(b)), b...) }
