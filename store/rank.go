package store

import (
	"math"
	"sort"
	"sync"

	"github.com/soudan/soudan/store/text"
)

// corpus is what rank reads: the tip index in the file, or a few texts
// in memory (RankDocs).
type corpus interface {
	stats() (docs, avgLen float64)
	// scale is the units of a term's frequency per unit of field weight
	// (BM25's k1 is scaled by it).
	scale() float64
	// maxID is the largest document id there may be.
	maxID() uint64
	// count returns how many documents have term.
	count(term string) int
	// appendPostings appends the documents that have term to dst, in id
	// order.
	appendPostings(dst []post, term string) []post
	// lookup returns the posting of term in document id, if it has one.
	lookup(id uint64, term string) (post, bool)
	// peaks returns (frequency, length) pairs of which one beats or
	// equals every posting of term in both (tipstats.go); none when
	// unknown.
	peaks(term string) []post
	// fields returns the texts of a document and the factor its score is
	// multiplied by (a prior such as helpful votes), at most maxBoost.
	fields(id uint64) ([]string, float64, error)
	maxBoost() float64
}

// ranked is one document rank found.
type ranked struct {
	id      uint64
	score   float64
	terms   []string
	matched int // the query's words it matched that count (coverage)
}

// coverage is how much of a query a document matched: of the words that
// count (light words count only in a query of light words alone), how
// many, and how many of those are not generic (tipquery.go). Where a
// bound is known but not which words, content is matched: as much as it
// can be.
type coverage struct {
	matched, of int
	content     int
}

// candidate is a document that may be a hit, with its score's upper bound:
// exact (the bound rank sums from the postings, see rank), or loose (the
// terms set aside counted at their ceilings, see rankprune.go).
type candidate struct {
	id    uint64
	bound float64
	loose bool
}

// byBound is a max-heap of candidates by their upper bound.
type byBound []candidate

func (h byBound) Len() int { return len(h) }
func (h byBound) Less(i, j int) bool {
	if h[i].bound != h[j].bound {
		return h[i].bound > h[j].bound
	}
	if h[i].loose != h[j].loose {
		return h[i].loose // made exact before an exact bound as high is checked
	}
	return h[i].id < h[j].id
}
func (h byBound) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *byBound) Push(x any)   { *h = append(*h, x.(candidate)) }
func (h *byBound) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// scratch is rank's per-document accumulators, indexed by document id,
// kept zero between uses and pooled, so that a search allocates nothing in
// proportion to the corpus.
type scratch struct {
	acc, best, bound []float64
	have, matched    []uint8
	// The lists of documents touched and the candidates, kept for their
	// capacity.
	all, wordTouched, altTouched []uint64
	cands                        byBound
}

var scratchPool sync.Pool

func getScratch(size int) *scratch {
	s, _ := scratchPool.Get().(*scratch)
	if s == nil || len(s.acc) < size {
		size = max(size, 1024) * 5 / 4
		s = &scratch{acc: make([]float64, size), best: make([]float64, size), bound: make([]float64, size),
			have: make([]uint8, size), matched: make([]uint8, size)}
	}
	return s
}

// ranker is one run of rank.
type ranker struct {
	c         corpus
	docs, avg float64
	k1        float64 // bm25K1, scaled to the corpus's units
	cache     map[string][]post
	dfs       map[string]int
	// viaPostings looks a document's terms up in the decoded postings
	// instead of asking the corpus (the exhaustive search of the tests).
	viaPostings bool
}

func newRanker(c corpus) *ranker {
	r := &ranker{c: c, cache: map[string][]post{}, dfs: map[string]int{}}
	r.docs, r.avg = c.stats()
	r.k1 = bm25K1 * c.scale()
	return r
}

func (r *ranker) postings(term string) []post {
	p, ok := r.cache[term]
	if !ok {
		p = r.c.appendPostings(nil, term)
		r.cache[term] = p
	}
	return p
}

