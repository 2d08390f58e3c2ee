// The bounds the pruned ranking works with: what a set-aside term can
// add to a document at most, the probe that finds a first theta, and
// the exact bound of one document.

package search

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// unitCeiling returns the most term can score in any document, per unit
// of weight, a little over: its best peak (RaisePeaks), or without
// peaks idf*(k1+1), where BM25 saturates.
func (r *ranker) unitCeiling(term string) float64 {
	idf := r.idf(r.df(term))
	peaks := r.c.Peaks(term)
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
func asideAlt(a Alt, aside map[string]bool, unit map[string]float64) (float64, int) {
	scale := a.Weight / float64(len(a.Tokens))
	var sum float64
	n := 0
	for _, term := range a.Tokens {
		if aside[term] {
			sum += scale * unit[term]
			n++
		}
	}
	return sum, n
}

// floorOf is what alternative ai of a word, with n of its terms set aside
// adding at most sum, earns in a document that has none of its others.
func floorOf(a Alt, ai, n int, sum float64) float64 {
	switch {
	case n == 0:
		return 0
	case n == len(a.Tokens):
		return sum
	case ai == 0 && len(a.Tokens) >= partialMinToks && 2*n >= len(a.Tokens):
		return sum / 2
	}
	return 0
}

// asideBounds returns, for the terms set aside, the most they could add
// to any document's bound, the bound of a document that has none of the
// other terms, and how many counted words it could match.
func (r *ranker) asideBounds(words []Word, aside map[string]bool, unit map[string]float64, counts func(Word) bool) (inflation, floor float64, floored int) {
	for _, w := range words {
		var most, least float64
		for ai, a := range w.Alts {
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
func (r *ranker) accumulate(s *scratch, w Word, aside map[string]bool, unit map[string]float64, touched []uint64) ([]uint64, float64) {
	size := uint64(len(s.acc))
	var floor float64
	for ai, a := range w.Alts {
		extra, n := asideAlt(a, aside, unit)
		floor = math.Max(floor, floorOf(a, ai, n, extra))
	}
	for ai, a := range w.Alts {
		scale := a.Weight / float64(len(a.Tokens))
		extra, nAside := asideAlt(a, aside, unit)
		altTouched := s.altTouched[:0]
		for _, term := range a.Tokens {
			if aside[term] {
				continue
			}
			ps := r.postings(term)
			idf := scale * r.idf(r.df(term))
			for _, p := range ps {
				if p.ID >= size {
					continue
				}
				if s.have[p.ID] == 0 {
					altTouched = append(altTouched, p.ID)
				}
				s.acc[p.ID] += r.bm25(idf, p)
				s.have[p.ID]++
			}
		}
		for _, id := range altTouched {
			var v float64
			switch have := int(s.have[id]); {
			case have+nAside == len(a.Tokens):
				v = s.acc[id]
				if nAside > 0 {
					v += extra
				}
			case ai == 0 && len(a.Tokens) >= partialMinToks && 2*(have+nAside) >= len(a.Tokens):
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
func (q *pruned) probeTheta() (float64, error) {
	r, s, n := q.r, q.s, q.n
	terms := slices.Clone(q.terms)
	slices.SortStableFunc(terms, func(a, b string) int { return cmp.Compare(q.unit[b], q.unit[a]) })
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
			if p.ID >= size {
				continue
			}
			if s.acc[p.ID] == 0 {
				touched = append(touched, p.ID)
			}
			s.acc[p.ID] += r.bm25(idf, p)
		}
	}
	seeds := r.seeds(s.acc, touched, 2*n)
	for _, id := range touched {
		s.acc[id] = 0
	}
	s.altTouched = touched
	var scores []float64
	for _, id := range seeds {
		if b, cov := r.exactBound(q.words, id, q.counts, q.of); q.accept(cov, b) {
			d, err := q.checkDoc(id)
			if err != nil {
				return 0, err
			}
			if d.ok {
				scores = append(scores, d.hit.Score)
			}
		}
	}
	if len(scores) < n {
		return 0, nil
	}
	slices.SortFunc(scores, func(a, b float64) int { return cmp.Compare(b, a) })
	return scores[n-1] * (1 - 1e-9), nil
}

// exactBound returns document id's bound and Coverage, its terms looked
// up one by one, summed exactly as accumulate and Rank sum them.
func (r *ranker) exactBound(words []Word, id uint64, counts func(Word) bool, of int) (float64, Coverage) {
	var bound float64
	cov := Coverage{Of: of}
	for _, w := range words {
		var best float64
		for ai, a := range w.Alts {
			scale := a.Weight / float64(len(a.Tokens))
			var acc float64
			have := 0
			for _, term := range a.Tokens {
				if p, ok := r.lookup(id, term); ok {
					acc += r.bm25(scale*r.idf(r.df(term)), p)
					have++
				}
			}
			var v float64
			switch {
			case have == len(a.Tokens):
				v = acc
			case ai == 0 && len(a.Tokens) >= partialMinToks && 2*have >= len(a.Tokens):
				v = acc / 2
			}
			if v > 0 {
				best = math.Max(best, v)
			}
		}
		if best > 0 {
			bound += best
			if counts(w) {
				cov.Matched++
				if !w.Generic {
					cov.Content++
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
