package store_test

import (
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// "Nothing found" when only a query's generic words match (方法, 申請,
// a verb's stem before 方, words in hiragana alone), while those words
// still help rank what the query's other words find, and a query of
// generic words alone is about them.
func TestSearchTipsGenericWordsAlone(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s,
		store.Tip{Title: "引継書の書き方", Body: "後任が読んで分かるように書く方法。", Author: 1},                       // 0
		store.Tip{Title: "テレワークの申請方法", Body: "前日までに勤怠システムで申請します。", Author: 1},                   // 1
		store.Tip{Title: "テレワークの心得", Body: "始業と終業をチャットで知らせます。", Author: 1},                      // 2
		store.Tip{Title: "Leave procedure", Body: "Apply in the attendance system.", Author: 1}, // 3
		store.Tip{Title: "本帰国の手続き", Body: "帰国の一か月前から準備します。", Author: 1},                         // 4
	)
	for _, tc := range []struct {
		q     string
		first int // -1: nothing found
	}{
		{"ダイエットの方法", -1},
		{"年賀状の書き方", -1},
		{"ピアノの申請", -1},
		{"wedding procedure", -1},
		{"すぐにわすれた", -1},
		{"引継書の書き方", 0},
		{"テレワークの申請方法", 1},
		{"テレワーク 申請", 1},
		{"leave procedure", 3},
		{"日本に戻るときの手続き", 4},
		{"申請の方法", 1}, // generic words alone: what the query is about
	} {
		got := search(t, s, tc.q)
		switch {
		case tc.first < 0 && len(got) > 0:
			t.Errorf("search %q = %v, want nothing found", tc.q, got)
		case tc.first >= 0 && (len(got) == 0 || got[0] != ids[tc.first]):
			t.Errorf("search %q = %v, want %d first", tc.q, got, ids[tc.first])
		}
	}
}
