package text

import "unicode/utf8"

// KanaStems returns the stems of the inflected words in s, after
// Normalize: each kanji that hiragana other than a particle follows, with
// that first hiragana character (漏れやすい -> 漏れ, 書き方 -> 書き,
// 申し込む -> 申し; not 家で). Bigrams
// stop at a change of script, so without these a verb or adjective whose
// stem is one kanji and its okurigana has no term of its own: indexed
// beside Tokens, they let 漏れやすい find 情報漏れ. Start and End are byte
// offsets in Normalize(s); Pos is the stem's ordinal; Script is Kanji.
func KanaStems(s string) []Token { return kanaStems(Normalize(s)) }

func kanaStems(n string) []Token {
	var out []Token
	prev, prevAt := rune(0), 0
	for i, r := range n {
		if prev != 0 && scriptOf(prev) == Kanji && Okurigana(r) {
			end := i + utf8.RuneLen(r)
			out = append(out, Token{Text: n[prevAt:end], Script: Kanji, Start: prevAt, End: end, Pos: len(out)})
		}
		prev, prevAt = r, i
	}
	return out
}

// Okurigana reports whether r is hiragana that may end a stem: any but
// the one-character particles (の は が を に で と も へ や か ね よ な).
func Okurigana(r rune) bool {
	if scriptOf(r) != Hiragana {
		return false
	}
	switch r {
	case 'の', 'は', 'が', 'を', 'に', 'で', 'と', 'も', 'へ', 'や', 'か', 'ね', 'よ', 'な':
		return false
	}
	return true
}
