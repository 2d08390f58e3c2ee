package pairing

// This file is Edmonds' blossom algorithm for a maximum-weight matching
// in a general graph, in the O(n^3) primal-dual form of Galil's survey
// ("Efficient algorithms for finding maximum matching in graphs", ACM
// Computing Surveys 18(1), 1986), with the per-blossom least-slack edge
// lists that keep each stage O(n^2).
//
// Notation. Every edge k has two endpoints 2k (its I) and 2k+1 (its J),
// so p^1 is the other end of endpoint p and p/2 its edge. Vertices are
// 0..n-1, non-trivial blossoms n..2n-1. A vertex or top-level blossom is
// labelled free (0), S (1, an outer vertex of the alternating forest)
// or T (2, an inner one). dual[v] of a vertex is twice Galil's u_v and
// dual[b] of a blossom is z_b, so an edge's slack between top-level
// blossoms is dual[i]+dual[j]-2w (inside blossoms add twice the duals of
// the blossoms holding both ends: the certificate test checks this).
// With integer weights every dual and every delta stays an integer: the
// vertex duals start equal, and the slack of an edge between two
// S-blossoms stays even, so halving it (delta3) is exact.

// Edge is an edge of a general graph between vertices I and J (0 <= I, J
// < n, I != J) with an integer weight.
type Edge struct {
	I, J   int
	Weight int64
}

const (
	free   = 0
	sLabel = 1
	tLabel = 2
	// breadcrumb marks the S-blossoms scanBlossom has walked through.
	breadcrumb = 4
)

// matcher is the state of one run; the tests read its duals and
// blossoms to check the optimality certificate.
type matcher struct {
	n         int
	edges     []Edge
	end       []int   // end[p]: the vertex at endpoint p
	neigh     [][]int // neigh[v]: the remote endpoints of v's edges
	mate      []int   // mate[v]: the remote endpoint of v's matched edge, or -1
	label     []int   // by vertex or blossom
	labelEnd  []int   // the endpoint through which the label was reached, or -1
	inBlossom []int   // the top-level blossom of each vertex
	parent    []int   // blossomparent: the blossom directly containing b, or -1
	childs    [][]int // a blossom's sub-blossoms in cycle order, from its base
	base      []int   // a blossom's base vertex, or -1 for an unused blossom
	endps     [][]int // endps[b][i]: the endpoint joining childs[i] to childs[i+1]
	bestEdge  []int   // least-slack edge to another S-blossom (or from a free vertex), or -1
	bestEdges [][]int // a non-trivial S-blossom's least-slack edges to other S-blossoms
	unused    []int   // blossom numbers free for reuse
	dual      []int64
	allowed   []bool // the edge has zero slack (it may be used in the forest)
	queue     []int  // S-vertices whose edges are still to scan
	leafBuf   []int
	// bestTo and touched are addBlossom's scratch: per other S-blossom
	// the least-slack edge, and which entries are set. Kept between
	// calls, so that a blossom costs its edges, not 2n.
	bestTo  []int
	touched []int
}

// MaxWeightMatching returns a maximum-weight matching of the graph with
// n vertices and the given edges: mate[v] is v's partner or -1. With
// maxCardinality it is a maximum-weight matching among the matchings of
// maximum cardinality (negative weights then count too). Edges that are
// loops or name a vertex outside 0..n-1 are ignored. The weights must
// stay within ±2^60 so that duals do not overflow.
func MaxWeightMatching(n int, edges []Edge, maxCardinality bool) []int {
	m := newMatcher(n, edges)
	m.solve(maxCardinality)
	return m.partners()
}

