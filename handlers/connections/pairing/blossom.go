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

// assignLabel labels w's top-level blossom t (S or T), reached through
// endpoint p, and labels the mate of a T-blossom's base S.
func (m *matcher) assignLabel(w, t, p int) {
	for {
		b := m.inBlossom[w]
		m.label[w], m.label[b] = t, t
		m.labelEnd[w], m.labelEnd[b] = p, p
		m.bestEdge[w], m.bestEdge[b] = -1, -1
		if t == sLabel {
			m.queue = m.leaves(m.queue, b)
			return
		}
		mb := m.mate[m.base[b]]
		w, t, p = m.end[mb], sLabel, mb^1
	}
}

// scanBlossom walks up the forest from S-vertices v and w alternately
// and returns the base of the new blossom where the paths meet, or -1
// when they reach two different roots (an augmenting path).
func (m *matcher) scanBlossom(v, w int) int {
	var path []int
	base := -1
	for v != -1 || w != -1 {
		b := m.inBlossom[v]
		if m.label[b]&breadcrumb != 0 {
			base = m.base[b]
			break
		}
		path = append(path, b)
		m.label[b] = sLabel | breadcrumb
		if m.labelEnd[b] == -1 {
			v = -1 // reached a root
		} else {
			v = m.end[m.labelEnd[b]]
			b = m.inBlossom[v] // the T-blossom above
			v = m.end[m.labelEnd[b]]
		}
		if w != -1 {
			v, w = w, v
		}
	}
	for _, b := range path {
		m.label[b] = sLabel
	}
	return base
}

// addBlossom makes a new blossom with the given base from the cycle
// closed by edge k between two S-vertices, and merges its sub-blossoms'
// least-slack edge lists.
func (m *matcher) addBlossom(base, k int) {
	v, w := m.edges[k].I, m.edges[k].J
	bb := m.inBlossom[base]
	bv, bw := m.inBlossom[v], m.inBlossom[w]
	b := m.unused[len(m.unused)-1]
	m.unused = m.unused[:len(m.unused)-1]
	m.base[b] = base
	m.parent[b] = -1
	m.parent[bb] = b
	var path, endps []int
	for bv != bb {
		m.parent[bv] = b
		path = append(path, bv)
		endps = append(endps, m.labelEnd[bv])
		v = m.end[m.labelEnd[bv]]
		bv = m.inBlossom[v]
	}
	path = append(path, bb)
	reverse(path)
	reverse(endps)
	endps = append(endps, 2*k)
	for bw != bb {
		m.parent[bw] = b
		path = append(path, bw)
		endps = append(endps, m.labelEnd[bw]^1)
		w = m.end[m.labelEnd[bw]]
		bw = m.inBlossom[w]
	}
	m.childs[b], m.endps[b] = path, endps
	m.label[b] = sLabel
	m.labelEnd[b] = m.labelEnd[bb]
	m.dual[b] = 0
	m.leafBuf = m.leaves(m.leafBuf[:0], b)
	for _, v := range m.leafBuf {
		if m.label[m.inBlossom[v]] == tLabel {
			// A former T-vertex is now an S-vertex: scan its edges.
			m.queue = append(m.queue, v)
		}
		m.inBlossom[v] = b
	}
	// The new blossom's least-slack edge to each other S-blossom.
	bestTo := m.bestTo
	m.touched = m.touched[:0]
	consider := func(k int) {
		j := m.edges[k].J
		if m.inBlossom[j] == b {
			j = m.edges[k].I
		}
		bj := m.inBlossom[j]
		if bj == b || m.label[bj] != sLabel {
			return
		}
		if bestTo[bj] == -1 {
			m.touched = append(m.touched, bj)
			bestTo[bj] = k
		} else if m.slack(k) < m.slack(bestTo[bj]) {
			bestTo[bj] = k
		}
	}
	for _, c := range path {
		if m.bestEdges[c] == nil {
			// A vertex or a blossom that was T: every edge of its leaves.
			m.leafBuf = m.leaves(m.leafBuf[:0], c)
			for _, v := range m.leafBuf {
				for _, p := range m.neigh[v] {
					consider(p / 2)
				}
			}
		} else {
			for _, k := range m.bestEdges[c] {
				consider(k)
			}
		}
		m.bestEdges[c] = nil
		m.bestEdge[c] = -1
	}
	list := make([]int, 0, len(m.touched))
	best := -1
	for _, bj := range m.touched {
		k := bestTo[bj]
		bestTo[bj] = -1
		list = append(list, k)
		if best == -1 || m.slack(k) < m.slack(best) {
			best = k
		}
	}
	m.bestEdges[b] = list
	m.bestEdge[b] = best
}

func reverse(s []int) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// at indexes a blossom's cycle, wrapping negative indices.
func at(s []int, j int) int {
	j %= len(s)
	if j < 0 {
		j += len(s)
	}
	return s[j]
}

