// Package search is soudan's ranking and index code, apart from where the
// index is kept: BM25 over weighted fields with MaxScore-style pruning
// (Rank), the query parser with its synonyms and Japanese word rules
// (ParseQuery), the postings and term statistics codecs the store writes
// (codec.go), the terms of a document (Terms) and an in-memory corpus
// (MemCorpus). It reads postings through the Corpus interface, so the
// store serves them from its buckets and the tests from memory; it
// imports nothing of soudan's but store/text.
package search

import (
	"math"
	"sort"
	"sync"

	"github.com/soudan/soudan/store/text"
)

// BM25's parameters.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// partialMinToks is the least bigrams of a word that may match in part:
// a word of that many not found whole earns half the score of the terms
// it shares with a document.
const partialMinToks = 3

// Corpus is what Rank reads: the tip index in the store's file, or a few
// texts in memory (MemCorpus).
type Corpus interface {
	// Stats returns how many documents there are and their mean length.
	Stats() (docs, avgLen float64)
	// Scale is the units of a term's frequency per unit of field weight
	// (BM25's k1 is scaled by it).
	Scale() float64
	// MaxID is the largest document id there may be.
	MaxID() uint64
	// Count returns how many documents have term.
	Count(term string) int
	// AppendPostings appends the documents that have term to dst, in id
	// order.
	AppendPostings(dst []Posting, term string) []Posting
	// Lookup returns the posting of term in document id, if it has one.
	Lookup(id uint64, term string) (Posting, bool)
	// Peaks returns (frequency, length) pairs of which one beats or
	// equals every posting of term in both (RaisePeaks); none when
	// unknown.
	Peaks(term string) []Posting
	// Fields returns the texts of a document and the factor its score is
	// multiplied by (a prior such as helpful votes), at most MaxBoost.
	Fields(id uint64) ([]string, float64, error)
	MaxBoost() float64
}

// Posting is one document's posting of a term: its weighted frequency
// in the document and the document's weighted length.
type Posting struct {
	ID     uint64
	TF, DL uint32
}

// Hit is one document Rank found.
type Hit struct {
	ID    uint64
	Score float64
	// Terms are the words found, normalised: each matched word's best
	// alternative, or the terms a long word shares in part.
	Terms   []string
	Matched int // the query's words it matched that count (Coverage)
}

// Coverage is how much of a query a document matched: of the words that
// count (light words count only in a query of light words alone), how
// many, and how many of those are not generic (query.go). Where a
// bound is known but not which words, Content is Matched: as much as it
// can be.
type Coverage struct {
	Matched, Of int
	Content     int
}

// Accept is a search's rule for a hit, given its coverage and its score
// before the boost. It must take whatever it took with more words
// matched or a higher score.
type Accept func(cov Coverage, score float64) bool

// candidate is a document that may be a hit, with its score's upper bound:
// exact (the bound Rank sums from the postings, see Rank), or loose (the
// terms set aside counted at their ceilings, see prune.go).
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

// scratch is Rank's per-document accumulators, indexed by document id,
// kept zero between uses and pooled, so that a search allocates nothing in
// proportion to the Corpus.
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

// ranker is one run of Rank.
type ranker struct {
	c         Corpus
	docs, avg float64
	k1        float64 // bm25K1, scaled to the Corpus's units
	cache     map[string][]Posting
	dfs       map[string]int
	// viaPostings looks a document's terms up in the decoded postings
	// instead of asking the Corpus (the exhaustive search of the tests).
	viaPostings bool
}

func newRanker(c Corpus) *ranker {
	r := &ranker{c: c, cache: map[string][]Posting{}, dfs: map[string]int{}}
	r.docs, r.avg = c.Stats()
	r.k1 = bm25K1 * c.Scale()
	return r
}

func (r *ranker) postings(term string) []Posting {
	p, ok := r.cache[term]
	if !ok {
		p = r.c.AppendPostings(nil, term)
		r.cache[term] = p
	}
	return p
}

// df is how many documents have term.
func (r *ranker) df(term string) int {
	n, ok := r.dfs[term]
	if !ok {
		n = r.c.Count(term)
		r.dfs[term] = n
	}
	return n
}

// lookup returns the posting of term in document id, if it has one.
// A term whose postings were read is looked up in them; the Corpus is
// asked only for those set aside.
func (r *ranker) lookup(id uint64, term string) (Posting, bool) {
	ps, ok := r.cache[term]
	if !ok && !r.viaPostings {
		return r.c.Lookup(id, term)
	}
	if !ok {
		ps = r.postings(term)
	}
	i := sort.Search(len(ps), func(i int) bool { return ps[i].ID >= id })
	if i < len(ps) && ps[i].ID == id {
		return ps[i], true
	}
	return Posting{}, false
}

// idf is the BM25 inverse document frequency of a term in df documents.
func (r *ranker) idf(df int) float64 {
	return math.Log(1 + (r.docs-float64(df)+0.5)/(float64(df)+0.5))
}

// bm25 is the score of one posting of a term of inverse frequency idf.
func (r *ranker) bm25(idf float64, p Posting) float64 {
	tf := float64(p.TF)
	return idf * tf * (bm25K1 + 1) / (tf + r.k1*(1-bm25B+bm25B*float64(p.DL)/r.avg))
}

// altScore is alternative a's score in document id (the mean of its
// terms' scores, times its weight) and how many of its terms id has.
func (r *ranker) altScore(a Alt, id uint64) (float64, int) {
	scale := a.Weight / float64(len(a.Tokens))
	var s float64
	have := 0
	for _, term := range a.Tokens {
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
func (r *ranker) check(id uint64, words []Word, matchers map[string]*text.Matcher, counts func(Word) bool, of int,
	accept func(Coverage, float64) bool) (Hit, bool, error) {
	// The fields are read and normalised only when a word needs checking
	// in them.
	var fields []text.Prepared
	prepare := func() error {
		if fields != nil {
			return nil
		}
		fs, _, err := r.c.Fields(id)
		for _, f := range fs {
			fields = append(fields, text.Prepare(f))
		}
		return err
	}
	var score float64
	var terms []string
	cov := Coverage{Of: of}
	for _, w := range words {
		ws, wterm := 0.0, ""
		for _, a := range w.Alts {
			as, have := r.altScore(a, id)
			if have != len(a.Tokens) || as <= ws {
				continue
			}
			if m := matchers[a.Text]; m != nil {
				if err := prepare(); err != nil {
					return Hit{}, false, err
				}
				if !found(m, fields) {
					continue
				}
			}
			ws, wterm = as, a.Text
		}
		if wterm == "" {
			// A long word not found whole earns half the score of the
			// terms it shares with the document.
			main := w.Alts[0]
			as, have := r.altScore(main, id)
			if len(main.Tokens) < partialMinToks || 2*have < len(main.Tokens) {
				continue
			}
			ws = as / 2
			for _, term := range main.Tokens {
				if s, _ := r.altScore(Alt{Tokens: []string{term}, Weight: 1}, id); s > 0 && !contains(terms, term) {
					terms = append(terms, term)
				}
			}
		} else {
			terms = append(terms, wterm)
		}
		score += ws
		if counts(w) {
			cov.Matched++
			if !w.Generic {
				cov.Content++
			}
		}
	}
	if !accept(cov, score) {
		return Hit{}, false, nil
	}
	_, boost, err := r.c.Fields(id)
	if err != nil {
		return Hit{}, false, err
	}
	return Hit{ID: id, Score: score * boost, Terms: terms, Matched: cov.Matched}, true, nil
}