func newMatcher(n int, edges []Edge) *matcher {
	m := &matcher{n: n}
	valid := func(e Edge) bool { return e.I != e.J && e.I >= 0 && e.J >= 0 && e.I < n && e.J < n }
	// The edges are only read: share the caller's slice unless some must
	// be dropped (a dense graph's edges are most of the memory).
	m.edges = edges
	for i, e := range edges {
		if !valid(e) {
			m.edges = append([]Edge{}, edges[:i]...)
			for _, e := range edges[i:] {
				if valid(e) {
					m.edges = append(m.edges, e)
				}
			}
			break
		}
	}
	m.end = make([]int, 2*len(m.edges))
	deg := make([]int, n)
	for k, e := range m.edges {
		m.end[2*k], m.end[2*k+1] = e.I, e.J
		deg[e.I]++
		deg[e.J]++
	}
	// One backing array for every neighbour list: dense graphs have
	// hundreds of thousands of edges.
	all := make([]int, 2*len(m.edges))
	m.neigh = make([][]int, n)
	off := 0
	for v := range n {
		m.neigh[v] = all[off : off : off+deg[v]]
		off += deg[v]
	}
	for k, e := range m.edges {
		m.neigh[e.I] = append(m.neigh[e.I], 2*k+1)
		m.neigh[e.J] = append(m.neigh[e.J], 2*k)
	}
	m.mate = fill(make([]int, n), -1)
	m.label = make([]int, 2*n)
	m.labelEnd = fill(make([]int, 2*n), -1)
	m.inBlossom = make([]int, n)
	for v := range n {
		m.inBlossom[v] = v
	}
	m.parent = fill(make([]int, 2*n), -1)
	m.childs = make([][]int, 2*n)
	m.base = fill(make([]int, 2*n), -1)
	for v := range n {
		m.base[v] = v
	}
	m.endps = make([][]int, 2*n)
	m.bestEdge = fill(make([]int, 2*n), -1)
	m.bestEdges = make([][]int, 2*n)
	for b := 2*n - 1; b >= n; b-- {
		m.unused = append(m.unused, b)
	}
	m.dual = make([]int64, 2*n)
	var maxW int64
	for _, e := range m.edges {
		maxW = max(maxW, e.Weight)
	}
	for v := range n {
		m.dual[v] = maxW
	}
	m.allowed = make([]bool, len(m.edges))
	m.bestTo = fill(make([]int, 2*n), -1)
	return m
}

func fill(s []int, v int) []int {
	for i := range s {
		s[i] = v
	}
	return s
}

// partners turns mate's endpoints into vertices.
func (m *matcher) partners() []int {
	out := make([]int, m.n)
	for v, p := range m.mate {
		out[v] = -1
		if p >= 0 {
			out[v] = m.end[p]
		}
	}
	return out
}

func (m *matcher) slack(k int) int64 {
	e := m.edges[k]
	return m.dual[e.I] + m.dual[e.J] - 2*e.Weight
}

// leaves appends the vertices inside blossom b to dst.
func (m *matcher) leaves(dst []int, b int) []int {
	if b < m.n {
		return append(dst, b)
	}
	for _, c := range m.childs[b] {
		dst = m.leaves(dst, c)
	}
	return dst
}

