package text

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// Synonyms is a dictionary of synonym groups: words and phrases that name
// one thing (在宅勤務, テレワーク, telework, remote work), including spelling
// variants (子供, 子ども, こども). Entries are kept normalised; a word may
// be in several groups. A Synonyms is read-only once built and safe for
// concurrent use.
type Synonyms struct {
	groups   [][]string
	byWord   map[string][]int
	maxRunes int
}

// Limits of a synonym entry.
const (
	// MinSynonymRunes is the shortest entry, in characters: one kanji or
	// letter says too little to stand for another word.
	MinSynonymRunes = 2
	// MaxSynonymRunes is the longest entry, in characters.
	MaxSynonymRunes = 30
)

// NewSynonyms builds a dictionary from groups of words in any width or
// case. Entries that normalise to fewer than MinSynonymRunes or more than
// MaxSynonymRunes characters, or to no letter or digit, are left out, and
// so is a group left with fewer than two distinct entries.
func NewSynonyms(groups [][]string) *Synonyms {
	s := &Synonyms{byWord: map[string][]int{}}
	for _, g := range groups {
		var clean []string
		for _, w := range g {
			n := Normalize(w)
			if SynonymEntryOK(n) != nil || contains(clean, n) {
				continue
			}
			clean = append(clean, n)
		}
		if len(clean) < 2 {
			continue
		}
		gi := len(s.groups)
		s.groups = append(s.groups, clean)
		for _, w := range clean {
			s.byWord[w] = append(s.byWord[w], gi)
			s.maxRunes = max(s.maxRunes, utf8.RuneCountInString(w))
		}
	}
	return s
}

// SynonymEntryOK checks one entry: nil when Normalize(w) is between
// MinSynonymRunes and MaxSynonymRunes characters and has a letter or digit.
func SynonymEntryOK(w string) error {
	n := Normalize(w)
	switch c := utf8.RuneCountInString(n); {
	case c < MinSynonymRunes:
		return fmt.Errorf("synonym %q: at least %d characters", w, MinSynonymRunes)
	case c > MaxSynonymRunes:
		return fmt.Errorf("synonym %q: at most %d characters", w, MaxSynonymRunes)
	case !strings.ContainsFunc(n, func(r rune) bool { return scriptOf(r) != Other }):
		return fmt.Errorf("synonym %q: no letter or digit", w)
	}
	return nil
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// Groups returns the dictionary's groups, normalised. The caller must not
// change them.
func (s *Synonyms) Groups() [][]string { return s.groups }

// Len is the number of groups.
func (s *Synonyms) Len() int { return len(s.groups) }

// Has reports whether word, once normalised, is an entry.
func (s *Synonyms) Has(word string) bool { return len(s.byWord[Normalize(word)]) > 0 }

// Of returns the other entries of every group that word (normalised) is
// in, each once, in dictionary order; nil when it has none.
func (s *Synonyms) Of(word string) []string {
	n := Normalize(word)
	var out []string
	for _, gi := range s.byWord[n] {
		for _, w := range s.groups[gi] {
			if w != n && !contains(out, w) {
				out = append(out, w)
			}
		}
	}
	return out
}

// Span is an entry of a dictionary found in a normalised text: n[Start:End].
type Span struct {
	Start, End int
}

// Segment finds the dictionary's entries in the normalised n, left to
// right, the longest at each place, without overlaps. A latin end of an
// entry must meet a word boundary ("pc" is not in "pcr"), and so must a
// katakana end inside katakana (ネット is not in インターネット); other
// Japanese ends match anywhere, as Japanese has no spaces. Entries of one latin word are
// left to the caller's word splitting, so only phrases and Japanese
// entries are found here.
func (s *Synonyms) Segment(n string) []Span {
	var out []Span
	for i := 0; i < len(n); {
		r, size := utf8.DecodeRuneInString(n[i:])
		if scriptOf(r) == Other {
			i += size
			continue
		}
		end := s.longestAt(n, i)
		if end < 0 {
			if spaced(r) { // skip the rest of a latin word
				i = wordEnd(n, i+size)
				continue
			}
			i += size
			continue
		}
		out = append(out, Span{Start: i, End: end})
		i = end
	}
	return out
}

// longestAt returns the end of the longest entry at n[i:], or -1.
func (s *Synonyms) longestAt(n string, i int) int {
	// Ends of up to maxRunes characters from i.
	var ends []int
	for j, c := i, 0; j < len(n) && c < s.maxRunes; c++ {
		_, size := utf8.DecodeRuneInString(n[j:])
		j += size
		ends = append(ends, j)
	}
	for k := len(ends) - 1; k >= MinSynonymRunes-1; k-- {
		w := n[i:ends[k]]
		if len(s.byWord[w]) == 0 || !boundary(n, i, ends[k], w) || !kanaBoundary(n, i, ends[k]) {
			continue
		}
		if first, _ := utf8.DecodeRuneInString(w); spaced(first) && !strings.Contains(w, " ") {
			continue // a single latin word: the caller's word splitting finds it
		}
		return ends[k]
	}
	return -1
}

// kanaBoundary reports whether n[start:end] neither starts nor ends inside
// a katakana run: a loanword is one word however long (ネット is not in
// インターネット), as a latin word is.
func kanaBoundary(n string, start, end int) bool {
	first, _ := utf8.DecodeRuneInString(n[start:])
	last, _ := utf8.DecodeLastRuneInString(n[:end])
	before, _ := utf8.DecodeLastRuneInString(n[:start])
	after, _ := utf8.DecodeRuneInString(n[end:])
	if start > 0 && scriptOf(first) == Katakana && scriptOf(before) == Katakana {
		return false
	}
	return !(end < len(n) && scriptOf(last) == Katakana && scriptOf(after) == Katakana)
}

// ParseSynonyms reads a synonym file: one group per line, its entries
// separated by commas ("在宅勤務, テレワーク, telework, remote work");
// blank lines and lines starting with "#" are skipped, and so is an
// entry's leading or trailing space. A line with fewer than two entries,
// or an entry SynonymEntryOK refuses, is an error naming its line.
func ParseSynonyms(r io.Reader) ([][]string, error) {
	var groups [][]string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<16)
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		var g []string
		for _, w := range strings.Split(l, ",") {
			w = strings.TrimSpace(w)
			if w == "" {
				continue
			}
			if err := SynonymEntryOK(w); err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			g = append(g, w)
		}
		if len(g) < 2 {
			return nil, fmt.Errorf("line %d: a group needs at least two entries", line)
		}
		groups = append(groups, g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read synonyms: %w", err)
	}
	return groups, nil
}

//go:embed synonyms.txt
var builtinFile string

var builtin = sync.OnceValue(func() [][]string {
	g, err := ParseSynonyms(strings.NewReader(builtinFile))
	if err != nil {
		panic("text: built-in synonyms.txt: " + err.Error())
	}
	return g
})

// BuiltinSynonyms returns the groups of soudan's own dictionary for the
// public service (synonyms.txt beside this file), as written.
func BuiltinSynonyms() [][]string { return builtin() }
