package search

import (
	"container/heap"
	"slices"
	"sort"

	"github.com/soudan/soudan/store/text"
)

// Rank scores the documents of c against the query words with BM25 (the
// store's tipsearch.go says how its tips are scored) and returns the best
// n that accept takes (given its Coverage and its score before the
// boost), best first, ties in the order of the documents' bounds, then of
// their ids. accept must take whatever it took with more words matched or
// a higher score.
//
// A document's bound is the sum of the best score each word could earn
// in it (an alternative whose terms the document all has, or half the
// word's own score when it has half its terms); documents that accept
// refuses even so are never looked at, and the others are checked in the
// order of that bound until none left can make the best n. The result is
// that of checking every document (Exhaustive); the work is pruned
// MaxScore-style, so that a query whose words are in nearly every
// document does not decode all their postings, in three phases (theta,
// setAside, then candidates and checkBest):
//
//  1. A term's ceiling is the most it can score in any document (its
//     best peak, RaisePeaks): a common term, in nearly every document,
//     has a low idf and so a low ceiling. When the query's terms have
//     ProbeMinPostings postings or more, the postings of the terms of the
//     highest ceilings (a tenth of the postings at most) are read, and
//     the documents they score best are checked exactly (their terms
//     looked up one document at a time, Corpus.Lookup): the n-th
//     best of these is a lower bound theta of the n-th best hit.
//  2. The costliest terms are set aside, their postings never read, while
//     all they could add to a document's bound stays within two fifths of
//     theta (so that few documents need looking up) and a document with
//     none of the other terms stays below theta.
//  3. A document the other terms scored enters with a loose bound (the
//     terms set aside at their ceilings, as if it had them); when it comes
//     first it is made exact by looking its terms up, and goes back. Loose
//     bounds come before exact ones as high, so documents are checked in
//     the same order as if every bound were exact.
func Rank(c Corpus, words []Word, n int, accept Accept) ([]Hit, error) {
	return RankPruned(c, words, n, accept, ProbeMinPostings)
}

// RankPruned is Rank, probing for theta when the query's terms have
// probeMin postings or more (the tests probe always: 0).
func RankPruned(c Corpus, words []Word, n int, accept Accept, probeMin int) ([]Hit, error) {
	q := newPruned(c, words, n, accept)
	defer q.release()
	theta, err := q.theta(probeMin)
	if err != nil {
		return nil, err
	}
	aside := q.setAside(theta)
	q.candidates(aside, theta)
	return q.checkBest()
}

// pruned is one run of RankPruned: the query, the corpus's ranker, the
// pooled accumulators, and the documents checked so far (the probe of
// phase 1 checks some that phase 3 meets again).
type pruned struct {
	r        *ranker
	s        *scratch
	words    []Word
	n        int
	accept   Accept
	counts   func(Word) bool // the words a hit's coverage counts
	of       int             // how many words count
	matchers map[string]*text.Matcher
	checked  map[uint64]checkedDoc
	maxBoost float64
	// unit is each term's ceiling per unit of weight, and terms the
	// query's distinct terms in the order of its words.
	unit  map[string]float64
	terms []string
	// all are the documents the postings read touched; cands the heap of
	// candidates. Both are the scratch's, kept for their capacity.
	all   []uint64
	cands byBound
}

func newPruned(c Corpus, words []Word, n int, accept Accept) *pruned {
	counts := func(w Word) bool { return !w.Light }
	if !slices.ContainsFunc(words, counts) {
		counts = func(Word) bool { return true }
	}
	of := 0
	for _, w := range words {
		if counts(w) {
			of++
		}
	}
	s := getScratch(int(c.MaxID()) + 1)
	q := &pruned{r: newRanker(c), s: s, words: words, n: n, accept: accept, counts: counts, of: of,
		matchers: matchers(words), checked: map[uint64]checkedDoc{}, maxBoost: c.MaxBoost(),
		unit: map[string]float64{}, all: s.all[:0], cands: s.cands[:0]}
	for _, w := range words {
		for _, a := range w.Alts {
			for _, term := range a.Tokens {
				if _, ok := q.unit[term]; !ok {
					q.unit[term] = q.r.unitCeiling(term)
					q.terms = append(q.terms, term)
				}
			}
		}
	}
	return q
}

// release gives the scratch back to the pool, with the lists grown.
func (q *pruned) release() {
	q.s.all, q.s.cands = q.all, q.cands
	scratchPool.Put(q.s)
}

