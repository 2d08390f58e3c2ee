package store

import "testing"

func TestQueryLang(t *testing.T) {
	for _, tc := range []struct{ q, fallback, want string }{
		{"在宅勤務の申請", "en", LangJapanese},
		{"VPN つながらない", "en", LangJapanese},
		{"ｱｶｳﾝﾄ", "en", LangJapanese},
		{"annual leave", "ja", LangEnglish},
		{"ＶＰＮ", "ja", LangEnglish},
		{"2026", "ja", "ja"},
		{"2026 !", "", ""},
	} {
		if got := QueryLang(tc.q, tc.fallback); got != tc.want {
			t.Errorf("QueryLang(%q, %q) = %q, want %q", tc.q, tc.fallback, got, tc.want)
		}
	}
	for _, tc := range []struct {
		t    Tip
		want string
	}{
		{Tip{Title: "VPN", Lang: "ja"}, "ja"},
		{Tip{Title: "VPNに接続できない"}, "ja"},
		{Tip{Title: "Sick leave"}, "en"},
		{Tip{Title: "2026", Body: "年末調整"}, "ja"},
	} {
		if got := tipLang(tc.t); got != tc.want {
			t.Errorf("tipLang(%+v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestPreferLang(t *testing.T) {
	foreign := func(id uint64) bool { return id >= 10 } // 10 and up: the other language
	for _, tc := range []struct {
		name string
		in   []ranked
		want []uint64
	}{
		{"as relevant: the asker's first",
			[]ranked{{id: 10, score: 2, matched: 2}, {id: 1, score: 1.9, matched: 2}, {id: 2, score: 1.8, matched: 2}},
			[]uint64{1, 10, 2}},
		{"past several as relevant",
			[]ranked{{id: 10, score: 2, matched: 1}, {id: 11, score: 1.9, matched: 1}, {id: 1, score: 1.7, matched: 1}},
			[]uint64{1, 10, 11}},
		{"only as far as it is as relevant",
			[]ranked{{id: 10, score: 3, matched: 1}, {id: 11, score: 1.9, matched: 1}, {id: 1, score: 1.7, matched: 1}},
			[]uint64{10, 1, 11}},
		{"clearly more relevant: the other language first",
			[]ranked{{id: 10, score: 2, matched: 2}, {id: 1, score: 1.5, matched: 2}},
			[]uint64{10, 1}},
		{"more words matched: the other language first",
			[]ranked{{id: 10, score: 2, matched: 2}, {id: 1, score: 1.99, matched: 1}},
			[]uint64{10, 1}},
		{"the asker's first already: no change",
			[]ranked{{id: 1, score: 2, matched: 1}, {id: 10, score: 1.9, matched: 1}, {id: 2, score: 1.8, matched: 1}},
			[]uint64{1, 10, 2}},
		{"only the first in the asker's language moves",
			[]ranked{{id: 10, score: 2, matched: 1}, {id: 1, score: 1.1, matched: 1}, {id: 11, score: 1, matched: 1}, {id: 2, score: 1, matched: 1}},
			[]uint64{10, 1, 11, 2}},
		{"none in the asker's language", []ranked{{id: 10, score: 2}, {id: 11, score: 1}}, []uint64{10, 11}},
		{"none", nil, nil},
	} {
		preferLang(tc.in, foreign)
		var got []uint64
		for _, h := range tc.in {
			got = append(got, h.id)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
}
