package store

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"testing"

	"github.com/soudan/soudan/store/kv"

	"github.com/soudan/soudan/store/search"
)

// Postings spread over blocks are added, replaced and removed in place,
// in id order.
func TestPutPosting(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "soudan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ids := []uint64{5000, 3, 4095, 4096, 1, 9000}
	err = s.Update(func(tx *Tx) error {
		for _, id := range ids {
			if err := tx.putPosting("在宅", search.Posting{ID: id, TF: uint32(id%7) + 1, DL: 10}, false); err != nil {
				return err
			}
		}
		if err := tx.putPosting("在宅", search.Posting{ID: 3, TF: 9, DL: 11}, false); err != nil { // replace
			return err
		}
		if err := tx.putPosting("在宅", search.Posting{ID: 9500, TF: 2, DL: 5}, true); err != nil { // append
			return err
		}
		return tx.putPosting("在宅", search.Posting{ID: 4096}, false) // remove: the block of 4096..8191 keeps 5000
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *Tx) error {
		var got []uint64
		for _, p := range tx.appendPostings(nil, "在宅") {
			got = append(got, p.ID)
			if p.ID == 3 && (p.TF != 9 || p.DL != 11) {
				t.Errorf("posting 3 = %+v, want the replaced one", p)
			}
		}
		if want := []uint64{1, 3, 4095, 5000, 9000, 9500}; !slices.Equal(got, want) {
			t.Errorf("postings = %v, want %v", got, want)
		}
		if got := tx.appendPostings(nil, "在"); len(got) != 0 {
			t.Errorf("a prefix of the term has postings %v", got)
		}
		return nil
	})
	// Removing the last posting of a block deletes its key.
	err = s.Update(func(tx *Tx) error {
		for _, id := range []uint64{5000, 9000, 9500} {
			if err := tx.putPosting("在宅", search.Posting{ID: id}, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *Tx) error {
		prefix := []byte("在宅\x00")
		c := tx.bucket(bktTipTerms).Cursor()
		var blocks []uint32
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			blocks = append(blocks, binary.BigEndian.Uint32(k[len(prefix):]))
		}
		if !slices.Equal(blocks, []uint32{0}) {
			t.Errorf("blocks = %v, want only block 0", blocks)
		}
		return nil
	})
}

// TestSynonymMigrationReindexes: tips indexed before migration 13 (one key
// per posting, no kana stems) are found by an inflected word after it,
// and the helpful prior's bound is set from the votes the tips have.
func TestSynonymMigrationReindexes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	before := len(migrations) - 1
	for i, m := range migrations {
		if fmtName(m) == fmtName(createSynonymBuckets) {
			before = i
		}
	}
	old, err := open(path, Options{}, migrations[:before])
	if err != nil {
		t.Fatal(err)
	}
	var id uint64
	err = old.kv.Update(func(btx kv.Tx) error {
		tips := btx.Bucket(bktTips)
		id, _ = tips.NextSequence()
		if err := putJSON(tips, itob(id), Tip{ID: id, Title: "情報漏れを防ぐ", Body: "持ち出さない。", Helpful: 4}); err != nil {
			return err
		}
		// The old index: term 0x00 itob(id) -> frequency.
		return btx.Bucket(bktTipTerms).Put(indexKey("情報", id), uvarint(3))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_ = s.View(func(tx *Tx) error {
		hits, err := tx.SearchTips("漏れやすい", 5)
		if err != nil || len(hits) != 1 || hits[0].Tip.ID != id {
			t.Errorf("search after migration = %+v, %v; want tip %d", hits, err, id)
		}
		if got := readUvarint(tx.bucket(bktTipStats).Get([]byte(tipStatMaxHelpful))); got != 4 {
			t.Errorf("max helpful = %d, want 4", got)
		}
		return nil
	})
}

// fmtName names a migration function, to find it in the list.
func fmtName(m migration) string { return runtime.FuncForPC(reflect.ValueOf(m).Pointer()).Name() }