// df is how many documents have term.
func (r *ranker) df(term string) int {
	n, ok := r.dfs[term]
	if !ok {
		n = r.c.count(term)
		r.dfs[term] = n
	}
	return n
}

// lookup returns the posting of term in document id, if it has one.
// A term whose postings were read is looked up in them; the corpus is
// asked only for those set aside.
func (r *ranker) lookup(id uint64, term string) (post, bool) {
	ps, ok := r.cache[term]
	if !ok && !r.viaPostings {
		return r.c.lookup(id, term)
	}
	if !ok {
		ps = r.postings(term)
	}
	i := sort.Search(len(ps), func(i int) bool { return ps[i].id >= id })
	if i < len(ps) && ps[i].id == id {
		return ps[i], true
	}
	return post{}, false
}

// idf is the BM25 inverse document frequency of a term in df documents.
func (r *ranker) idf(df int) float64 {
	return math.Log(1 + (r.docs-float64(df)+0.5)/(float64(df)+0.5))
}

// bm25 is the score of one posting of a term of inverse frequency idf.
func (r *ranker) bm25(idf float64, p post) float64 {
	tf := float64(p.tf)
	return idf * tf * (bm25K1 + 1) / (tf + r.k1*(1-bm25B+bm25B*float64(p.dl)/r.avg))
}

// altScore is alternative a's score in document id (the mean of its
// terms' scores, times its weight) and how many of its terms id has.
func (r *ranker) altScore(a alt, id uint64) (float64, int) {
	scale := a.weight / float64(len(a.tokens))
	var s float64
	have := 0
	for _, term := range a.tokens {
		if p, ok := r.lookup(id, term); ok {
			s += scale * r.bm25(r.idf(r.df(term)), p)
			have++
		}
	}
	return s, have
}

// check scores document id exactly: each word its best alternative found
// in the fields (or half its own score for half its terms), then accept
// and the boost.
func (r *ranker) check(id uint64, words []queryWord, matchers map[string]*text.Matcher, counts func(queryWord) bool, of int,
	accept func(coverage, float64) bool) (ranked, bool, error) {
	// The fields are read and normalised only when a word needs checking
	// in them.
	var fields []text.Prepared
	prepare := func() error {
		if fields != nil {
			return nil
		}
		fs, _, err := r.c.fields(id)
		for _, f := range fs {
			fields = append(fields, text.Prepare(f))
		}
		return err
	}
	var score float64
	var terms []string
	cov := coverage{of: of}
	for _, w := range words {
		ws, wterm := 0.0, ""
		for _, a := range w.alts {
			as, have := r.altScore(a, id)
			if have != len(a.tokens) || as <= ws {
				continue
			}
			if m := matchers[a.text]; m != nil {
				if err := prepare(); err != nil {
					return ranked{}, false, err
				}
				if !found(m, fields) {
					continue
				}
			}
			ws, wterm = as, a.text
		}
		if wterm == "" {
			// A long word not found whole earns half the score of the
			// terms it shares with the document.
			main := w.alts[0]
			as, have := r.altScore(main, id)
			if len(main.tokens) < partialMinToks || 2*have < len(main.tokens) {
				continue
			}
			ws = as / 2
			for _, term := range main.tokens {
				if s, _ := r.altScore(alt{tokens: []string{term}, weight: 1}, id); s > 0 && !contains(terms, term) {
					terms = append(terms, term)
				}
			}
		} else {
			terms = append(terms, wterm)
		}
		score += ws
		if counts(w) {
			cov.matched++
			if !w.generic {
				cov.content++
			}
		}
	}
	if !accept(cov, score) {
		return ranked{}, false, nil
	}
	_, boost, err := r.c.fields(id)
	if err != nil {
		return ranked{}, false, err
	}
	return ranked{id: id, score: score * boost, terms: terms, matched: cov.matched}, true, nil
}
