package text

import "unicode"

// Script is the kind of characters a run of text is written in.
type Script uint8

// The scripts Tokens tells apart.
const (
	Other    Script = iota // punctuation, symbols, space: separates tokens
	Latin                  // letters and digits of scripts written with spaces (latin, greek, cyrillic, hangul, ...)
	Kanji                  // Han ideographs and 々 〆
	Hiragana               // ひらがな
	Katakana               // カタカナ and the prolonged sound mark ー
)

// String names the script.
func (s Script) String() string {
	switch s {
	case Latin:
		return "latin"
	case Kanji:
		return "kanji"
	case Hiragana:
		return "hiragana"
	case Katakana:
		return "katakana"
	}
	return "other"
}

// scriptOf classifies r. Combining marks count as Other here; the
// tokeniser keeps them with the rune before.
func scriptOf(r rune) Script {
	switch {
	case r < 0x80:
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return Latin
		}
		return Other
	case 0x3041 <= r && r <= 0x3096: // the common cases first
		return Hiragana
	case 0x30A1 <= r && r <= 0x30FA && r != 'ヵ' && r != 'ヶ':
		return Katakana
	case 0x4E00 <= r && r <= 0x9FFF:
		return Kanji
	case r == 'ー' || r == 'ｰ' || r == 'ヽ' || r == 'ヾ':
		return Katakana
	case r == '々' || r == '〆' || r == 'ヶ' || r == 'ヵ':
		return Kanji
	case unicode.Is(unicode.Han, r):
		return Kanji
	case unicode.Is(unicode.Hiragana, r):
		return Hiragana
	case unicode.Is(unicode.Katakana, r):
		if r == '・' || r == '･' {
			return Other
		}
		return Katakana
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return Latin
	}
	return Other
}

// japanese reports whether r is written without spaces between words
// (kanji or kana).
func japanese(r rune) bool {
	s := scriptOf(r)
	return s == Kanji || s == Hiragana || s == Katakana
}

// spaced reports whether r is a letter or digit of a script written with
// spaces between words: a word of such letters must stand alone ("it" is
// not in "with").
func spaced(r rune) bool { return scriptOf(r) == Latin }

// isSeparator reports whether r joins the words of a name: "IT・Teams",
// "キャリア／異動" (NFKC makes "／" "/"), "A, B", "A、B", "A & B".
func isSeparator(r rune) bool {
	switch r {
	case '・', '･', '/', ',', '、', '&', '|':
		return true
	}
	return false
}

// ScriptOf returns the script Tokens counts r in (Other for combining
// marks, which it keeps with the character before).
func ScriptOf(r rune) Script { return scriptOf(r) }
