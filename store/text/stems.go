package text

import "unicode/utf8"

// KanaStems returns the stems of the inflected words in s, after
// Normalize: each kanji that hiragana follows, with that first hiragana
// character (漏れやすい -> 漏れ, 書き方 -> 書き, 申し込む -> 申し). Bigrams
// stop at a change of script, so without these a verb or adjective whose
// stem is one kanji and its okurigana has no term of its own: indexed
// beside Tokens, they let 漏れやすい find 情報漏れ. Start and End are byte
// offsets in Normalize(s); Pos is the stem's ordinal; Script is Kanji.
func KanaStems(s string) []Token { return kanaStems(Normalize(s)) }

func kanaStems(n string) []Token {
	var out []Token
	prev, prevAt := rune(0), 0
	for i, r := range n {
		if scriptOf(r) == Hiragana && prev != 0 && scriptOf(prev) == Kanji {
			end := i + utf8.RuneLen(r)
			out = append(out, Token{Text: n[prevAt:end], Script: Kanji, Start: prevAt, End: end, Pos: len(out)})
		}
		prev, prevAt = r, i
	}
	return out
}
