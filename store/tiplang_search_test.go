package store_test

import (
	"slices"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func searchFor(t *testing.T, s *store.Store, q, locale string) []uint64 {
	t.Helper()
	var ids []uint64
	err := s.View(func(tx *store.Tx) error {
		hits, err := tx.SearchTipsIn(q, store.QueryLang(q, locale), 10)
		for _, h := range hits {
			ids = append(ids, h.Tip.ID)
		}
		return err
	})
	if err != nil {
		t.Fatalf("SearchTipsIn(%q, QueryLang(%[1]q, %q)): %v", q, locale, err)
	}
	return ids
}

// Tips in the asker's language come first among equally relevant ones:
// the query's script decides, else the locale; a clearly more relevant
// tip in the other language still leads.
func TestSearchTipsAskersLanguage(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s,
		store.Tip{Title: "VPN client 2026", Body: "Update the VPN client.", Lang: "en", Author: 1},             // 0
		store.Tip{Title: "VPNクライアント 2026", Body: "VPNクライアントを更新。", Lang: "ja", Author: 1},                       // 1
		store.Tip{Title: "Printer", Body: "Printer toner printer paper printer queue.", Lang: "en", Author: 1}, // 2
		store.Tip{Title: "庁舎の案内", Body: "printer の場所は受付で。", Lang: "ja", Author: 1},                             // 3
	)
	for _, tc := range []struct {
		q, locale string
		first     int
		both      []int
	}{
		{"VPN client", "ja", 0, []int{0, 1}},    // Latin only: English, whatever the locale
		{"VPN クライアント", "en", 1, []int{0, 1}},    // kana: Japanese
		{"2026", "ja", 1, []int{0, 1}},          // no letters: the locale
		{"2026", "en", 0, []int{0, 1}},          // no letters: the locale
		{"printer の場所", "en", 3, nil},           // the Japanese tip answers 場所 too
		{"printer", "ja", 2, []int{2, 3}},       // Latin: English first
		{"プリンター printer", "ja", 2, []int{2, 3}}, // Japanese, but the English tip is far more relevant
	} {
		got := searchFor(t, s, tc.q, tc.locale)
		if len(got) == 0 || got[0] != ids[tc.first] {
			t.Errorf("search %q (locale %s) = %v, want %d first", tc.q, tc.locale, got, ids[tc.first])
		}
		for _, i := range tc.both {
			if !slices.Contains(got, ids[i]) {
				t.Errorf("search %q (locale %s) = %v, want %d among them", tc.q, tc.locale, got, ids[i])
			}
		}
	}
	// SearchTips is SearchTipsIn with no locale.
	for _, q := range []string{"VPN client", "VPN クライアント", "2026"} {
		if got, want := search(t, s, q), searchFor(t, s, q, ""); !slices.Equal(got, want) {
			t.Errorf("SearchTips(%q) = %v, SearchTipsIn with no locale = %v", q, got, want)
		}
	}
}
