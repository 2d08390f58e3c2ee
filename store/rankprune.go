package store

import (
	"container/heap"
	"math"
	"slices"
	"sort"

	"github.com/soudan/soudan/store/text"
)

// rank scores the documents of c against the query words with BM25 (see
// the comment on search in tipsearch.go) and returns the best n that
// accept takes (given its coverage and its score before the boost), best
// first, ties in the order of the documents' bounds, then of their ids.
// accept must take whatever it took with more words matched or a higher
// score.
//
// A document's bound is the sum of the best score each word could earn
// in it (an alternative whose terms the document all has, or half the
// word's own score when it has half its terms); documents that accept
// refuses even so are never looked at, and the others are checked in the
// order of that bound until none left can make the best n. The result is
// that of checking every document (rank_exhaustive_test.go); the work is
// pruned MaxScore-style, so that a query whose words are in nearly every
// document does not decode all their postings:
//
//  1. A term's ceiling is the most it can score in any document (its
//     best peak, tipstats.go): a common term, in nearly every document,
//     has a low idf and so a low ceiling. When the query's terms have
//     probeMinPostings postings or more, the postings of the terms of the
//     highest ceilings (a tenth of the postings at most) are read, and
//     the documents they score best are checked exactly (their terms
//     looked up one document at a time, in the tip's own text): the n-th
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
func rank(c corpus, words []queryWord, n int, accept func(cov coverage, score float64) bool) ([]ranked, error) {
	return rankPruned(c, words, n, accept, probeMinPostings)
}

// rankPruned is rank, probing for theta when the query's terms have
// probeMin postings or more (the tests probe always).
func rankPruned(c corpus, words []queryWord, n int, accept func(cov coverage, score float64) bool, probeMin int) ([]ranked, error) {
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
	size := int(c.maxID()) + 1
	s := getScratch(size)
	r := newRanker(c)
	all := s.all[:0]
	h := s.cands[:0]
	defer func() {
		s.all, s.cands = all, h
		scratchPool.Put(s)
	}()
	matchers := map[string]*text.Matcher{}
	for _, w := range words {
		for _, a := range w.alts {
			if _, ok := matchers[a.text]; !ok {
				matchers[a.text] = wordMatcher(a)
			}
		}
	}
	checked := map[uint64]checkedDoc{}
	checkDoc := func(id uint64) (checkedDoc, error) {
		if d, ok := checked[id]; ok {
			return d, nil
		}
		hit, ok, err := r.check(id, words, matchers, counts, of, accept)
		checked[id] = checkedDoc{hit, ok}
		return checked[id], err
	}
	maxBoost := c.maxBoost()

	// 1. Theta, from a probe of the terms that can score most.
	unit := map[string]float64{} // a term's ceiling per unit of weight
	var probe []string
	for _, w := range words {
		for _, a := range w.alts {
			for _, term := range a.tokens {
				if _, ok := unit[term]; !ok {
					unit[term] = r.unitCeiling(term)
					probe = append(probe, term)
				}
			}
		}
	}
	var theta float64
	postings := 0
	for _, term := range probe {
		postings += r.df(term)
	}
	if len(probe) > 1 && postings >= probeMin {
		var err error
		if theta, err = r.probeTheta(s, words, probe, unit, n, counts, of, accept, checkDoc); err != nil {
			return nil, err
		}
	}

	// 2. The terms set aside: the costliest first, while what they could
	// add to a document stays within two fifths of theta and the
	// documents of none of the other terms stay out of the best n.
	aside := map[string]bool{}
	if theta > 0 {
		terms := slices.Clone(probe)
		slices.SortStableFunc(terms, func(a, b string) int { return r.df(b) - r.df(a) })
		for _, term := range terms {
			aside[term] = true
			inflation, floor, floored := r.asideBounds(words, aside, unit, counts)
			if inflation*maxBoost > theta*2/5 ||
				(accept(coverage{matched: floored, of: of, content: floored}, floor) && floor*maxBoost >= theta) {
				delete(aside, term)
			}
		}
	}
	loosen := len(aside) > 0

	// 3. The other terms' postings, word by word in the query's order, so
	// that a bound sums as the exact one does.
	var floorSum float64
	floored := 0
	for _, w := range words {
		var floor float64
		s.wordTouched, floor = r.accumulate(s, w, aside, unit, s.wordTouched[:0])
		floorSum += floor
		if floor > 0 && counts(w) {
			floored++
		}
		for _, id := range s.wordTouched {
			if s.bound[id] == 0 && s.matched[id] == 0 {
				all = append(all, id)
			}
			if v := s.best[id] - floor; v > 0 {
				s.bound[id] += v
			}
			if counts(w) && floor == 0 {
				s.matched[id]++
			}
			s.best[id] = 0
		}
	}
	for _, id := range all {
		b, m := s.bound[id], int(s.matched[id])
		s.bound[id], s.matched[id] = 0, 0
		if loosen {
			b, m = (b+floorSum)*(1+1e-9), m+floored
		}
		if accept(coverage{matched: m, of: of, content: m}, b) && b*maxBoost >= theta {
			h = append(h, candidate{id: id, bound: b, loose: loosen})
		}
	}
	heap.Init(&h)

	// 3. Check in the order of the bounds, making loose ones exact first.
	var hits []ranked
	for h.Len() > 0 {
		cand := heap.Pop(&h).(candidate)
		// Scores only fall on checking; once the upper bound of the next
		// candidate is below the n-th hit, stop.
		if len(hits) >= n && cand.bound*maxBoost < hits[n-1].score {
			break
		}
		if cand.loose {
			if b, cov := r.exactBound(words, cand.id, counts, of); accept(cov, b) {
				heap.Push(&h, candidate{id: cand.id, bound: b})
			}
			continue
		}
		d, err := checkDoc(cand.id)
		if err != nil {
			return nil, err
		}
		if !d.ok {
			continue
		}
		// Keep the best n, in order; a tie goes after the earlier hit.
		i := sort.Search(len(hits), func(i int) bool { return hits[i].score < d.hit.score })
		if i < n {
			hits = slices.Insert(hits, i, d.hit)
			hits = hits[:min(len(hits), n)]
		}
	}
	return hits, nil
}

