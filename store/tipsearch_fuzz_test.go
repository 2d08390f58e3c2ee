package store_test

import (
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// FuzzSearchTips searches a few tips with arbitrary text: no panic, at
// most n hits, every hit above the minimum score with its matched words
// among the query's words or their bigrams, and the words valid UTF-8.
func FuzzSearchTips(f *testing.F) {
	for _, q := range []string{"京都", "ＴＥＡＭＳ 画面共有", "vpn", "-n 3 在宅勤務", "\xff\xfe", "の の の", "C++ node.js", "東京都庁の京都府", "", "telework 子ども 漏れやすい", "remote work ＰＣ", "在宅勤務申請書の書き方", "telework guide 手引き", "apply"} {
		f.Add(q, 5)
		f.Add(q, 1)
	}
	s := storetest.MustOpen(f, store.Options{})
	sampleTipsF(f, s)
	f.Fuzz(func(t *testing.T, q string, n int) {
		for _, w := range store.TipQueryWords(q) {
			if w == "" || !utf8.ValidString(w) {
				t.Fatalf("query %q: word %q", q, w)
			}
		}
		err := s.View(func(tx *store.Tx) error {
			hits, err := tx.SearchTips(q, n)
			if err != nil {
				return err
			}
			if len(hits) > max(n, 0) {
				t.Errorf("%d hits for n=%d", len(hits), n)
			}
			groups := map[uint64]bool{}
			for _, h := range hits {
				// A tip shown in place of its translation has no words of
				// its own matched.
				if h.Score < store.MinTipScore || len(h.Terms) == 0 && h.Translated == 0 {
					t.Errorf("query %q: weak hit %+v", q, h)
				}
				if id := min(h.Tip.ID, slices.Min(append([]uint64{h.Tip.ID}, h.Tip.Translations...))); groups[id] {
					t.Errorf("query %q: a tip in two languages shown twice: %+v", q, hits)
				} else {
					groups[id] = true
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("SearchTips(%q): %v", q, err)
		}
	})
}

func sampleTipsF(f *testing.F, s *store.Store) {
	err := s.Update(func(tx *store.Tx) error {
		for _, tp := range []store.Tip{
			{Title: "東京都の住宅手当", Body: "東京都内に住む職員の住宅手当。"},
			{Title: "京都出張", Body: "京都への出張。"},
			{Title: "Teams で画面共有", Body: "Teams を再起動。", Tags: []string{"IT", "C++"}},
			{Title: "VPN", Body: "VPN クライアントを更新。在宅勤務に。"},
			{Title: "在宅勤務の手引き", Body: "申請は前日までに。", Lang: "ja"},
			{Title: "Telework guide", Body: "Apply the day before.", Lang: "en"},
		} {
			if _, err := tx.CreateTip(tp); err != nil {
				return err
			}
		}
		return tx.LinkTranslation(6, 5) // the same guide in two languages
	})
	if err != nil {
		f.Fatal(err)
	}
}
