package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Normalize returns the matching form of s: invalid UTF-8 replaced by
// U+FFFD, invisible characters removed (format characters such as U+200B
// zero width space, U+FEFF, U+2060 and the bidi controls U+202A..U+202E and
// U+2066..U+2069, variation selectors, other default-ignorable code
// points), other control characters turned into spaces, NFKC applied
// ("ＩＴ" -> "IT", "ｶﾀｶﾅ" -> "カタカナ", "１２" -> "12", U+3000 -> " "),
// case-folded ("IT" -> "it", "Straße" -> "strasse"), every run of white
// space collapsed to one ASCII space, and trimmed. It is idempotent:
// Normalize(Normalize(s)) == Normalize(s).
func Normalize(s string) string { return normalize(s, true) }

// normalize is Normalize, case folding only when fold is set. The unfolded
// form keeps the capitals the matcher uses to tell "IT" from "it".
func normalize(s string, fold bool) string {
	if asciiSimple(s) {
		return collapse(s, fold)
	}
	s = strings.Map(clean, strings.ToValidUTF8(s, "\uFFFD"))
	s = norm.NFKC.String(s)
	if fold {
		// x/text folds Cherokee to lower case but back to upper case the
		// second time (Ꮀ -> ꮀ -> Ꮀ); lowering after folding keeps
		// Normalize idempotent.
		s = norm.NFKC.String(strings.ToLower(cases.Fold().String(s)))
	}
	// NFKC and folding rarely yield an invisible character; drop it too.
	s = strings.Map(clean, s)
	return strings.Join(strings.Fields(s), " ")
}

// clean drops invisible characters and turns control characters other
// than white space into spaces.
func clean(r rune) rune {
	switch {
	case r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r':
		return ' '
	case unicode.IsControl(r):
		return ' '
	case invisible(r):
		return -1
	}
	return r
}

// invisible reports whether r is a format character or another default
// ignorable code point: it changes how text looks (or nothing) but not
// what it says, and it hides words from a matcher ("I\u200bT").
func invisible(r rune) bool {
	if r < 0xAD || 0x3000 <= r && r < 0xFE00 { // none in kana and kanji
		return false
	}
	return unicode.Is(unicode.Cf, r) ||
		unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

// asciiSimple reports whether s is printable ASCII and white space only,
// the common case that NFKC, folding and cleaning leave unchanged but for
// case.
func asciiSimple(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || (c < ' ' && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			return false
		}
	}
	return true
}

// collapse lowers (when fold is set) and collapses the white space of
// ASCII s.
func collapse(s string, fold bool) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if fold && 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Fold returns the key form of a name: Normalize(s) without spaces and
// without the separators people put between the words of a name ("・",
// "/", ",", "、", "-", "_", ".", "·", "‐"). "IT・Teams", "it teams" and
// "ＩＴ／Ｔｅａｍｓ" all fold to "itteams"; "総務 課" and "総務課" to "総務課".
// Use it to compare names (SameName), not to search running text.
func Fold(s string) string {
	s = strings.Map(func(r rune) rune {
		if isSeparator(r) || r == ' ' || r == '-' || r == '_' || r == '.' || r == '·' || r == '‐' {
			return -1
		}
		return r
	}, Normalize(s))
	// Removing a separator can bring a base letter next to a combining
	// mark that composes with it; compose again so Fold is idempotent.
	return norm.NFKC.String(s)
}

// SameName reports whether a and b name the same thing once width, case,
// spacing and separators are ignored (Fold(a) == Fold(b)): "総務課" and
// "総務 課", "ＩＴ" and "it". Empty names are never the same.
func SameName(a, b string) bool {
	fa := Fold(a)
	return fa != "" && fa == Fold(b)
}
