package store

import (
	"container/heap"
	"math"
	"slices"
	"sort"

	"github.com/soudan/soudan/store/text"
)

// corpus is what rank reads: the tip index in the file, or a few texts
// in memory (RankDocs).
type corpus interface {
	stats() (docs, avgLen float64)
	// postings returns the documents that have term, in id order.
	postings(term string) []post
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

// scored is a document's score for one alternative (or its upper bound for
// a word, or a query): the sum of its terms' scores, and how many of the
// terms it has.
type scored struct {
	id    uint64
	score float64
	have  int
}

// mergeScores merges two lists in id order, adding the scores (add) or
// keeping the larger (max).
func mergeScores(a, b []scored, add bool) []scored {
	out := make([]scored, 0, max(len(a), len(b)))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i].id < b[j].id:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j].id < a[i].id:
			out = append(out, b[j])
			j++
		default:
			s := a[i]
			if add {
				s.score += b[j].score
				s.have += b[j].have
			} else {
				s.score = math.Max(s.score, b[j].score)
			}
			out = append(out, s)
			i++
			j++
		}
	}
	return out
}

// find returns the entry of id in the list ss, in id order.
func find(ss []scored, id uint64) (scored, bool) {
	i := sort.Search(len(ss), func(i int) bool { return ss[i].id >= id })
	if i < len(ss) && ss[i].id == id {
		return ss[i], true
	}
	return scored{}, false
}

// byBound is a max-heap of candidates by their upper bound.
type byBound []scored

func (h byBound) Len() int { return len(h) }
func (h byBound) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score > h[j].score
	}
	return h[i].id < h[j].id
}
func (h byBound) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *byBound) Push(x any)   { *h = append(*h, x.(scored)) }
func (h *byBound) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// rank scores the documents of c against the query words with BM25 (see
// the comment on search in tipsearch.go) and returns the best n that
// accept takes (given its coverage and its score before the boost), best
// first. Postings are merged in id order; candidates are checked in the
// order of their upper bound until no unchecked one can make the best n.
func rank(c corpus, words []queryWord, n int, accept func(cov coverage, score float64) bool) ([]ranked, error) {
	counts := func(w queryWord) bool { return !w.light }
	if !slices.ContainsFunc(words, counts) {
		counts = func(queryWord) bool { return true }
	}
	of := 0
	for _, w := range words {
		if counts(w) {
			of++
		}
	}
	docs, avg := c.stats()
	cache := map[string][]post{}
	termScores := func(term string, scale float64) []scored {
		p, ok := cache[term]
		if !ok {
			p = c.postings(term)
			cache[term] = p
		}
		df := float64(len(p))
		idf := scale * math.Log(1+(docs-df+0.5)/(df+0.5))
		out := make([]scored, len(p))
		for i, q := range p {
			tf := float64(q.tf)
			out[i] = scored{id: q.id, have: 1, score: idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*float64(q.dl)/avg))}
		}
		return out
	}
	// alts[w][a] is alternative a of word w in every document that has
	// one of its terms; bound is the best score any document could reach.
	alts := make([][][]scored, len(words))
	var bound []scored
	for wi, w := range words {
		alts[wi] = make([][]scored, len(w.alts))
		var best []scored
		for ai, a := range w.alts {
			// A word scores the mean of its terms' scores, so that a word
			// of many bigrams counts as much as a latin word, and an
			// alternative its weight times that.
			scale := a.weight / float64(len(a.tokens))
			var as []scored
			for _, term := range a.tokens {
				as = mergeScores(as, termScores(term, scale), true)
			}
			alts[wi][ai] = as
			best = mergeScores(best, as, false)
		}
		for i := range best {
			best[i].have = 0
		}
		bound = mergeScores(bound, best, true)
	}
	h := byBound(bound)
	heap.Init(&h)
	matchers := map[string]*text.Matcher{}
	for _, w := range words {
		for _, a := range w.alts {
			if _, ok := matchers[a.text]; !ok {
				matchers[a.text] = wordMatcher(a)
			}
		}
	}
	var hits []ranked
	for h.Len() > 0 {
		cand := heap.Pop(&h).(scored)
		// Scores only fall on checking; once the upper bound of the next
		// candidate is below the n-th hit, stop.
		if len(hits) >= n && cand.score*c.maxBoost() < hits[n-1].score {
			break
		}
		id := cand.id
		// The fields are read and normalised only when a word needs
		// checking in them.
		var fields []text.Prepared
		prepare := func() error {
			if fields != nil {
				return nil
			}
			fs, _, err := c.fields(id)
			for _, f := range fs {
				fields = append(fields, text.Prepare(f))
			}
			return err
		}
		var score float64
		var terms []string
		cov := coverage{of: of}
		for wi, w := range words {
			ws, wterm := 0.0, ""
			for ai, a := range w.alts {
				as, ok := find(alts[wi][ai], id)
				if !ok || as.have != len(a.tokens) || as.score <= ws {
					continue
				}
				if m := matchers[a.text]; m != nil {
					if err := prepare(); err != nil {
						return nil, err
					}
					if !found(m, fields) {
						continue
					}
				}
				ws, wterm = as.score, a.text
			}
			if wterm == "" {
				// A long word not found whole earns half the score of the
				// terms it shares with the document.
				main := w.alts[0]
				as, _ := find(alts[wi][0], id)
				if len(main.tokens) < partialMinToks || 2*as.have < len(main.tokens) {
					continue
				}
				ws = as.score / 2
				for _, term := range main.tokens {
					if _, ok := find(termScores(term, 0), id); ok && !contains(terms, term) {
						terms = append(terms, term)
					}
				}
			} else {
				terms = append(terms, wterm)
			}
			score += ws
			if counts(w) {
				cov.matched++
			}
		}
		if !accept(cov, score) {
			continue
		}
		_, boost, err := c.fields(id)
		if err != nil {
			return nil, err
		}
		hits = append(hits, ranked{id: id, score: score * boost, terms: terms})
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].score > hits[j].score })
	}
	if len(hits) > n {
		hits = hits[:n]
	}
	return hits, nil
}
