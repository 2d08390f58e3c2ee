package store_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestTopicsAndDepartmentsNameAlike: topics and departments are both a
// name with aliases, keyed alike (text.Fold), so a spelling that names a
// department names a topic too, and one that collides for one collides
// for the other.
func TestTopicsAndDepartmentsNameAlike(t *testing.T) {
	s := storetest.MustOpen(t)
	storetest.MustUpdate(t, s, func(tx *store.Tx) error {
		if _, err := tx.Topics().Create(store.Topic{Name: "IT・Teams", Aliases: []string{"システム"}}); err != nil {
			return err
		}
		_, err := tx.Departments().Create(store.Department{Name: "IT・Teams", Aliases: []string{"システム"}})
		return err
	})
	for _, name := range []string{"IT・Teams", "it teams", "ＩＴ／Ｔｅａｍｓ", "it-teams", "ｼｽﾃﾑ", "シス・テム"} {
		tp, terr := storetest.Read(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName(name) })
		d, derr := storetest.Read(s, func(tx *store.Tx) (store.Department, error) { return tx.Departments().ByName(name) })
		if terr != nil || derr != nil || tp.Name != "IT・Teams" || d.Name != "IT・Teams" {
			t.Errorf("ByName(%q): topic %q, %v; department %q, %v; want both IT・Teams", name, tp.Name, terr, d.Name, derr)
		}
	}
	for _, name := range []string{"it teams", "Ｉ．Ｔ． teams", "しすてむ"} {
		_, terr := storetest.Write(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Create(store.Topic{Name: name}) })
		_, derr := storetest.Write(s, func(tx *store.Tx) (store.Department, error) {
			return tx.Departments().Create(store.Department{Name: name})
		})
		if errors.Is(terr, store.ErrExists) != errors.Is(derr, store.ErrExists) {
			t.Errorf("Create(%q): topic %v, department %v; want the same answer", name, terr, derr)
		}
		if name != "しすてむ" && !errors.Is(terr, store.ErrExists) {
			t.Errorf("Create topic %q: %v, want ErrExists (it is IT・Teams)", name, terr)
		}
	}
	// Aliases that fold like the name or an earlier alias are one name.
	tp := storetest.Update(t, s, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().Create(store.Topic{Name: "人事・労務", Aliases: []string{"人事労務", "HR", "ｈｒ", "・"}})
	})
	if want := []string{"HR"}; !slices.Equal(tp.Aliases, want) {
		t.Errorf("aliases = %q, want %q", tp.Aliases, want)
	}
	// A name of separators only names nothing.
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Create(store.Topic{Name: "・／"}) }); !errors.Is(err, store.ErrNoName) {
		t.Errorf("Create(・／) = %v, want ErrNoName", err)
	}
}
