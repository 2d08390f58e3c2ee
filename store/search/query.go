package search

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/soudan/soudan/store/text"
)

// Query parsing (ParseQuery), for the store's SearchTips and RankDocs.
//
// The normalised query is first cut at the entries of the synonym
// dictionary it holds (text.Synonyms.Segment: the longest entry at each
// place, Japanese anywhere, latin phrases at word boundaries), so that
// 在宅勤務申請 is 在宅勤務 and 申請 and "remote work" is one word. The rest
// is cut into words as the text package tokenises it: latin words, and
// Japanese runs (a kanji or katakana run, a hiragana run that is neither a
// particle nor the okurigana right after a kanji). A single kanji
// followed by hiragana is an inflected word and becomes its stem, the
// kanji with its first kana (漏れやすい -> 漏れ), which the index holds as
// a term of its own (text.KanaStems).
//
// A word of one kanji or kana (方 in 取り方, 中 in 育休中) says little
// alone: it adds to a tip's score but a hit does not need it, unless the
// query has no other word.
//
// Generic words say what kind of help is wanted and not what about
// (text.IsGenericWord: 方法, 申請, procedure), and so do a verb's stem
// before 方 (書き in 書き方, "how to write": 年賀状の書き方 asks about
// 年賀状) and a word in hiragana alone (a verb or adjective in kana,
// わすれた, or the particles after one, ときの). They count as any word
// does, but a hit must match a word of the query that is not generic,
// unless it has none: 「ダイエットの方法」 is not answered by a tip that
// speaks of a 方法.
//
// Each word then stands for itself and for its synonyms in the
// dictionary, and a latin plural also for its singular; these
// alternatives score synonymWeight (pluralWeight) times what the word
// itself would.

// Weights of a word's alternatives.
const (
	synonymWeight = 0.8
	pluralWeight  = 0.9
	// maxWordTerms bounds the terms a word is looked up by: a word longer
	// than this many bigrams is not a word someone typed.
	maxWordTerms = 64
	// maxQueryWords and maxQueryBytes bound what a query is cut into: a
	// longer one is not a question someone typed.
	maxQueryWords = 16
	maxQueryBytes = 1000
)

// Word is one word of a search query and the words it stands for.
type Word struct {
	Text  string // normalised, as typed
	Alts  []Alt  // Alts[0] is the word itself
	Light bool   // one kanji or kana: scored, but not needed for a hit
	// Generic: a word that says what kind of help is wanted, not what
	// about; a hit needs a word of the query that is not (see above).
	Generic bool
}

// Alt is one way of finding a query word: the word or one of its
// synonyms.
type Alt struct {
	Text   string   // normalised
	Tokens []string // its index terms, distinct
	Weight float64
}

