package text

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Entry is one thing a Matcher can find: a topic, a department, a
// command. Names holds its name and aliases, in any width or case.
type Entry struct {
	ID    uint64
	Names []string
}

// Match is an entry found in a text.
type Match struct {
	ID    uint64 // Entry.ID
	Term  string // the longest of the entry's normalised names, aliases or name words found
	Count int    // how many of the entry's distinct terms were found
}

// Matcher finds the entries whose names appear in a text. It is built
// once (names normalised, split into words) and is safe for concurrent
// use.
//
// The rules:
//
//   - Every name and alias is a term, normalised, if it has a letter or
//     digit (a name of punctuation alone would match any text). A name that joins words
//     with "・", "/" ("／"), ",", "、", "&", "|" or spaces also has each word
//     of two or more characters as a term, except Japanese stop words:
//     "IT・Teams" is found by "Teams" and by "IT".
//   - A term is found in the normalised text; an end of the term that is a
//     latin letter or digit must meet a word boundary ("teams" in
//     "Teamsで", not "it" in "with"); Japanese ends match anywhere, so
//     キャリア is in キャリアパスに悩んでいます.
//   - A term that is an English stop word ("it", "on", "or") is found only
//     where the text uses it as a name: next to Japanese ("ITの相談",
//     "社内ITについて") or in capitals in a text that is not all shouting
//     ("IT support for my laptop"); never in running English ("Is it
//     normal...?"). See ContainsWord.
//   - An occurrence inside a longer occurrence of another entry's term
//     does not count: with both 京都 and 東京都 as entries, "東京都" finds
//     only 東京都 (with only 京都, it still finds 京都: the bigram trap).
//   - Results rank by the length of the longest term found (in
//     characters), then by how many terms were found, then by entry order.
type Matcher struct {
	terms []term
	n     int      // number of entries
	ids   []uint64 // entry index -> ID
}

// term is one normalised name, alias or name word of an entry.
type term struct {
	text  string
	entry int
	runes int
	stop  bool // an English stop word: see doc.eligible
}

// NewMatcher builds a Matcher for entries, in order of preference for
// ties.
func NewMatcher(entries []Entry) *Matcher {
	m := &Matcher{n: len(entries), ids: make([]uint64, len(entries))}
	for e, en := range entries {
		m.ids[e] = en.ID
		seen := make(map[string]bool)
		add := func(t string) {
			if !strings.ContainsFunc(t, func(r rune) bool { return scriptOf(r) != Other }) || seen[t] {
				return
			}
			seen[t] = true
			m.terms = append(m.terms, term{text: t, entry: e, runes: utf8.RuneCountInString(t), stop: isLatinStop(t)})
		}
		for _, name := range en.Names {
			n := Normalize(name)
			add(n)
			parts := strings.FieldsFunc(n, func(r rune) bool { return r == ' ' || isSeparator(r) })
			if len(parts) < 2 {
				continue
			}
			for _, p := range parts {
				if r, _ := utf8.DecodeRuneInString(p); utf8.RuneCountInString(p) < 2 || stopWords[p] && !spaced(r) {
					continue
				}
				add(p)
			}
		}
	}
	return m
}

// occurrence is where a term was found, as a byte span of the
// normalised text.
type occurrence struct {
	start, end int
	term       int // index in Matcher.terms
}

// Match returns the entries found in text, best first (see Matcher).
func (m *Matcher) Match(text string) []Match { return m.match(newDoc(text)) }

// Prepared is a text normalised once, to be matched by many Matchers.
type Prepared struct{ d *doc }

// Prepare normalises text for MatchPrepared.
func Prepare(text string) Prepared { return Prepared{newDoc(text)} }

// MatchPrepared is Match of the text p was prepared from.
func (m *Matcher) MatchPrepared(p Prepared) []Match { return m.match(p.d) }

func (m *Matcher) match(d *doc) []Match {
	var occ []occurrence
	found := make([]bool, len(m.terms))
	for i, t := range m.terms {
		if t.stop {
			found[i] = d.eligible(t.text)
			continue
		}
		for _, at := range occurrences(d.n, t.text, -1) {
			occ = append(occ, occurrence{start: at, end: at + len(t.text), term: i})
		}
	}
	m.unshadowed(occ, found)

	best := make([]Match, m.n)
	runes := make([]int, m.n)
	for i, t := range m.terms {
		if !found[i] {
			continue
		}
		b := &best[t.entry]
		b.Count++
		if t.runes > runes[t.entry] {
			b.Term, runes[t.entry] = t.text, t.runes
		}
	}
	var out []Match
	var order []int
	for e := range best {
		if best[e].Count > 0 {
			best[e].ID = m.ids[e]
			order = append(order, e)
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if runes[a] != runes[b] {
			return runes[a] > runes[b]
		}
		return best[a].Count > best[b].Count
	})
	for _, e := range order {
		out = append(out, best[e])
	}
	return out
}

// Best returns the best entry found in text, if any.
func (m *Matcher) Best(text string) (Match, bool) {
	ms := m.Match(text)
	if len(ms) == 0 {
		return Match{}, false
	}
	return ms[0], true
}

// unshadowed marks found the terms with an occurrence that no occurrence
// of another entry's term strictly contains. One sweep in order of start
// (longest first) keeps the widest-reaching earlier occurrence of the two
// best entries, enough to know whether some other entry's reaches over.
func (m *Matcher) unshadowed(occ []occurrence, found []bool) {
	sort.Slice(occ, func(i, j int) bool {
		if occ[i].start != occ[j].start {
			return occ[i].start < occ[j].start
		}
		if occ[i].end != occ[j].end {
			return occ[i].end > occ[j].end
		}
		return occ[i].term < occ[j].term
	})
	// top[0] reaches furthest; top[1] reaches furthest among the other
	// entries. An entry of -1 means none yet.
	top := [2]occurrence{{end: -1, term: -1}, {end: -1, term: -1}}
	entry := func(o occurrence) int {
		if o.term < 0 {
			return -1
		}
		return m.terms[o.term].entry
	}
	for _, o := range occ {
		e := m.terms[o.term].entry
		c := top[0]
		if entry(c) == e {
			c = top[1]
		}
		if !(entry(c) >= 0 && (c.end > o.end || c.end == o.end && c.start < o.start)) {
			found[o.term] = true
		}
		switch {
		case o.end > top[0].end:
			if entry(top[0]) != e {
				top[1] = top[0]
			}
			top[0] = o
		case entry(top[0]) != e && o.end > top[1].end:
			top[1] = o
		}
	}
}
