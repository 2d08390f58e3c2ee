package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// occurrences returns the byte offsets in the normalised n where the
// normalised w occurs as a word: ends of w that are latin letters or
// digits must meet a word boundary in n ("it" is not in "with", "teams" is
// in "teamsで"); Japanese ends match anywhere (no spaces in Japanese). At
// most max offsets are returned (max < 0: all).
func occurrences(n, w string, max int) []int {
	if w == "" {
		return nil
	}
	var out []int
	for i := 0; i <= len(n)-len(w) && max != 0; {
		j := strings.Index(n[i:], w)
		if j < 0 {
			break
		}
		start := i + j
		if boundary(n, start, start+len(w), w) {
			out = append(out, start)
			max--
		}
		_, size := utf8.DecodeRuneInString(n[start:])
		i = start + size
	}
	return out
}

// boundary reports whether w at n[start:end] stands alone where its ends
// need it.
func boundary(n string, start, end int, w string) bool {
	first, _ := utf8.DecodeRuneInString(w)
	last, _ := utf8.DecodeLastRuneInString(w)
	if start > 0 && spaced(first) {
		if r, _ := utf8.DecodeLastRuneInString(n[:start]); spaced(r) || mark(r) {
			return false
		}
	}
	if end < len(n) && (spaced(last) || mark(last)) {
		if r, _ := utf8.DecodeRuneInString(n[end:]); spaced(r) || mark(r) {
			return false
		}
	}
	return true
}

// ContainsWord reports whether text contains word under the Matcher's
// rules: both normalised; a latin word only at word boundaries; a stop
// word such as "it" only as the Matcher allows it (in capitals, or next to
// Japanese); Japanese as a substring. An empty word is never contained.
func ContainsWord(text, word string) bool {
	w := Normalize(word)
	if w == "" {
		return false
	}
	d := newDoc(text)
	if isLatinStop(w) {
		return d.eligible(w)
	}
	return len(occurrences(d.n, w, 1)) > 0
}

// MatchAll reports whether every content word of query appears in at
// least one of fields, all normalised: the way to search mentor profiles
// ("営業 大阪" finds the mentor with job type 営業 and posting 大阪).
//
// The words of query are its latin words and its kanji and katakana runs,
// and its hiragana runs unless they are particles or okurigana (a run
// right after kanji, as in 悩んで, a one-character run, or a stop word).
// Stop words are ignored, unless used as a name as the Matcher allows
// ("the IT team" looks for it and team) or unless the query has nothing
// else ("it" alone still looks for it). A latin word matches at word boundaries, a Japanese one as a
// substring; a kanji run must appear whole (営業経験 does not find 営業の
// 経験). An empty query matches everything.
func MatchAll(query string, fields ...string) bool {
	words := queryWords(newDoc(query))
	if len(words) == 0 {
		return true
	}
	norm := make([]string, len(fields))
	for i, f := range fields {
		norm[i] = Normalize(f)
	}
	for _, w := range words {
		found := false
		for _, f := range norm {
			if len(occurrences(f, w, 1)) > 0 {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// queryWords are the words MatchAll looks for in the query d. A stop
// word the query uses as a name ("the IT team", "ITの") is a word.
func queryWords(d *doc) []string {
	q := d.n
	var words, stops []string
	prevEnd, prevScript := -1, Other
	for _, r := range runs(q) {
		w := q[r.start:r.end]
		okurigana := r.script == Hiragana && prevScript == Kanji && prevEnd == r.start
		prevEnd, prevScript = r.end, r.script
		switch {
		case r.script == Hiragana && (okurigana || utf8.RuneCountInString(w) < 2):
		case stopWords[w] && !(r.script == Latin && d.eligible(w)):
			stops = append(stops, w)
		default:
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return stops
	}
	return words
}

// doc is a text being matched: its normalised form, and on demand its
// case-preserving form and the stop words it uses as names.
type doc struct {
	text string
	n    string
	elig map[string]bool // nil until eligible is first called
}

func newDoc(text string) *doc { return &doc{text: text, n: Normalize(text)} }

// isLatinStop reports whether the normalised w is an English stop word,
// which matches only under the rule of eligible.
func isLatinStop(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return stopWords[w] && spaced(r)
}

// eligible reports whether the text uses the English stop word w as a
// name rather than as a function word: some occurrence of w, as a whole
// word, is
//
//   - next to Japanese (the nearest non-space character before or after
//     it is kanji or kana: "ITの相談", "社内ITについて", "Teams と it の"), or
//   - written in capitals, at least two letters ("IT", "OR"), in a text
//     that is not shouting: the text has a lower-case letter, or no other
//     stop word ("IT SUPPORT PLEASE" names IT; "IS IT NORMAL" does not).
func (d *doc) eligible(w string) bool {
	if d.elig == nil {
		d.elig = stopNames(normalize(d.text, false))
	}
	return d.elig[w]
}

// stopNames finds the stop words that the case-preserving normalised
// text n0 uses as names (see eligible).
func stopNames(n0 string) map[string]bool {
	type word struct {
		start, end int
		fold       string
	}
	var words []word
	lower, stops := false, 0
	for i := 0; i < len(n0); {
		r, size := utf8.DecodeRuneInString(n0[i:])
		if unicode.IsLower(r) {
			lower = true
		}
		if !spaced(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(n0) {
			r2, s2 := utf8.DecodeRuneInString(n0[j:])
			if !spaced(r2) && !mark(r2) {
				break
			}
			if unicode.IsLower(r2) {
				lower = true
			}
			j += s2
		}
		f := Normalize(n0[i:j])
		if stopWords[f] {
			stops++
			words = append(words, word{i, j, f})
		}
		i = j
	}
	out := make(map[string]bool)
	for _, w := range words {
		if out[w.fold] {
			continue
		}
		caps := capitals(n0[w.start:w.end]) && (lower || stops < 2)
		if caps || nextToJapanese(n0, w.start, w.end) {
			out[w.fold] = true
		}
	}
	return out
}

// capitals reports whether w has at least two letters and no lower-case
// one.
func capitals(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// nextToJapanese reports whether the nearest non-space rune before start
// or after end in n is kanji or kana.
func nextToJapanese(n string, start, end int) bool {
	before := strings.TrimRight(n[:start], " ")
	if r, _ := utf8.DecodeLastRuneInString(before); before != "" && japanese(r) {
		return true
	}
	after := strings.TrimLeft(n[end:], " ")
	r, _ := utf8.DecodeRuneInString(after)
	return after != "" && japanese(r)
}
