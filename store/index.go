package store

import (
	"bytes"
	"slices"
	"strings"
)

// sep separates the parts of an index key.
const sep = "\x00"

// entry is one index entry of a record: the index bucket and the value the
// record is filed under. The record's id completes the key.
type entry struct {
	bucket string
	value  string
}

// joinKey joins the parts of a composite index value, e.g.
// platform, workspace, channel.
func joinKey(parts ...string) string { return strings.Join(parts, sep) }

// indexKey returns "value 0x00 itob(id)".
func indexKey(value string, id uint64) []byte {
	k := make([]byte, 0, len(value)+1+8)
	k = append(k, value...)
	k = append(k, sep...)
	return append(k, itob(id)...)
}

// reindex replaces a record's old index entries with its new ones. Either
// list may be nil, for a new record or a deleted one. An entry in both
// lists is left alone when it is there (only written when it is missing):
// most writes of a record (a message added, a timestamp) keep most of its
// entries, and deleting and writing the same key again dirties the index
// pages for nothing, which the commit then writes out.
func reindex(tx *Tx, id uint64, old, new []entry) error {
	for _, e := range old {
		if slices.Contains(new, e) {
			continue
		}
		if err := tx.bucket(e.bucket).Delete(indexKey(e.value, id)); err != nil {
			return err
		}
	}
	for _, e := range new {
		b, k := tx.bucket(e.bucket), indexKey(e.value, id)
		if slices.Contains(old, e) && b.Get(k) != nil {
			continue
		}
		if err := b.Put(k, []byte{}); err != nil {
			return err
		}
	}
	return nil
}

// lookup returns the ids filed under value in the named index, in id order.
func lookup(tx *Tx, index, value string) []uint64 {
	prefix := []byte(value + sep)
	var ids []uint64
	c := tx.bucket(index).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		// A longer key is another value that merely starts with this one.
		if len(k) == len(prefix)+8 {
			ids = append(ids, btoi(k[len(prefix):]))
		}
	}
	return ids
}

// lookupOther returns an id filed under value other than self, if any.
func lookupOther(tx *Tx, index, value string, self uint64) (uint64, bool) {
	for _, id := range lookup(tx, index, value) {
		if id != self {
			return id, true
		}
	}
	return 0, false
}

// uniqueFunc returns xs without later duplicates, keeping the first of each.
func uniqueFunc[T any](xs []T, eq func(a, b T) bool) []T {
	var out []T
	for _, x := range xs {
		if !slices.ContainsFunc(out, func(y T) bool { return eq(x, y) }) {
			out = append(out, x)
		}
	}
	return out
}

// uniqueIDs returns ids without zeros and later duplicates.
func uniqueIDs(ids ...uint64) []uint64 {
	var out []uint64
	for _, id := range ids {
		if id != 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// idValue is the index value of an id: its big-endian bytes, so an index
// by id sorts numerically.
func idValue(id uint64) string { return string(itob(id)) }
