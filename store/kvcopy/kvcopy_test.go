package kvcopy_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/boltkv"
	"github.com/soudan/soudan/store/kv/pgkv"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
	"github.com/soudan/soudan/store/kvcopy"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func openBolt(t *testing.T) kv.DB {
	t.Helper()
	db, err := boltkv.Open(filepath.Join(t.TempDir(), "kv.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openPG(t *testing.T) kv.DB {
	t.Helper()
	db, err := pgkv.Open(context.Background(), pgtest.URL(t), pgkv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fill writes buckets of every shape: empty, binary keys, empty values,
// a sequence without keys, and more keys than a cursor reads at once.
func fill(t *testing.T, db kv.DB) {
	t.Helper()
	err := db.Update(func(tx kv.Tx) error {
		if _, err := tx.CreateBucket("empty"); err != nil {
			return err
		}
		ids, err := tx.CreateBucket("ids")
		if err != nil {
			return err
		}
		if err := ids.SetSequence(41); err != nil {
			return err
		}
		big, err := tx.CreateBucket("consultations")
		if err != nil {
			return err
		}
		for i := range 1500 {
			n, err := big.NextSequence()
			if err != nil {
				return err
			}
			if err := big.Put([]byte{byte(n >> 8), byte(n), 0x00, 0xff}, fmt.Appendf(nil, `{"id":%d,"text":"相談 %d"}`, n, i)); err != nil {
				return err
			}
		}
		odd, err := tx.CreateBucket("相談.by_名前")
		if err != nil {
			return err
		}
		if err := odd.Put([]byte("empty value"), []byte{}); err != nil {
			return err
		}
		return odd.Put([]byte{0}, []byte{0, 1, 2})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRoundTrip: bbolt to PostgreSQL and back again; every bucket's
// checksum is the same at each step.
func TestRoundTrip(t *testing.T) {
	src, pg, back := openBolt(t), openPG(t), openBolt(t)
	fill(t, src)
	want, err := kvcopy.Sums(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := kvcopy.Copy(pg, src)
	if err != nil {
		t.Fatalf("bbolt to PostgreSQL: %v", err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("copied %v, want %v", got, want)
	}
	if _, err := kvcopy.Copy(back, pg); err != nil {
		t.Fatalf("PostgreSQL to bbolt: %v", err)
	}
	if err := kvcopy.Verify(back, want); err != nil {
		t.Fatalf("after the round trip: %v", err)
	}
	if err := back.View(func(tx kv.Tx) error {
		if v := tx.Bucket("相談.by_名前").Get([]byte("empty value")); v == nil || len(v) != 0 {
			return fmt.Errorf("empty value came back as %#v", v)
		}
		if s := tx.Bucket("ids").Sequence(); s != 41 {
			return fmt.Errorf("sequence came back as %d", s)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestRefusesNonEmptyTarget: a target with any bucket is left alone.
func TestRefusesNonEmptyTarget(t *testing.T) {
	for name, open := range map[string]func(*testing.T) kv.DB{"bbolt": openBolt, "postgres": openPG} {
		t.Run(name, func(t *testing.T) {
			src, dst := openBolt(t), open(t)
			fill(t, src)
			if err := dst.Update(func(tx kv.Tx) error {
				b, err := tx.CreateBucket("meta")
				if err != nil {
					return err
				}
				return b.Put([]byte("schema_version"), []byte("3"))
			}); err != nil {
				t.Fatal(err)
			}
			before, err := kvcopy.Sums(dst)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := kvcopy.Copy(dst, src); !errors.Is(err, kvcopy.ErrNotEmpty) {
				t.Fatalf("Copy into a database with a bucket: %v, want ErrNotEmpty", err)
			}
			if err := kvcopy.Verify(dst, before); err != nil {
				t.Fatalf("the refused target changed: %v", err)
			}
		})
	}
}

// TestVerifyNoticesADifference: a changed value, a missing key or another
// sequence each fail the check.
func TestVerifyNoticesADifference(t *testing.T) {
	for what, change := range map[string]func(kv.Tx) error{
		"value":    func(tx kv.Tx) error { return tx.Bucket("相談.by_名前").Put([]byte{0}, []byte{0, 1, 3}) },
		"key":      func(tx kv.Tx) error { return tx.Bucket("相談.by_名前").Delete([]byte("empty value")) },
		"sequence": func(tx kv.Tx) error { return tx.Bucket("ids").SetSequence(42) },
		"bucket":   func(tx kv.Tx) error { _, err := tx.CreateBucket("extra"); return err },
	} {
		t.Run(what, func(t *testing.T) {
			db := openBolt(t)
			fill(t, db)
			want, err := kvcopy.Sums(db)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(change); err != nil {
				t.Fatal(err)
			}
			if err := kvcopy.Verify(db, want); err == nil {
				t.Fatalf("Verify passed a database whose %s changed", what)
			}
		})
	}
}

// TestSequencesGoOn: a copy keeps every bucket's sequence exact both
// ways, gaps included: on PostgreSQL a rolled-back transaction's numbers
// are not given again, so the last number given out is above the last
// key, and a copy back to bbolt must go on from there, not from the keys.
func TestSequencesGoOn(t *testing.T) {
	src, pg, back := openBolt(t), openPG(t), openBolt(t)
	fill(t, src)
	if _, err := kvcopy.Copy(pg, src); err != nil {
		t.Fatalf("bbolt to PostgreSQL: %v", err)
	}
	next := func(db kv.DB, bucket string) uint64 {
		t.Helper()
		var n uint64
		if err := db.Update(func(tx kv.Tx) error {
			var err error
			n, err = tx.Bucket(bucket).NextSequence()
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Every bucket goes on from the source's sequence on PostgreSQL.
	for bucket, want := range map[string]uint64{"ids": 42, "consultations": 1501, "empty": 1} {
		if n := next(pg, bucket); n != want {
			t.Errorf("NextSequence of %s on the copy = %d, want %d", bucket, n, want)
		}
	}
	boom := errors.New("boom")
	if err := pg.Update(func(tx kv.Tx) error {
		for range 3 {
			if _, err := tx.Bucket("ids").NextSequence(); err != nil {
				return err
			}
		}
		return boom
	}); err != boom {
		t.Fatalf("Update = %v, want %v", err, boom)
	}
	want, err := kvcopy.Sums(pg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kvcopy.Copy(back, pg); err != nil {
		t.Fatalf("PostgreSQL to bbolt: %v", err)
	}
	if err := kvcopy.Verify(back, want); err != nil {
		t.Fatalf("after the copy back: %v", err)
	}
	// 42 committed, 43 to 45 rolled back on PostgreSQL: never given again.
	for bucket, want := range map[string]uint64{"ids": 46, "consultations": 1502, "empty": 2, "相談.by_名前": 1} {
		if n := next(back, bucket); n != want {
			t.Errorf("NextSequence of %s after the copy back = %d, want %d", bucket, n, want)
		}
	}
}
