package store

import (
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/soudan/soudan/store/search"
)

// TestTipLearnedMigration: an index built before learned words, in the
// old units, is rebuilt in the new ones by migration 17, and every score
// stays as it was (BM25's k1 scales with the units).
func TestTipLearnedMigration(t *testing.T) {
	at := slices.IndexFunc(migrations, func(m migration) bool {
		return reflect.ValueOf(m).Pointer() == reflect.ValueOf(migration(createTipLearnedBucket)).Pointer()
	})
	if at < 0 {
		t.Fatal("createTipLearnedBucket is not a migration")
	}
	path := filepath.Join(t.TempDir(), "soudan.db")
	old, err := open(path, Options{}, migrations[:at])
	if err != nil {
		t.Fatal(err)
	}
	tips := []Tip{
		{Title: "VPN の接続手順", Body: "VPN クライアントを起動し、職員番号でログインします。", Tags: []string{"リモート"}},
		{Title: "テレワークの始め方", Body: "テレワークの日は朝に上司へチャットで連絡します。VPN を使います。"},
		{Title: "Working from home", Body: "Use the VPN client and keep your laptop updated."},
	}
	queries := []string{"接続手順", "在宅勤務", "リモート", "laptop"}
	scores := func(s *Store) map[string][]float64 {
		out := map[string][]float64{}
		_ = s.View(func(tx *Tx) error {
			for _, q := range queries {
				hits, err := tx.SearchTips(q, 10)
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range hits {
					out[q] = append(out[q], float64(h.Tip.ID), h.Score)
				}
			}
			return nil
		})
		return out
	}
	// Before: the old units (a body term counts 1), as the index was.
	err = old.Update(func(tx *Tx) error {
		var total uint64
		for _, tp := range tips {
			tp, err := tx.CreateTip(tp)
			if err != nil {
				return err
			}
			// Rewrite its postings in the old units.
			tf, n := tipTerms(tp, nil)
			for term, f := range tf {
				if err := tx.putPosting(term, search.Posting{ID: tp.ID, TF: uint32(f / tipTermScale), DL: uint32(n / tipTermScale)}, false); err != nil {
					return err
				}
			}
			total += n / tipTermScale
			if err := tx.bucket(bktTipDocs).Put(itob(tp.ID), uvarint(n/tipTermScale)); err != nil {
				return err
			}
		}
		return tx.bucket(bktTipStats).Put([]byte(tipStatLen), uvarint(total))
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
	got := scores(s)
	// The same tips indexed afresh give the same scores.
	fresh, err := Open(filepath.Join(t.TempDir(), "fresh.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	_ = fresh.Update(func(tx *Tx) error {
		for _, tp := range tips {
			if _, err := tx.CreateTip(tp); err != nil {
				t.Fatal(err)
			}
		}
		return nil
	})
	want := scores(fresh)
	for _, q := range queries {
		if len(want[q]) == 0 || len(got[q]) != len(want[q]) {
			t.Fatalf("search %q after migration = %v, want %v", q, got[q], want[q])
		}
		for i := range want[q] {
			if math.Abs(got[q][i]-want[q][i]) > 1e-9 {
				t.Errorf("search %q after migration = %v, want %v", q, got[q], want[q])
				break
			}
		}
	}
	_ = s.View(func(tx *Tx) error {
		if tx.bucket(bktTipLearned) == nil {
			t.Error("no learned-words bucket after migration")
		}
		return nil
	})
}
