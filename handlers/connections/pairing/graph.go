package pairing

import "slices"

// sparseSample is how many random others each vertex weighs when the
// graph is sparse, per candidate kept; sparseExtra random allowed edges
// per vertex are added to the best, so that the sparse graph still joins
// distant parts of the organisation and leaves the matching room.
const (
	sparseSample = 8
	sparseExtra  = 4
)

// candidateEdges is the graph of a matching over n vertices: every
// allowed pair (dense), or for each vertex its k heaviest allowed edges
// among a random sample plus a few random allowed ones (k > 0, sparse).
// edge reports whether a and b may be grouped and with what weight.
func (r *round) candidateEdges(n, k int, edge func(a, b int) (int64, bool)) []Edge {
	if k <= 0 || n <= k*sparseSample {
		edges := make([]Edge, 0, n*(n-1)/2)
		for a := range n {
			for b := a + 1; b < n; b++ {
				if w, ok := edge(a, b); ok {
					edges = append(edges, Edge{a, b, w})
				}
			}
		}
		return edges
	}
	sample := k * sparseSample
	seen := make(map[pairKey]bool, n*(k+sparseExtra))
	edges := make([]Edge, 0, n*(k+sparseExtra))
	var best []Edge
	for a := range n {
		best = best[:0]
		extra := 0
		for range sample {
			b := r.rng.IntN(n - 1)
			if b >= a {
				b++ // any vertex but a
			}
			w, ok := edge(a, b)
			if !ok || seen[key(a, b)] {
				continue
			}
			if extra < sparseExtra {
				// The first allowed ones, random by construction, stay.
				extra++
				seen[key(a, b)] = true
				edges = append(edges, Edge{a, b, w})
				continue
			}
			best = append(best, Edge{a, b, w})
		}
		// The heaviest k; ties stay in sample order, which the seed made.
		slices.SortStableFunc(best, func(x, y Edge) int {
			switch {
			case x.Weight > y.Weight:
				return -1
			case x.Weight < y.Weight:
				return 1
			}
			return 0
		})
		kept := 0
		for _, e := range best {
			if kept == k {
				break
			}
			if !seen[key(e.I, e.J)] {
				seen[key(e.I, e.J)] = true
				edges = append(edges, e)
				kept++
			}
		}
	}
	return edges
}

// candidates is how many candidates per person the round uses when it
// is matched in one graph, 0 for the complete graph.
func (r *round) candidates() int {
	switch {
	case r.in.Candidates > 0:
		return r.in.Candidates
	case r.n() > DenseLimit:
		return SparseCandidates
	}
	return 0
}