// probeMinPostings is the least postings a query's terms have for rank to
// probe for theta: checking the probe's documents costs about what
// reading this many postings does, so a smaller query reads them all.
const probeMinPostings = 50000

// checkedDoc is a document check scored, and whether it is a hit.
type checkedDoc struct {
	hit ranked
	ok  bool
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// unitCeiling returns the most term can score in any document, per unit
// of weight, a little over: its best peak (tipstats.go), or without
// peaks idf*(k1+1), where BM25 saturates.
func (r *ranker) unitCeiling(term string) float64 {
	idf := r.idf(r.df(term))
	peaks := r.c.peaks(term)
	if len(peaks) == 0 {
		return idf * (bm25K1 + 1) * (1 + 1e-9)
	}
	var best float64
	for _, p := range peaks {
		best = math.Max(best, r.bm25(idf, p))
	}
	return best * (1 + 1e-9)
}

// asideAlt returns what the terms of a set aside could add to it, and
// whether a document with none of its other terms may still earn it (all
// its terms aside, or half of the word's own).
func asideAlt(a alt, aside map[string]bool, unit map[string]float64) (float64, int) {
	scale := a.weight / float64(len(a.tokens))
	var sum float64
	n := 0
	for _, term := range a.tokens {
		if aside[term] {
			sum += scale * unit[term]
			n++
		}
	}
	return sum, n
}

// floorOf is what alternative ai of a word, with n of its terms set aside
// adding at most sum, earns in a document that has none of its others.
func floorOf(a alt, ai, n int, sum float64) float64 {
	switch {
	case n == 0:
		return 0
	case n == len(a.tokens):
		return sum
	case ai == 0 && len(a.tokens) >= partialMinToks && 2*n >= len(a.tokens):
		return sum / 2
	}
	return 0
}

// asideBounds returns, for the terms set aside, the most they could add
// to any document's bound, the bound of a document that has none of the
// other terms, and how many counted words it could match.
func (r *ranker) asideBounds(words []queryWord, aside map[string]bool, unit map[string]float64, counts func(queryWord) bool) (inflation, floor float64, floored int) {
	for _, w := range words {
		var most, least float64
		for ai, a := range w.alts {
			sum, n := asideAlt(a, aside, unit)
			most = math.Max(most, sum)
			least = math.Max(least, floorOf(a, ai, n, sum))
		}
		inflation += most
		floor += least
		if least > 0 && counts(w) {
			floored++
		}
	}
	return inflation * (1 + 1e-9), floor * (1 + 1e-9), floored
}

// accumulate scores word w from the postings of its terms not set aside:
// s.best[id] becomes the most an alternative of w could earn in document
// id, those set aside counted at their ceiling (exactly, with none aside,
// the best score of an alternative whose terms id all has, or half the
// word's own for half its terms), and the documents given one above the
// word's floor are appended to touched. The floor is what a document with
// none of those terms may still earn.
func (r *ranker) accumulate(s *scratch, w queryWord, aside map[string]bool, unit map[string]float64, touched []uint64) ([]uint64, float64) {
	size := uint64(len(s.acc))
	var floor float64
	for ai, a := range w.alts {
		extra, n := asideAlt(a, aside, unit)
		floor = math.Max(floor, floorOf(a, ai, n, extra))
	}
	for ai, a := range w.alts {
		scale := a.weight / float64(len(a.tokens))
		extra, nAside := asideAlt(a, aside, unit)
		altTouched := s.altTouched[:0]
		for _, term := range a.tokens {
			if aside[term] {
				continue
			}
			ps := r.postings(term)
			idf := scale * r.idf(r.df(term))
			for _, p := range ps {
				if p.id >= size {
					continue
				}
				if s.have[p.id] == 0 {
					altTouched = append(altTouched, p.id)
				}
				s.acc[p.id] += r.bm25(idf, p)
				s.have[p.id]++
			}
		}
		for _, id := range altTouched {
			var v float64
			switch have := int(s.have[id]); {
			case have+nAside == len(a.tokens):
				v = s.acc[id]
				if nAside > 0 {
					v += extra
				}
			case ai == 0 && len(a.tokens) >= partialMinToks && 2*(have+nAside) >= len(a.tokens):
				v = s.acc[id]
				if nAside > 0 {
					v += extra
				}
				v /= 2
			}
			if v > floor {
				if s.best[id] == 0 {
					touched = append(touched, id)
				}
				s.best[id] = math.Max(s.best[id], v)
			}
			s.acc[id], s.have[id] = 0, 0
		}
		s.altTouched = altTouched
	}
	return touched, floor
}

// probeTheta returns a lower bound of the n-th best hit's score, a little
// under, or 0: the documents scoring best on the terms that can score
// most (the fewest postings first, a tenth of them at most) are checked
// exactly.
func (r *ranker) probeTheta(s *scratch, words []queryWord, terms []string, unit map[string]float64, n int,
	counts func(queryWord) bool, of int, accept func(coverage, float64) bool, checkDoc func(uint64) (checkedDoc, error)) (float64, error) {
	terms = slices.Clone(terms)
	slices.SortStableFunc(terms, func(a, b string) int { return cmpFloat(unit[b], unit[a]) })
	total := 0
	for _, t := range terms {
		total += r.df(t)
	}
	size := uint64(len(s.acc))
	touched := s.altTouched[:0]
	read := 0
	for _, term := range terms {
		if read > 0 && read+r.df(term) > total/10 {
			continue
		}
		read += r.df(term)
		idf := r.idf(r.df(term))
		for _, p := range r.postings(term) {
			if p.id >= size {
				continue
			}
			if s.acc[p.id] == 0 {
				touched = append(touched, p.id)
			}
			s.acc[p.id] += r.bm25(idf, p)
		}
	}
	seeds := r.seeds(s.acc, touched, 2*n)
	for _, id := range touched {
		s.acc[id] = 0
	}
	s.altTouched = touched
	var scores []float64
	for _, id := range seeds {
		if b, cov := r.exactBound(words, id, counts, of); accept(cov, b) {
			d, err := checkDoc(id)
			if err != nil {
				return 0, err
			}
			if d.ok {
				scores = append(scores, d.hit.score)
			}
		}
	}
	if len(scores) < n {
		return 0, nil
	}
	slices.SortFunc(scores, func(a, b float64) int { return cmpFloat(b, a) })
	return scores[n-1] * (1 - 1e-9), nil
}

// exactBound returns document id's bound and coverage, its terms looked
// up one by one, summed exactly as accumulate and rank sum them.
func (r *ranker) exactBound(words []queryWord, id uint64, counts func(queryWord) bool, of int) (float64, coverage) {
	var bound float64
	cov := coverage{of: of}
	for _, w := range words {
		var best float64
		for ai, a := range w.alts {
			scale := a.weight / float64(len(a.tokens))
			var acc float64
			have := 0
			for _, term := range a.tokens {
				if p, ok := r.lookup(id, term); ok {
					acc += r.bm25(scale*r.idf(r.df(term)), p)
					have++
				}
			}
			var v float64
			switch {
			case have == len(a.tokens):
				v = acc
			case ai == 0 && len(a.tokens) >= partialMinToks && 2*have >= len(a.tokens):
				v = acc / 2
			}
			if v > 0 {
				best = math.Max(best, v)
			}
		}
		if best > 0 {
			bound += best
			if counts(w) {
				cov.matched++
				if !w.generic {
					cov.content++
				}
			}
		}
	}
	return bound, cov
}

// seeds returns up to k of the touched documents with the highest score,
// highest first.
func (r *ranker) seeds(score []float64, touched []uint64, k int) []uint64 {
	var top []uint64
	for _, id := range touched {
		if len(top) == k && score[id] <= score[top[k-1]] {
			continue
		}
		i := sort.Search(len(top), func(i int) bool { return score[top[i]] < score[id] })
		top = slices.Insert(top, i, id)
		top = top[:min(len(top), k)]
	}
	return top
}