// QueryTerms returns the index terms a tip must have to contain the
// normalised w: its tokens and kana stems, without the single kanji a
// stem covers (子ども is 子ど and ども: 子 alone is a term only where it
// stands alone).
func QueryTerms(w string) []string {
	stems := text.KanaStems(w)
	var out []string
	add := func(s string) {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	for _, tok := range text.Tokens(w) {
		if tok.Stop {
			continue
		}
		covered := false
		if utf8.RuneCountInString(tok.Text) == 1 && tok.Script == text.Kanji {
			for _, st := range stems {
				if st.Start == tok.Start {
					covered = true
				}
			}
		}
		if !covered {
			add(tok.Text)
		}
	}
	for _, st := range stems {
		add(st.Text)
	}
	return out
}

// ParseQuery cuts a query into its words, each with its alternatives
// from dict (see above); stop words are left out.
func ParseQuery(q string, dict *text.Synonyms) []Word {
	if len(q) > maxQueryBytes {
		q = strings.ToValidUTF8(q[:maxQueryBytes], "")
	}
	n := text.Normalize(q)
	var texts []string
	at := 0
	for _, sp := range dict.Segment(n) {
		texts = append(texts, plainWords(n[at:sp.Start])...)
		texts = append(texts, n[sp.Start:sp.End])
		at = sp.End
	}
	texts = append(texts, plainWords(n[at:])...)

	var words []Word
	for i, w := range texts {
		if len(words) == maxQueryWords {
			break
		}
		if containsWord(words, w) {
			continue
		}
		qw := Word{Text: w}
		addAlt := func(s string, weight float64) {
			if toks := QueryTerms(s); len(toks) > 0 {
				toks = toks[:min(len(toks), maxWordTerms)]
				for _, a := range qw.Alts {
					if a.Text == s {
						return
					}
				}
				qw.Alts = append(qw.Alts, Alt{Text: s, Tokens: toks, Weight: weight})
			}
		}
		addAlt(w, 1)
		if len(qw.Alts) == 0 {
			continue
		}
		qw.Light = qw.OneChar()
		qw.Generic = text.IsGenericWord(w) || i+1 < len(texts) && texts[i+1] == "方" && isStem(w) || allHiragana(w)
		for _, s := range dict.Of(w) {
			addAlt(s, synonymWeight)
		}
		if sg, ok := singular(w); ok {
			addAlt(sg, pluralWeight)
			for _, s := range dict.Of(sg) {
				addAlt(s, synonymWeight*pluralWeight)
			}
		}
		words = append(words, qw)
	}
	// A query of generic words alone is about them.
	if !slices.ContainsFunc(words, func(w Word) bool { return !w.Generic && !w.Light }) {
		for i := range words {
			words[i].Generic = false
		}
	}
	return words
}

// allHiragana reports whether w is written in hiragana alone: a verb or
// adjective in kana (わすれた, おそい) or the function words around one
// (ときの), which say little of what a query is about.
func allHiragana(w string) bool {
	for _, r := range w {
		if text.ScriptOf(r) != text.Hiragana {
			return false
		}
	}
	return w != ""
}

// OneChar reports whether w is a word of one kanji or kana.
func (w Word) OneChar() bool {
	r, size := utf8.DecodeRuneInString(w.Text)
	return size == len(w.Text) && text.ScriptOf(r) != text.Latin
}

// isStem reports whether w is an inflected word's stem as plainWords
// cuts it: one kanji and the kana after it (書き).
func isStem(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	k, ksize := utf8.DecodeRuneInString(w[size:])
	return size+ksize == len(w) && text.ScriptOf(r) == text.Kanji && text.ScriptOf(k) == text.Hiragana
}

// singular returns the singular of a latin plural ("laptops" -> "laptop",
// "policies" -> "policy"), by the common rules only.
func singular(w string) (string, bool) {
	if len(w) < 4 || strings.ContainsFunc(w, func(r rune) bool { return r >= utf8.RuneSelf || r == ' ' }) {
		return "", false
	}
	switch {
	case strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y", true
	case strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "is"):
		return "", false
	case strings.HasSuffix(w, "s"):
		return w[:len(w)-1], true
	}
	return "", false
}

// plainWords cuts the normalised s into words without the dictionary:
// latin words and Japanese runs, inflected single kanji as their stems,
// particles, okurigana (the hiragana run after a kanji) and stop words
// left out.
func plainWords(s string) []string {
	s = text.Normalize(s)
	var out []string
	var cur []text.Token
	flush := func() {
		if len(cur) == 0 {
			return
		}
		start, end := cur[0].Start, cur[len(cur)-1].End
		w := s[start:end]
		next, _ := utf8.DecodeRuneInString(s[end:])
		if cur[0].Script == text.Kanji && utf8.RuneCountInString(w) == 1 && end < len(s) && text.Okurigana(next) {
			w += string(next)
		}
		out = append(out, w)
		cur = nil
	}
	for _, tok := range text.Tokens(s) {
		if tok.Stop || tok.Script == text.Hiragana && afterKanji(s, tok.Start) {
			flush()
			continue
		}
		if len(cur) > 0 && tok.Script != text.Latin && tok.Start < cur[len(cur)-1].End {
			cur = append(cur, tok)
			continue
		}
		flush()
		cur = append(cur, tok)
	}
	flush()
	return out
}

// afterKanji reports whether the hiragana run of s that holds the byte
// offset at follows a kanji: okurigana or an auxiliary (漏れ[やすい],
// 宇宙飛行士[になるには]).
func afterKanji(s string, at int) bool {
	for at > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:at])
		switch text.ScriptOf(r) {
		case text.Hiragana:
			at -= size
			continue
		case text.Kanji:
			return true
		}
		return false
	}
	return false
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func containsWord(ws []Word, s string) bool {
	for _, w := range ws {
		if w.Text == s {
			return true
		}
	}
	return false
}
