package knowledge

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/soudan/soudan/store"
)

// FuzzSearchQuery feeds arbitrary text to the "tip search [-n N] WORDS"
// parser, the store's query words and the snippet: none may panic, N
// stays within 1..20, and a snippet is valid UTF-8 and no longer than
// its width plus the marks and ellipses.
func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"-n 3 VPN", "-n", "-n21 京都", "－ｎ ５ ＴＥＡＭＳ", "東京都 京都", "\xff-n 2", "C++ の 使い方", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, ok := parseSearch(strings.Fields(s))
		if ok && (q.n < 1 || q.n > maxHits) {
			t.Fatalf("parseSearch(%q).n = %d", s, q.n)
		}
		words := store.TipQueryWords(q.words)
		sn := Snippet(s, words, 20)
		if !utf8.ValidString(sn) && utf8.ValidString(s) {
			t.Fatalf("Snippet(%q) = %q, invalid UTF-8", s, sn)
		}
		if n := utf8.RuneCountInString(strings.NewReplacer("*", "", "…", "").Replace(sn)); n > 20+strings.Count(s, "*")+strings.Count(s, "…") {
			t.Fatalf("Snippet(%q) = %q: %d runes", s, sn, n)
		}
	})
}