// checkDoc checks document id exactly, once per run.
func (q *pruned) checkDoc(id uint64) (checkedDoc, error) {
	if d, ok := q.checked[id]; ok {
		return d, nil
	}
	hit, ok, err := q.r.check(id, q.words, q.matchers, q.counts, q.of, q.accept)
	q.checked[id] = checkedDoc{hit, ok}
	return q.checked[id], err
}

// theta is phase 1: a lower bound of the n-th best hit's score from a
// probe of the terms that can score most, or 0 when the query's terms
// have fewer than probeMin postings (or it has one term: nothing to set
// aside).
func (q *pruned) theta(probeMin int) (float64, error) {
	postings := 0
	for _, term := range q.terms {
		postings += q.r.df(term)
	}
	if len(q.terms) <= 1 || postings < probeMin {
		return 0, nil
	}
	return q.probeTheta()
}

// setAside is phase 2: the terms whose postings are not read, the
// costliest first, while what they could add to a document stays within
// two fifths of theta and the documents of none of the other terms stay
// out of the best n.
func (q *pruned) setAside(theta float64) map[string]bool {
	aside := map[string]bool{}
	if theta <= 0 {
		return aside
	}
	terms := slices.Clone(q.terms)
	slices.SortStableFunc(terms, func(a, b string) int { return q.r.df(b) - q.r.df(a) })
	for _, term := range terms {
		aside[term] = true
		inflation, floor, floored := q.r.asideBounds(q.words, aside, q.unit, q.counts)
		if inflation*q.maxBoost > theta*2/5 ||
			(q.accept(Coverage{Matched: floored, Of: q.of, Content: floored}, floor) && floor*q.maxBoost >= theta) {
			delete(aside, term)
		}
	}
	return aside
}

// candidates is phase 3's first half: the other terms' postings read
// word by word in the query's order, so that a bound sums as the exact
// one does, and the documents whose bound could make the best n put in
// the heap, loose when terms were set aside.
func (q *pruned) candidates(aside map[string]bool, theta float64) {
	s := q.s
	loosen := len(aside) > 0
	var floorSum float64
	floored := 0
	for _, w := range q.words {
		var floor float64
		s.wordTouched, floor = q.r.accumulate(s, w, aside, q.unit, s.wordTouched[:0])
		floorSum += floor
		if floor > 0 && q.counts(w) {
			floored++
		}
		for _, id := range s.wordTouched {
			if s.bound[id] == 0 && s.matched[id] == 0 {
				q.all = append(q.all, id)
			}
			if v := s.best[id] - floor; v > 0 {
				s.bound[id] += v
			}
			if q.counts(w) && floor == 0 {
				s.matched[id]++
			}
			s.best[id] = 0
		}
	}
	for _, id := range q.all {
		b, m := s.bound[id], int(s.matched[id])
		s.bound[id], s.matched[id] = 0, 0
		if loosen {
			b, m = (b+floorSum)*(1+1e-9), m+floored
		}
		if q.accept(Coverage{Matched: m, Of: q.of, Content: m}, b) && b*q.maxBoost >= theta {
			q.cands = append(q.cands, candidate{id: id, bound: b, loose: loosen})
		}
	}
	heap.Init(&q.cands)
}

// checkBest is phase 3's second half: the candidates checked in the
// order of their bounds, a loose bound made exact first (and the
// candidate put back), until none left can enter the best n.
func (q *pruned) checkBest() ([]Hit, error) {
	var hits []Hit
	n := q.n
	for q.cands.Len() > 0 {
		cand := heap.Pop(&q.cands).(candidate)
		// Scores only fall on checking; once the upper bound of the next
		// candidate is below the n-th hit, stop.
		if len(hits) >= n && cand.bound*q.maxBoost < hits[n-1].Score {
			break
		}
		if cand.loose {
			if b, cov := q.r.exactBound(q.words, cand.id, q.counts, q.of); q.accept(cov, b) {
				heap.Push(&q.cands, candidate{id: cand.id, bound: b})
			}
			continue
		}
		d, err := q.checkDoc(cand.id)
		if err != nil {
			return nil, err
		}
		if !d.ok {
			continue
		}
		// Keep the best n, in order; a tie goes after the earlier hit.
		i := sort.Search(len(hits), func(i int) bool { return hits[i].Score < d.hit.Score })
		if i < n {
			hits = slices.Insert(hits, i, d.hit)
			hits = hits[:min(len(hits), n)]
		}
	}
	return hits, nil
}

// ProbeMinPostings is the least postings a query's terms have for Rank to
// probe for theta: checking the probe's documents costs about what
// reading this many postings does, so a smaller query reads them all.
const ProbeMinPostings = 50000

// checkedDoc is a document check scored, and whether it is a hit.
type checkedDoc struct {
	hit Hit
	ok  bool
}
