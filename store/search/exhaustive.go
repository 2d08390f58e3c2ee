package search

import (
	"cmp"
	"container/heap"
	"math"
	"slices"
)

// Exhaustive is Rank without pruning, what Rank must equal: every
// document's bound summed from all the postings (as Rank did before it
// pruned), every document accept takes checked, in the order of the
// bounds (then ids), the hits sorted by score, ties in that order. It
// looks terms up in the decoded postings, not with Corpus.Lookup. It is
// the reference of the tests of every corpus: this package's in memory,
// and the store's index.
func Exhaustive(c Corpus, words []Word, n int, accept Accept) ([]Hit, error) {
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
	size := int(c.MaxID()) + 1
	acc, best, bound := make([]float64, size), make([]float64, size), make([]float64, size)
	have, matched := make([]int, size), make([]int, size)
	r := newRanker(c)
	r.viaPostings = true
	for _, w := range words {
		for ai, a := range w.Alts {
			scale := a.Weight / float64(len(a.Tokens))
			for _, term := range a.Tokens {
				ps := r.postings(term)
				idf := scale * r.idf(len(ps))
				for _, p := range ps {
					if p.ID < uint64(size) {
						acc[p.ID] += r.bm25(idf, p)
						have[p.ID]++
					}
				}
			}
			for id := range acc {
				var v float64
				switch {
				case have[id] == 0:
				case have[id] == len(a.Tokens):
					v = acc[id]
				case ai == 0 && len(a.Tokens) >= partialMinToks && 2*have[id] >= len(a.Tokens):
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
		if (b > 0 || matched[id] > 0) && accept(Coverage{Matched: matched[id], Of: of, Content: matched[id]}, b) {
			h = append(h, candidate{id: uint64(id), bound: b})
		}
	}
	heap.Init(&h)
	ms := matchers(words)
	var hits []Hit
	for h.Len() > 0 {
		cand := heap.Pop(&h).(candidate)
		hit, ok, err := r.check(cand.id, words, ms, counts, of, accept)
		if err != nil {
			return nil, err
		}
		if ok {
			hits = append(hits, hit)
		}
	}
	slices.SortStableFunc(hits, func(a, b Hit) int { return -cmp.Compare(a.Score, b.Score) })
	return hits[:min(len(hits), n)], nil
}
