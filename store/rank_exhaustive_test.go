package store

import (
	"container/heap"
	"math"
	"slices"

	"github.com/soudan/soudan/store/text"
)

// rankExhaustive is rank without pruning, what rank must equal: every
// document's bound summed from all the postings (as rank did before it
// pruned), every document accept takes checked, in the order of the
// bounds (then ids), the hits sorted by score, ties in that order. It
// looks terms up in the decoded postings, not the forward entries.
func rankExhaustive(c corpus, words []queryWord, n int, accept func(cov coverage, score float64) bool) ([]ranked, error) {
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
	acc, best, bound := make([]float64, size), make([]float64, size), make([]float64, size)
	have, matched := make([]int, size), make([]int, size)
	r := newRanker(c)
	r.viaPostings = true
	for _, w := range words {
		for ai, a := range w.alts {
			scale := a.weight / float64(len(a.tokens))
			for _, term := range a.tokens {
				ps := r.postings(term)
				idf := scale * r.idf(len(ps))
				for _, p := range ps {
					if p.id < uint64(size) {
						acc[p.id] += r.bm25(idf, p)
						have[p.id]++
					}
				}
			}
			for id := range acc {
				var v float64
				switch {
				case have[id] == 0:
				case have[id] == len(a.tokens):
					v = acc[id]
				case ai == 0 && len(a.tokens) >= partialMinToks && 2*have[id] >= len(a.tokens):
					v = acc[id] / 2
				}
				if v > 0 {
					best[id] = math.Max(best[id], v)
				}
				acc[id], have[id] = 0, 0
			}
		}
		for id, b := range best {
			if b > 0 {
				bound[id] += b
				if counts(w) {
					matched[id]++
				}
			}
			best[id] = 0
		}
	}
	var h byBound
	for id, b := range bound {
		if (b > 0 || matched[id] > 0) && accept(coverage{matched: matched[id], of: of, content: matched[id]}, b) {
			h = append(h, candidate{id: uint64(id), bound: b})
		}
	}
	heap.Init(&h)
	matchers := map[string]*text.Matcher{}
	for _, w := range words {
		for _, a := range w.alts {
			matchers[a.text] = wordMatcher(a)
		}
	}
	var hits []ranked
	for h.Len() > 0 {
		cand := heap.Pop(&h).(candidate)
		hit, ok, err := r.check(cand.id, words, matchers, counts, of, accept)
		if err != nil {
			return nil, err
		}
		if ok {
			hits = append(hits, hit)
		}
	}
	slices.SortStableFunc(hits, func(a, b ranked) int { return -cmpFloat(a.score, b.score) })
	return hits[:min(len(hits), n)], nil
}