// solve runs stages until no augmenting path improves the matching.
func (m *matcher) solve(maxCardinality bool) {
	n := m.n
	if len(m.edges) == 0 {
		return
	}
	for range n {
		// A stage: grow an alternating forest from every single vertex.
		clear(m.label)
		fill(m.bestEdge, -1)
		for b := n; b < 2*n; b++ {
			m.bestEdges[b] = nil
		}
		clear(m.allowed)
		m.queue = m.queue[:0]
		for v := range n {
			if m.mate[v] == -1 && m.label[m.inBlossom[v]] == free {
				m.assignLabel(v, sLabel, -1)
			}
		}
		augmented := false
		for {
			for len(m.queue) > 0 && !augmented {
				v := m.queue[len(m.queue)-1]
				m.queue = m.queue[:len(m.queue)-1]
				for _, p := range m.neigh[v] {
					k, w := p/2, m.end[p]
					if m.inBlossom[v] == m.inBlossom[w] {
						continue // an edge inside a blossom
					}
					var kslack int64
					if !m.allowed[k] {
						kslack = m.slack(k)
						if kslack <= 0 {
							m.allowed[k] = true
						}
					}
					switch {
					case m.allowed[k]:
						switch {
						case m.label[m.inBlossom[w]] == free:
							// w is matched (single vertices are S): grow the tree.
							m.assignLabel(w, tLabel, p^1)
						case m.label[m.inBlossom[w]] == sLabel:
							if base := m.scanBlossom(v, w); base >= 0 {
								m.addBlossom(base, k)
							} else {
								m.augmentMatching(k)
								augmented = true
							}
						case m.label[w] == free:
							// w is inside a T-blossom but not yet reached: remember
							// how, for when the blossom is expanded.
							m.label[w] = tLabel
							m.labelEnd[w] = p ^ 1
						}
					case m.label[m.inBlossom[w]] == sLabel:
						if b := m.inBlossom[v]; m.bestEdge[b] == -1 || kslack < m.slack(m.bestEdge[b]) {
							m.bestEdge[b] = k
						}
					case m.label[w] == free:
						if m.bestEdge[w] == -1 || kslack < m.slack(m.bestEdge[w]) {
							m.bestEdge[w] = k
						}
					}
					if augmented {
						break
					}
				}
			}
			if augmented {
				break
			}
			// No tight edge left to use: change the duals by the largest
			// delta that keeps them feasible.
			deltaType := -1
			var delta int64
			deltaEdge, deltaBlossom := -1, -1
			if !maxCardinality {
				deltaType = 1
				delta = m.minVertexDual()
			}
			for v := range n {
				if m.label[m.inBlossom[v]] == free && m.bestEdge[v] != -1 {
					if d := m.slack(m.bestEdge[v]); deltaType == -1 || d < delta {
						delta, deltaType, deltaEdge = d, 2, m.bestEdge[v]
					}
				}
			}
			for b := range 2 * n {
				if m.parent[b] == -1 && m.label[b] == sLabel && m.bestEdge[b] != -1 {
					if d := m.slack(m.bestEdge[b]) / 2; deltaType == -1 || d < delta {
						delta, deltaType, deltaEdge = d, 3, m.bestEdge[b]
					}
				}
			}
			for b := n; b < 2*n; b++ {
				if m.base[b] >= 0 && m.parent[b] == -1 && m.label[b] == tLabel && (deltaType == -1 || m.dual[b] < delta) {
					delta, deltaType, deltaBlossom = m.dual[b], 4, b
				}
			}
			if deltaType == -1 {
				// Maximum cardinality reached: a last update to make the
				// duals optimal, then stop.
				deltaType = 1
				delta = max(0, m.minVertexDual())
			}
			for v := range n {
				switch m.label[m.inBlossom[v]] {
				case sLabel:
					m.dual[v] -= delta
				case tLabel:
					m.dual[v] += delta
				}
			}
			for b := n; b < 2*n; b++ {
				if m.base[b] >= 0 && m.parent[b] == -1 {
					switch m.label[b] {
					case sLabel:
						m.dual[b] += delta
					case tLabel:
						m.dual[b] -= delta
					}
				}
			}
			switch deltaType {
			case 1:
				// A vertex dual reached zero: the matching is optimal.
			case 2:
				m.allowed[deltaEdge] = true
				i, j := m.edges[deltaEdge].I, m.edges[deltaEdge].J
				if m.label[m.inBlossom[i]] == free {
					i, j = j, i
				}
				_ = j
				m.queue = append(m.queue, i)
			case 3:
				m.allowed[deltaEdge] = true
				m.queue = append(m.queue, m.edges[deltaEdge].I)
			case 4:
				m.expandBlossom(deltaBlossom, false)
			}
			if deltaType == 1 {
				break
			}
		}
		if !augmented {
			break
		}
		// End of the stage: expand the S-blossoms whose dual is zero.
		for b := n; b < 2*n; b++ {
			if m.parent[b] == -1 && m.base[b] >= 0 && m.label[b] == sLabel && m.dual[b] == 0 {
				m.expandBlossom(b, true)
			}
		}
	}
}

func (m *matcher) minVertexDual() int64 {
	d := m.dual[0]
	for _, x := range m.dual[1:m.n] {
		d = min(d, x)
	}
	return d
}
