package store

import (
	"bytes"
	"encoding/binary"

	// The records' codec: encoding/json's behaviour and output (the v1
	// API of the prototype of Go's encoding/json/v2, what Go's own
	// encoding/json runs on under GOEXPERIMENT=jsonv2), decoding about
	// twice as fast with a third of the allocations. Records are decoded
	// and encoded inside the one writer's transactions, where every
	// microsecond is one all the handlers wait for (measured in
	// docs/measurements/2026-12-07-intake.md; codec_test.go holds it to
	// encoding/json's bytes).
	json "github.com/go-json-experiment/json/v1"

	"github.com/soudan/soudan/store/kv"
)

// itob encodes an id as a big-endian key, so keys sort in id order.
func itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// btoi decodes a key written by itob.
func btoi(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// bucket returns a top-level bucket. Migrations create every bucket at
// Open, so it is never nil for a name in the schema.
func (tx *Tx) bucket(name string) kv.Bucket { return tx.tx.Bucket(name) }

// getJSON decodes the record at key into v, or returns ErrNotFound.
func getJSON(b kv.Bucket, key []byte, v any) error {
	data := b.Get(key)
	if data == nil {
		return ErrNotFound
	}
	return decodeRecord(data, v)
}

// decodeRecord decodes a record's bytes into v, as encoding/json would.
func decodeRecord(data []byte, v any) error { return json.Unmarshal(data, v) }

// encodeRecord encodes v as a record's bytes, as encoding/json would.
func encodeRecord(v any) ([]byte, error) { return json.Marshal(v) }

// putJSON encodes v at key.
func putJSON(b kv.Bucket, key []byte, v any) error {
	data, err := encodeRecord(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// getByID decodes the record with id from the named bucket.
func getByID[T any](tx *Tx, name string, id uint64) (T, error) {
	var v T
	err := getJSON(tx.bucket(name), itob(id), &v)
	return v, err
}

// getAll decodes every record of the named bucket, in key order.
func getAll[T any](tx *Tx, name string) ([]T, error) {
	var out []T
	err := tx.bucket(name).ForEach(func(_, data []byte) error {
		var v T
		if err := decodeRecord(data, &v); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// getIDs decodes the records with the given ids from the named bucket, in
// the order given.
func getIDs[T any](tx *Tx, name string, ids []uint64) ([]T, error) {
	tx.prefetch(ids, name)
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		v, err := getByID[T](tx, name, id)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// deleteWhere deletes every key of b for which drop says so and returns
// how many. It collects the keys first and deletes after the walk:
// deleting under a cursor skips keys.
func deleteWhere(b kv.Bucket, drop func(k, v []byte) (bool, error)) (int, error) {
	var old [][]byte
	err := b.ForEach(func(k, v []byte) error {
		ok, err := drop(k, v)
		if ok {
			old = append(old, bytes.Clone(k))
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}

// eachWithPrefix decodes each record of b whose key starts with prefix,
// in key order, and calls fn with it.
func eachWithPrefix[T any](b kv.Bucket, prefix []byte, fn func(T) error) error {
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var rec T
		if err := json.Unmarshal(v, &rec); err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}
