package pairing

// The blossom algorithm's operations on the alternating forest: labelling,
// finding where two paths meet, making and undoing blossoms, and
// augmenting through them. solve (blossom.go) decides when each runs.

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
