package handlers

import "testing"

func TestContainsWord(t *testing.T) {
	for _, tc := range []struct {
		s, w string
		want bool
	}{
		{"it の設定がわからない", "it", true},
		{"teamsの使い方", "teams", true},             // Latin word followed by Japanese
		{"how to deal with stress", "it", false}, // inside "with"
		{"it's broken", "it", true},
		{"キャリアパスに悩んでいます", "キャリア", true},
		{"海外赴任の準備", "赴任", true},
		{"", "it", false},
		{"anything", "", false},
		{"wifi と it", "it", true}, // the second occurrence stands alone
	} {
		if got := containsWord(tc.s, tc.w); got != tc.want {
			t.Errorf("containsWord(%q, %q) = %v, want %v", tc.s, tc.w, got, tc.want)
		}
	}
}
