package text

import (
	"unicode"
	"unicode/utf8"
)

// Token is one search term of a text.
type Token struct {
	Text   string // normalised, never empty: a latin word, or one or two characters of a Japanese run
	Script Script // the script of the run it came from
	Start  int    // byte offset of Text in Normalize(s)
	End    int    // byte offset just after Text in Normalize(s)
	Pos    int    // ordinal of the token in the text, from 0
	Stop   bool   // IsStopWord(Text): callers usually skip it
}

// Tokens splits s, after Normalize, into search terms:
//
//   - Latin letters and digits form words at word boundaries, lowercased:
//     "Teams", "win11", "3.14". A word keeps an inner "-", ".", "'", "_"
//     or "’" between letters ("e-mail", "node.js", "don't") and a trailing
//     "+" or "#" ("c++", "c#").
//   - Japanese, written without spaces, is cut into runs by script
//     (kanji, hiragana, katakana; latin and digits as above). A kanji or
//     katakana run is content: it yields its character bigrams
//     ("画面共有" -> 画面 面共 共有), or the character itself when the run
//     is one character long ("悩").
//   - Hiragana runs are mostly particles and okurigana: a one-character run
//     ("の") or a run that is a stop word ("です", "について") yields
//     nothing; a longer run yields bigrams marked Script Hiragana, so an
//     index can weight them down or skip them.
//   - Everything else (space, punctuation, symbols) separates tokens.
//
// Bigrams find a word inside a longer one, which is both their strength
// (no dictionary needed) and their trap: the query 京都 matches the text
// 東京都 (東京 京都). Rank by more than one bigram, or check the match
// (Matcher does, against longer names) where that matters.
//
// Stop words stay in the result, marked Stop, so positions stay true.
func Tokens(s string) []Token { return tokens(Normalize(s)) }

// tokens is Tokens of the normalised n.
func tokens(n string) []Token {
	var out []Token
	add := func(tok string, sc Script, start int) {
		out = append(out, Token{Text: tok, Script: sc, Start: start, End: start + len(tok), Pos: len(out), Stop: stopWords[tok]})
	}
	for _, r := range runs(n) {
		w := n[r.start:r.end]
		switch r.script {
		case Latin:
			add(w, Latin, r.start)
			continue
		case Hiragana:
			if utf8.RuneCountInString(w) < 2 || stopWords[w] {
				continue
			}
		}
		// Bigrams of a Japanese run, or its single character.
		i := r.start
		_, first := utf8.DecodeRuneInString(n[i:])
		if i+first >= r.end {
			add(w, r.script, i)
			continue
		}
		for i+first < r.end {
			_, second := utf8.DecodeRuneInString(n[i+first:])
			add(n[i:i+first+second], r.script, i)
			i += first
			first = second
		}
	}
	return out
}

// run is a maximal stretch of one script in a normalised text, or a latin
// word.
type run struct {
	start, end int
	script     Script
}

// runs cuts the normalised n into latin words and Japanese script runs;
// what separates them is left out.
func runs(n string) []run {
	var out []run
	for i := 0; i < len(n); {
		r, size := utf8.DecodeRuneInString(n[i:])
		sc := scriptOf(r)
		if sc == Other {
			i += size
			continue
		}
		j := i + size
		if sc == Latin {
			j = wordEnd(n, j)
		} else {
			for j < len(n) {
				r2, s2 := utf8.DecodeRuneInString(n[j:])
				if scriptOf(r2) != sc && !mark(r2) {
					break
				}
				j += s2
			}
		}
		out = append(out, run{start: i, end: j, script: sc})
		i = j
	}
	return out
}

// wordEnd returns the end of the latin word in n that continues at j.
func wordEnd(n string, j int) int {
	for j < len(n) {
		r, size := utf8.DecodeRuneInString(n[j:])
		switch {
		case scriptOf(r) == Latin || mark(r):
			j += size
			continue
		case r == '-' || r == '.' || r == '\'' || r == '_' || r == '’':
			if next, _ := utf8.DecodeRuneInString(n[j+size:]); j+size < len(n) && scriptOf(next) == Latin {
				j += size
				continue
			}
		case r == '+' || r == '#':
			k := j
			for k < len(n) && (n[k] == '+' || n[k] == '#') {
				k++
			}
			if next, _ := utf8.DecodeRuneInString(n[k:]); k == len(n) || !spaced(next) {
				return k
			}
		}
		return j
	}
	return j
}

// mark reports whether r is a combining mark, which belongs to the
// character before it.
func mark(r rune) bool { return r >= 0x300 && unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me) }
