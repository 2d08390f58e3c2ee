package store

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/soudan/soudan/store/kv"
)

// TestTipRankMigration: tips stored before the rankings existed are
// ranked by the migration that adds them, so the link collection and the
// tip of the week see them.
func TestTipRankMigration(t *testing.T) {
	at := slices.IndexFunc(migrations, func(m migration) bool {
		return reflect.ValueOf(m).Pointer() == reflect.ValueOf(migration(createTipRankBuckets)).Pointer()
	})
	if at < 0 {
		t.Fatal("createTipRankBuckets is not a migration")
	}
	path := filepath.Join(t.TempDir(), "soudan.db")
	old, err := open(path, Options{}, migrations[:at])
	if err != nil {
		t.Fatal(err)
	}
	err = old.kv.Update(func(tx kv.Tx) error {
		b := tx.Bucket(bktTips)
		for _, tp := range []Tip{
			{ID: 1, Title: "リンクなし", Helpful: 5},
			{ID: 2, Title: "手順書", TopicID: 7, Links: []string{"https://example.jp/m"}, Helpful: 1},
			{ID: 3, Title: "マニュアル", TopicID: 7, Links: []string{"https://example.jp/n"}, Helpful: 3},
		} {
			if err := putJSON(b, itob(tp.ID), tp); err != nil {
				return err
			}
		}
		return nil
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
		links, err := tx.LinkTips(7, 10)
		if err != nil || len(links) != 2 || links[0].ID != 3 || links[1].ID != 2 {
			t.Errorf("LinkTips(7) = %+v, %v; want 3 then 2", links, err)
		}
		var best []uint64
		_ = tx.BestTips(func(tp Tip) (bool, error) { best = append(best, tp.ID); return true, nil })
		if !slices.Equal(best, []uint64{1, 3, 2}) {
			t.Errorf("BestTips = %v, want [1 3 2]", best)
		}
		return nil
	})
}
