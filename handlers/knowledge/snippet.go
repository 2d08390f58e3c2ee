package knowledge

import (
	"strings"
	"unicode"

	"github.com/soudan/soudan/store/text"
)

// snippetRunes is the length of a search result's snippet.
const snippetRunes = 80

// Snippet returns about width runes of s, on one line, around the first of
// terms it contains (normalised, as store.TipHit.Terms), with every
// occurrence of a term in it marked *like this*. Terms are found in
// Normalize(s) (any width or case) and marked in s as written.
func Snippet(s string, terms []string, width int) string {
	rs := []rune(strings.Join(strings.Fields(s), " "))
	// norm is the normalised text rune by rune; at[i] is the rune of rs
	// that norm's byte i came from.
	var norm strings.Builder
	var at []int
	for i, r := range rs {
		n := " "
		if !unicode.IsSpace(r) {
			n = text.Normalize(string(r))
		}
		norm.WriteString(n)
		for range len(n) {
			at = append(at, i)
		}
	}
	ns := norm.String()
	// marks[i] is true for runes of rs inside an occurrence of a term.
	marks := make([]bool, len(rs)+1)
	first := -1
	for _, t := range terms {
		if t == "" {
			continue
		}
		for off := 0; ; {
			j := strings.Index(ns[off:], t)
			if j < 0 {
				break
			}
			start, end := at[off+j], at[off+j+len(t)-1]
			for k := start; k <= end; k++ {
				marks[k] = true
			}
			if first < 0 || start < first {
				first = start
			}
			off += j + len(t)
		}
	}
	from := 0
	if first > width/3 {
		from = first - width/3
	}
	to := min(len(rs), from+width)
	if to-from < width {
		from = max(0, to-width)
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	for i := from; i < to; i++ {
		if marks[i] && (i == from || !marks[i-1]) {
			b.WriteByte('*')
		}
		b.WriteRune(rs[i])
		if marks[i] && !marks[i+1] || marks[i] && i == to-1 {
			b.WriteByte('*')
		}
	}
	if to < len(rs) {
		b.WriteString("…")
	}
	return b.String()
}
