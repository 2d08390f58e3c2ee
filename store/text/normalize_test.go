package text

import (
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"IT", "it"},
		{"ＩＴ", "it"},
		{"ｶﾀｶﾅ", "カタカナ"},
		{"ｷｬﾘｱ", "キャリア"},
		{"ｶﾞｲﾄﾞ", "ガイド"},
		{"１２月", "12月"},
		{"  Career   Change ", "career change"},
		{"キャリア\u3000相談", "キャリア 相談"},
		{"\tA\n B \r\n", "a b"},
		{"I\u200bT", "it"},
		{"\ufeffTeams", "teams"},
		{"IT\u2060・\u202eTeams\u202c", "it・teams"},
		{"\u2066総務課\u2069", "総務課"},
		{"a\x00b", "a b"},
		{"Straße", "strasse"},
		{"Ⅻ", "xii"},
		{"Ꮀ", "ꮀ"}, // x/text folds Cherokee back and forth
		{"㈱ソウダン", "(株)ソウダン"},
		{"cafe\u0301", "café"},
		{"\xff\xfeIT", "\ufffdit"}, // one U+FFFD per run of bad bytes
		{"", ""},
		{"\u3000 \u200b", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q): got %q, want %q", tt.in, got, tt.want)
		}
		if got := Normalize(Normalize(tt.in)); got != tt.want {
			t.Errorf("Normalize(Normalize(%q)): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeValidUTF8(t *testing.T) {
	for _, in := range []string{"\xff", "a\xc3", "\xed\xa0\x80", "ＩＴ\x80相談"} {
		if got := Normalize(in); !utf8.ValidString(got) {
			t.Errorf("Normalize(%q): got invalid %q, want valid UTF-8", in, got)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"IT・Teams", "itteams"},
		{"it teams", "itteams"},
		{"ＩＴ／Ｔｅａｍｓ", "itteams"},
		{"IT･Teams", "itteams"},
		{"総務 課", "総務課"},
		{"e-mail", "email"},
		{"キャリア、異動", "キャリア異動"},
		{"c++", "c++"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q): got %q, want %q", tt.in, got, tt.want)
		}
		if got := Fold(Fold(tt.in)); got != tt.want {
			t.Errorf("Fold(Fold(%q)): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSameName(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"総務課", "総務 課", true},
		{"総務課", "ｿｳﾑ課", false},
		{"営業部", "営業部\u200b", true},
		{"ＩＴ推進室", "it推進室", true},
		{"Sales", "SALES", true},
		{"総務課", "総務部", false},
		{"", "", false},
		{" ", "・", false},
	}
	for _, tt := range tests {
		if got := SameName(tt.a, tt.b); got != tt.want {
			t.Errorf("SameName(%q, %q): got %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
