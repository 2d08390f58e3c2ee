package search

import (
	"slices"
	"strings"
	"testing"
)

// wordsString writes words as the tests expect them: each word's text,
// then * when it is light and ? when it is generic.
func wordsString(words []Word) string {
	var out []string
	for _, w := range words {
		s := w.Text
		if w.Light {
			s += "*"
		}
		if w.Generic {
			s += "?"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		// The dictionary's entries cut the query first: the longest at
		// each place.
		{"在宅勤務申請", "在宅勤務 申請?"},
		{"remote work policy", "remote work policy"},
		// An inflected word becomes its stem; the okurigana is no word.
		{"漏れやすい", "漏れ"},
		// A verb's stem before 方 is generic, and 方 light.
		{"年賀状の書き方", "年賀状 書き? 方*?"},
		{"ダイエットの方法", "ダイエット 方法?"},
		// A query of generic words alone is about them.
		{"申請の方法", "申請 方法"},
		{"わすれた とき", "わすれた とき"},
		// Width and case fold.
		{"ＴＥＡＭＳ", "teams"},
		{"育休中", "育休 中*"},
		// A word typed twice is one word; particles are none.
		{"VPN の vpn", "vpn"},
		{"", ""},
	} {
		if got := wordsString(ParseQuery(tc.q, dict)); got != tc.want {
			t.Errorf("ParseQuery(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

// TestParseQueryAlternatives: a word stands for itself, its synonyms at
// synonymWeight and a latin plural's singular at pluralWeight (its
// synonyms at both), each looked up by its index terms.
func TestParseQueryAlternatives(t *testing.T) {
	alt := func(w Word, text string) (Alt, bool) {
		i := slices.IndexFunc(w.Alts, func(a Alt) bool { return a.Text == text })
		if i < 0 {
			return Alt{}, false
		}
		return w.Alts[i], true
	}
	words := ParseQuery("laptops", dict)
	if len(words) != 1 {
		t.Fatalf("laptops: %d words", len(words))
	}
	w := words[0]
	if a := w.Alts[0]; a.Text != "laptops" || a.Weight != 1 || !slices.Equal(a.Tokens, []string{"laptops"}) {
		t.Errorf("the word itself: %+v", a)
	}
	if a, ok := alt(w, "laptop"); !ok || a.Weight != pluralWeight {
		t.Errorf("the singular: %+v, %v", a, ok)
	}
	if a, ok := alt(w, "パソコン"); !ok || a.Weight != synonymWeight*pluralWeight ||
		!slices.Equal(a.Tokens, []string{"パソ", "ソコ", "コン"}) {
		t.Errorf("the singular's synonym: %+v, %v", a, ok)
	}
	words = ParseQuery("在宅勤務", dict)
	if a, ok := alt(words[0], "テレワーク"); !ok || a.Weight != synonymWeight {
		t.Errorf("a synonym: %+v, %v", a, ok)
	}
	// A long query is cut at maxQueryWords words.
	if got := len(ParseQuery(strings.Repeat("alpha beta gamma delta epsilon zeta ", 5), dict)); got != 6 {
		t.Errorf("repeated words: %d, want 6", got)
	}
	var many []string
	for i := range 40 {
		many = append(many, "word"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	if got := len(ParseQuery(strings.Join(many, " "), dict)); got != maxQueryWords {
		t.Errorf("40 words: %d, want %d", got, maxQueryWords)
	}
}

// TestQueryTerms: a word's terms are its tokens, then its kana stems,
// without the single kanji a stem covers.
func TestQueryTerms(t *testing.T) {
	for _, tc := range []struct {
		w    string
		want []string
	}{
		{"在宅勤務", []string{"在宅", "宅勤", "勤務"}},
		{"子ども", []string{"ども", "子ど"}}, // 子 alone is covered by the stem 子ど
		{"vpn", []string{"vpn"}},
		{"remote work", []string{"remote", "work"}},
	} {
		if got := QueryTerms(tc.w); !slices.Equal(got, tc.want) {
			t.Errorf("QueryTerms(%q) = %q, want %q", tc.w, got, tc.want)
		}
	}
}
