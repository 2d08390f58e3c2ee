package pairing

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// bruteForce returns the best matching's weight and cardinality by
// trying every matching: with maxCard the best is the heaviest of the
// largest, otherwise the heaviest.
func bruteForce(n int, edges []Edge, maxCard bool) (weight int64, card int) {
	adj := make([][]int64, n)
	has := make([][]bool, n)
	for i := range n {
		adj[i] = make([]int64, n)
		has[i] = make([]bool, n)
	}
	for _, e := range edges {
		// Parallel edges: only the heaviest can be in a best matching.
		if !has[e.I][e.J] || e.Weight > adj[e.I][e.J] {
			adj[e.I][e.J], adj[e.J][e.I] = e.Weight, e.Weight
			has[e.I][e.J], has[e.J][e.I] = true, true
		}
	}
	used := make([]bool, n)
	bestW, bestC := int64(0), 0
	var rec func(v int, w int64, c int)
	rec = func(v int, w int64, c int) {
		for v < n && used[v] {
			v++
		}
		if v == n {
			if maxCard && (c > bestC || c == bestC && w > bestW) || !maxCard && w > bestW {
				bestW, bestC = w, c
			}
			return
		}
		used[v] = true
		rec(v+1, w, c) // v stays single
		for u := v + 1; u < n; u++ {
			if !used[u] && has[v][u] {
				used[u] = true
				rec(v+1, w+adj[v][u], c+1)
				used[u] = false
			}
		}
		used[v] = false
	}
	rec(0, 0, 0)
	return bestW, bestC
}

// checkMatching fails unless mate is a symmetric matching on edges of
// the graph, and returns its weight and cardinality.
func checkMatching(t *testing.T, n int, edges []Edge, mate []int) (int64, int) {
	t.Helper()
	if len(mate) != n {
		t.Fatalf("len(mate) = %d, want %d", len(mate), n)
	}
	best := map[[2]int]int64{}
	for _, e := range edges {
		i, j := min(e.I, e.J), max(e.I, e.J)
		if w, ok := best[[2]int{i, j}]; !ok || e.Weight > w {
			best[[2]int{i, j}] = e.Weight
		}
	}
	var w int64
	c := 0
	for v, u := range mate {
		if u == -1 {
			continue
		}
		if u < 0 || u >= n || mate[u] != v || u == v {
			t.Fatalf("mate[%d] = %d, mate[%d] = %d: not a matching", v, u, u, mate[u])
		}
		ew, ok := best[[2]int{min(u, v), max(u, v)}]
		if !ok {
			t.Fatalf("%d-%d matched without an edge", v, u)
		}
		if v < u {
			w += ew
			c++
		}
	}
	return w, c
}

// randomGraph draws a graph of n vertices with each edge present with
// probability density and weights in [lo, hi].
func randomGraph(r *rand.Rand, n int, density float64, lo, hi int64) []Edge {
	var edges []Edge
	for i := range n {
		for j := i + 1; j < n; j++ {
			if r.Float64() < density {
				w := lo + r.Int64N(hi-lo+1)
				if r.IntN(2) == 0 {
					edges = append(edges, Edge{i, j, w})
				} else {
					edges = append(edges, Edge{j, i, w})
				}
			}
		}
	}
	r.Shuffle(len(edges), func(a, b int) { edges[a], edges[b] = edges[b], edges[a] })
	return edges
}

func TestMaxWeightMatchingBruteForce(t *testing.T) {
	seeds := 4000
	if testing.Short() {
		seeds = 500
	}
	kinds := []struct {
		name    string
		density float64
		lo, hi  int64
	}{
		{"dense", 1, 1, 100},
		{"sparse", 0.3, 1, 100},
		{"ties", 0.7, 1, 3},  // many equal weights: many optimal matchings
		{"zeros", 0.6, 0, 2}, // zero weights: optional edges
		{"negative", 0.6, -20, 20},
		{"wide", 0.8, 1, 1 << 40},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			for seed := range seeds {
				r := rand.New(rand.NewPCG(uint64(seed), 21))
				n := 1 + seed%10
				edges := randomGraph(r, n, k.density, k.lo, k.hi)
				for _, maxCard := range []bool{false, true} {
					mate := MaxWeightMatching(n, edges, maxCard)
					gotW, gotC := checkMatching(t, n, edges, mate)
					wantW, wantC := bruteForce(n, edges, maxCard)
					if gotW != wantW || maxCard && gotC != wantC {
						t.Fatalf("seed %d n %d maxCard %v edges %v: got weight %d card %d, want %d card %d",
							seed, n, maxCard, edges, gotW, gotC, wantW, wantC)
					}
				}
			}
		})
	}
}

// TestMaxWeightMatchingCases are graphs with known answers that force
// blossoms to be formed, relabelled, expanded and augmented through.
func TestMaxWeightMatchingCases(t *testing.T) {
	cases := []struct {
		name    string
		n       int
		edges   []Edge
		maxCard bool
		want    []int
	}{
		{"empty", 0, nil, false, []int{}},
		{"no edges", 3, nil, false, []int{-1, -1, -1}},
		{"one edge", 2, []Edge{{0, 1, 1}}, false, []int{1, 0}},
		{"path prefers the heavy middle", 4, []Edge{{0, 1, 10}, {1, 2, 11}, {2, 3, 10}}, false, []int{1, 0, 3, 2}},
		{"path heavy middle alone", 4, []Edge{{0, 1, 5}, {1, 2, 11}, {2, 3, 5}}, false, []int{-1, 2, 1, -1}},
		{"max cardinality over weight", 4, []Edge{{0, 1, 5}, {1, 2, 11}, {2, 3, 5}}, true, []int{1, 0, 3, 2}},
		{"negative edge skipped", 2, []Edge{{0, 1, -1}}, false, []int{-1, -1}},
		{"negative edge taken for cardinality", 2, []Edge{{0, 1, -1}}, true, []int{1, 0}},
		{"S-blossom", 4, []Edge{{0, 1, 8}, {0, 2, 9}, {1, 2, 10}, {2, 3, 7}}, false, []int{1, 0, 3, 2}},
		{"S-blossom relabelled T", 6, []Edge{{0, 1, 8}, {0, 2, 9}, {1, 2, 10}, {2, 3, 7}, {0, 5, 5}, {3, 4, 6}}, false, []int{5, 2, 1, 4, 3, 0}},
		{"nested S-blossom", 6, []Edge{{0, 1, 9}, {0, 2, 9}, {1, 2, 10}, {1, 3, 8}, {2, 4, 8}, {3, 4, 10}, {4, 5, 6}}, false, []int{2, 3, 0, 1, 5, 4}},
		{"T-blossom expanded", 8, []Edge{{0, 1, 23}, {0, 4, 22}, {0, 5, 15}, {1, 2, 25}, {2, 3, 22}, {3, 4, 25}, {3, 7, 14}, {4, 6, 13}}, false, []int{5, 2, 1, 7, 6, 0, 4, 3}},
		{"nested blossom expanded, augmented through", 10, []Edge{{0, 1, 45}, {0, 6, 45}, {1, 2, 50}, {2, 3, 45}, {3, 4, 95}, {3, 5, 94}, {4, 5, 94}, {5, 6, 50}, {0, 7, 30}, {2, 9, 35}, {4, 8, 36}, {6, 9, 26}}, false, []int{7, 2, 1, 5, 8, 3, 9, 0, 4, 6}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := MaxWeightMatching(c.n, c.edges, c.maxCard)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}