// expandBlossom undoes blossom b: at the end of a stage (its dual is
// zero) or in a stage, when a T-blossom's dual reaches zero, in which
// case its sub-blossoms are relabelled along the even path through it.
func (m *matcher) expandBlossom(b int, endStage bool) {
	for _, s := range m.childs[b] {
		m.parent[s] = -1
		switch {
		case s < m.n:
			m.inBlossom[s] = s
		case endStage && m.dual[s] == 0:
			m.expandBlossom(s, endStage)
		default:
			m.leafBuf = m.leaves(m.leafBuf[:0], s)
			for _, v := range m.leafBuf {
				m.inBlossom[v] = s
			}
		}
	}
	if !endStage && m.label[b] == tLabel {
		childs, endps := m.childs[b], m.endps[b]
		// The sub-blossom through which the T-label entered.
		entry := m.inBlossom[m.end[m.labelEnd[b]^1]]
		j := index(childs, entry)
		// Walk from the entry to the base along the even-length side.
		var jstep, trick int
		if j&1 != 0 {
			j -= len(childs)
			jstep, trick = 1, 0
		} else {
			jstep, trick = -1, 1
		}
		p := m.labelEnd[b]
		for j != 0 {
			// Relabel the T-sub-blossom and the S-sub-blossom after it.
			m.label[m.end[p^1]] = free
			m.label[m.end[at(endps, j-trick)^trick^1]] = free
			m.assignLabel(m.end[p^1], tLabel, p)
			m.allowed[at(endps, j-trick)/2] = true
			j += jstep
			p = at(endps, j-trick) ^ trick
			m.allowed[p/2] = true
			j += jstep
		}
		// The base sub-blossom becomes T without relabelling its mate.
		bv := at(childs, j)
		m.label[m.end[p^1]], m.label[bv] = tLabel, tLabel
		m.labelEnd[m.end[p^1]], m.labelEnd[bv] = p, p
		m.bestEdge[bv] = -1
		j += jstep
		// The sub-blossoms off the even path lose their labels, except
		// one a T-vertex of which was reached from outside.
		for at(childs, j) != entry {
			bv := at(childs, j)
			if m.label[bv] == sLabel {
				j += jstep
				continue
			}
			for _, v := range m.leaves(nil, bv) {
				if m.label[v] != free {
					m.label[v] = free
					m.label[m.end[m.mate[m.base[bv]]]] = free
					m.assignLabel(v, tLabel, m.labelEnd[v])
					break
				}
			}
			j += jstep
		}
	}
	m.label[b], m.labelEnd[b] = free, -1
	m.childs[b], m.endps[b] = nil, nil
	m.base[b] = -1
	m.bestEdges[b] = nil
	m.bestEdge[b] = -1
	m.unused = append(m.unused, b)
}

func index(s []int, x int) int {
	for i, y := range s {
		if y == x {
			return i
		}
	}
	panic("pairing: sub-blossom not in its blossom")
}

// augmentBlossom swaps matched and unmatched edges along the even path
// from vertex v to blossom b's base, making v the new base.
func (m *matcher) augmentBlossom(b, v int) {
	t := v
	for m.parent[t] != b {
		t = m.parent[t]
	}
	if t >= m.n {
		m.augmentBlossom(t, v)
	}
	childs, endps := m.childs[b], m.endps[b]
	i := index(childs, t)
	j := i
	var jstep, trick int
	if i&1 != 0 {
		j -= len(childs)
		jstep, trick = 1, 0
	} else {
		jstep, trick = -1, 1
	}
	for j != 0 {
		j += jstep
		t = at(childs, j)
		p := at(endps, j-trick) ^ trick
		if t >= m.n {
			m.augmentBlossom(t, m.end[p])
		}
		j += jstep
		t = at(childs, j)
		if t >= m.n {
			m.augmentBlossom(t, m.end[p^1])
		}
		m.mate[m.end[p]] = p ^ 1
		m.mate[m.end[p^1]] = p
	}
	// Rotate the cycle so that the new base comes first.
	m.childs[b] = append(append([]int{}, childs[i:]...), childs[:i]...)
	m.endps[b] = append(append([]int{}, endps[i:]...), endps[:i]...)
	m.base[b] = m.base[m.childs[b][0]]
}

// augmentMatching flips the augmenting path through edge k, from each of
// its ends up to the roots of their trees.
func (m *matcher) augmentMatching(k int) {
	for _, sp := range [2][2]int{{m.edges[k].I, 2*k + 1}, {m.edges[k].J, 2 * k}} {
		s, p := sp[0], sp[1]
		for {
			bs := m.inBlossom[s]
			if bs >= m.n {
				m.augmentBlossom(bs, s)
			}
			m.mate[s] = p
			if m.labelEnd[bs] == -1 {
				break // the root: a single vertex
			}
			t := m.end[m.labelEnd[bs]]
			bt := m.inBlossom[t]
			s = m.end[m.labelEnd[bt]]
			j := m.end[m.labelEnd[bt]^1]
			if bt >= m.n {
				m.augmentBlossom(bt, j)
			}
			m.mate[j] = m.labelEnd[bt]
			p = m.labelEnd[bt] ^ 1
		}
	}
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
