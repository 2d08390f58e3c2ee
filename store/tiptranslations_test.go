package store_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func tipOf(t *testing.T, s *store.Store, id uint64) store.Tip {
	t.Helper()
	var tp store.Tip
	err := s.View(func(tx *store.Tx) (err error) {
		tp, err = tx.Tip(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

func TestLinkTranslation(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s,
		store.Tip{Title: "VPNに接続できない", Lang: "ja", Author: 1},        // 0
		store.Tip{Title: "Cannot connect to the VPN", Author: 1},     // 1: English by its title
		store.Tip{Title: "VPNの再接続", Lang: "ja", Author: 1},           // 2
		store.Tip{Title: "VPN client update", Lang: "en", Author: 1}, // 3
	)
	update := func(fn func(tx *store.Tx) error) error { return s.Update(fn) }
	if err := update(func(tx *store.Tx) error { return tx.LinkTranslation(ids[1], ids[0]) }); err != nil {
		t.Fatal(err)
	}
	if got := tipOf(t, s, ids[0]).Translations; !slices.Equal(got, []uint64{ids[1]}) {
		t.Errorf("tip 0's translations = %v, want [%d]", got, ids[1])
	}
	if got := tipOf(t, s, ids[1]).Translations; !slices.Equal(got, []uint64{ids[0]}) {
		t.Errorf("tip 1's translations = %v, want [%d]", got, ids[0])
	}
	// Refused: a tip in a language the group has, itself, a missing tip.
	for _, tc := range []struct {
		a, b uint64
		want error
	}{
		{ids[2], ids[0], store.ErrSameLanguage},
		{ids[3], ids[0], store.ErrSameLanguage}, // the group has English (tip 1)
		{ids[0], ids[0], nil},
		{ids[0], 99, store.ErrNotFound},
	} {
		err := update(func(tx *store.Tx) error { return tx.LinkTranslation(tc.a, tc.b) })
		if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("LinkTranslation(%d, %d) = %v, want %v", tc.a, tc.b, err, tc.want)
		}
	}
	// Editing keeps the group, and refuses a language the group has.
	err := update(func(tx *store.Tx) error {
		_, err := tx.UpdateTip(ids[1], func(tp *store.Tip) error { tp.Body = "Update the client."; tp.Translations = nil; return nil })
		return err
	})
	if err != nil || !slices.Equal(tipOf(t, s, ids[1]).Translations, []uint64{ids[0]}) {
		t.Errorf("after an edit: %v, translations %v", err, tipOf(t, s, ids[1]).Translations)
	}
	err = update(func(tx *store.Tx) error {
		_, err := tx.UpdateTip(ids[1], func(tp *store.Tip) error { tp.Lang = "ja"; return nil })
		return err
	})
	if !errors.Is(err, store.ErrSameLanguage) {
		t.Errorf("changing tip 1 to Japanese = %v, want ErrSameLanguage", err)
	}
	// Linking tip 1 elsewhere moves it: tip 0 is left alone.
	if err := update(func(tx *store.Tx) error { return tx.LinkTranslation(ids[1], ids[2]) }); err != nil {
		t.Fatal(err)
	}
	if got := tipOf(t, s, ids[0]).Translations; len(got) != 0 {
		t.Errorf("tip 0's translations after tip 1 moved = %v, want none", got)
	}
	if got := tipOf(t, s, ids[2]).Translations; !slices.Equal(got, []uint64{ids[1]}) {
		t.Errorf("tip 2's translations = %v, want [%d]", got, ids[1])
	}
	// Unlinking and deleting take a tip out of its group.
	if err := update(func(tx *store.Tx) error { return tx.UnlinkTranslation(ids[2]) }); err != nil {
		t.Fatal(err)
	}
	if a, b := tipOf(t, s, ids[1]).Translations, tipOf(t, s, ids[2]).Translations; len(a)+len(b) != 0 {
		t.Errorf("after unlinking: %v and %v, want none", a, b)
	}
	if err := update(func(tx *store.Tx) error { return tx.LinkTranslation(ids[3], ids[2]) }); err != nil {
		t.Fatal(err)
	}
	if err := update(func(tx *store.Tx) error { return tx.DeleteTip(ids[3]) }); err != nil {
		t.Fatal(err)
	}
	if got := tipOf(t, s, ids[2]).Translations; len(got) != 0 {
		t.Errorf("tip 2's translations after its translation was deleted = %v, want none", got)
	}
}

// A tip in two languages shows once, in the asker's: its own hit when it
// has one, else in the place of its translation's.
func TestSearchShowsATranslatedTipOnce(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s,
		store.Tip{Title: "VPNクライアント 2026", Body: "VPNクライアントを更新。", Lang: "ja", Author: 1},                                                   // 0
		store.Tip{Title: "VPN client 2026", Body: "Update the VPN client software on your laptop, then reconnect.", Lang: "en", Author: 1}, // 1
		store.Tip{Title: "VPN の速度", Body: "VPN が遅いときは回線を確認。", Lang: "ja", Author: 1},                                                       // 2
		store.Tip{Title: "Printer queue", Body: "Printer.", Author: 1},                                                                     // 3
		store.Tip{Title: "年末調整", Body: "書類を出す。", Author: 1},                                                                                // 4
	)
	if err := s.Update(func(tx *store.Tx) error { return tx.LinkTranslation(ids[1], ids[0]) }); err != nil {
		t.Fatal(err)
	}
	hitsFor := func(q, lang string, n int) []store.TipHit {
		t.Helper()
		var hits []store.TipHit
		err := s.View(func(tx *store.Tx) (err error) {
			hits, err = tx.SearchTipsIn(q, lang, n)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return hits
	}
	show := func(hits []store.TipHit) (out []uint64) {
		for _, h := range hits {
			out = append(out, h.Tip.ID)
		}
		return out
	}
	for _, tc := range []struct {
		q, lang    string
		n          int
		want       []uint64
		translated uint64 // the first hit's Translated
	}{
		{"2026", "ja", 10, []uint64{ids[0]}, 0},
		{"2026", "en", 10, []uint64{ids[1]}, 0},
		{"software laptop", "ja", 10, []uint64{ids[0]}, ids[1]}, // only the English one matches
		{"software laptop", "en", 10, []uint64{ids[1]}, 0},
		{"VPN", "ja", 10, []uint64{ids[2], ids[0]}, 0},
		{"VPN", "en", 2, []uint64{ids[1], ids[2]}, 0}, // the group shows once, and n is filled
		{"VPN", "ja", 1, []uint64{ids[2]}, 0},
		{"2026", "", 10, []uint64{ids[1]}, 0}, // no language: the group's best
	} {
		hits := hitsFor(tc.q, tc.lang, tc.n)
		if got := show(hits); !slices.Equal(got, tc.want) || hits[0].Translated != tc.translated {
			t.Errorf("search %q in %q (n=%d) = %v (first translated from %d), want %v (%d)", tc.q, tc.lang, tc.n, got, hits[0].Translated, tc.want, tc.translated)
		}
	}
}
