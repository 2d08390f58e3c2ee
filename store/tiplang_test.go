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
