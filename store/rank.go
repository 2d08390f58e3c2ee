package store

import (
	"math"
	"slices"
	"sort"

	"github.com/soudan/soudan/store/text"
)

// corpus is what rank reads: the tip index in the file, or a few texts
// in memory (RankDocs).
type corpus interface {
	stats() (docs, avgLen float64)
	docLen(id uint64) float64
	postings(term string) posting
	// fields returns the texts of a document and the factor its score is
	// multiplied by (a prior such as helpful votes), at most maxBoost.
	fields(id uint64) ([]string, float64, error)
	maxBoost() float64
}

// ranked is one document rank found.
type ranked struct {
	id    uint64
	score float64
	terms []string
}

// coverage is how much of a query a document matched: of the words that
// count (light words count only in a query of light words alone), how
// many.
type coverage struct {
	matched, of int
}

// rank scores the documents of c against the query words with BM25 (see
// the comment on search in tipsearch.go) and returns the best n that
// accept takes (given its coverage and its score before the boost), best
// first.
func rank(c corpus, words []queryWord, n int, accept func(cov coverage, score float64) bool) ([]ranked, error) {
	counts := func(w queryWord) bool { return !w.light }
	if !slices.ContainsFunc(words, counts) {
		counts = func(queryWord) bool { return true }
	}
	var all coverage
	for _, w := range words {
		if counts(w) {
			all.of++
		}
	}
	docs, avg := c.stats()
	dlen := map[uint64]float64{}
	dl := func(id uint64) float64 {
		l, ok := dlen[id]
		if !ok {
			l = c.docLen(id)
			dlen[id] = l
		}
		return l
	}
	// altScores are one alternative's scores in the documents that have
	// some of its terms.
	type altScores struct {
		perDoc map[uint64]float64 // sum over the terms the doc has, scaled to the word
		have   map[uint64]int     // how many of the terms the doc has
	}
	scores := make([][]altScores, len(words))
	cand := map[uint64]float64{} // upper bound of each candidate's score
	cache := map[string]posting{}
	for wi, w := range words {
		scores[wi] = make([]altScores, len(w.alts))
		best := map[uint64]float64{}
		for ai, a := range w.alts {
			as := altScores{perDoc: map[uint64]float64{}, have: map[uint64]int{}}
			// A word scores the mean of its terms' scores, so that a word
			// of many bigrams counts as much as a latin word, and an
			// alternative its weight times that.
			scale := a.weight / float64(len(a.tokens))
			for _, term := range a.tokens {
				p, ok := cache[term]
				if !ok {
					p = c.postings(term)
					cache[term] = p
				}
				df := float64(len(p))
				idf := math.Log(1 + (docs-df+0.5)/(df+0.5))
				for id, f := range p {
					tf := float64(f)
					as.perDoc[id] += scale * idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*dl(id)/avg))
					as.have[id]++
				}
			}
			for id, sc := range as.perDoc {
				best[id] = math.Max(best[id], sc)
			}
			scores[wi][ai] = as
		}
		for id, sc := range best {
			cand[id] += sc
		}
	}
	ids := make([]uint64, 0, len(cand))
	for id := range cand {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if cand[ids[i]] != cand[ids[j]] {
			return cand[ids[i]] > cand[ids[j]]
		}
		return ids[i] < ids[j]
	})
	matchers := map[string]*text.Matcher{}
	var hits []ranked
	for _, id := range ids {
		// Scores only fall on checking; once the upper bound of the next
		// candidate is below the n-th hit, stop.
		if len(hits) >= n && cand[id]*c.maxBoost() < hits[n-1].score {
			break
		}
		fields, boost, err := c.fields(id)
		if err != nil {
			return nil, err
		}
		var score float64
		var terms []string
		cov := coverage{of: all.of}
		match := func(wi int) {
			if counts(words[wi]) {
				cov.matched++
			}
		}
		for wi, w := range words {
			ws, wterm := 0.0, ""
			for ai, a := range w.alts {
				as := scores[wi][ai]
				if as.have[id] != len(a.tokens) || as.perDoc[id] <= ws {
					continue
				}
				m := matchers[a.text]
				if m == nil {
					m = wordMatcher(a.text)
					matchers[a.text] = m
				}
				if found(m, fields) {
					ws, wterm = as.perDoc[id], a.text
				}
			}
			if wterm != "" {
				score += ws
				terms = append(terms, wterm)
				match(wi)
				continue
			}
			// A long word not found whole earns half the score of the
			// terms it shares with the document.
			main, as := w.alts[0], scores[wi][0]
			if have := as.have[id]; len(main.tokens) >= partialMinToks && 2*have >= len(main.tokens) {
				score += as.perDoc[id] / 2
				match(wi)
				for _, term := range main.tokens {
					if _, ok := cache[term][id]; ok && !contains(terms, term) {
						terms = append(terms, term)
					}
				}
			}
		}
		if !accept(cov, score) {
			continue
		}
		hits = append(hits, ranked{id: id, score: score * boost, terms: terms})
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].score > hits[j].score })
	}
	if len(hits) > n {
		hits = hits[:n]
	}
	return hits, nil
}
