package pairing

import (
	"math/rand/v2"
	"testing"
)

// checkCertificate fails unless the matcher's final duals prove its
// matching optimal (Galil 1986, the linear program's dual): every dual
// non-negative, no edge with negative reduced cost, every matched edge
// tight, every single vertex at the lowest dual (zero without
// maxCardinality), and every blossom with a positive dual full.
func checkCertificate(t *testing.T, m *matcher, maxCard bool) {
	t.Helper()
	n := m.n
	var offset int64
	if maxCard && n > 0 {
		offset = max(0, -m.minVertexDual())
	}
	for v := range n {
		if m.dual[v]+offset < 0 {
			t.Fatalf("vertex %d dual %d < 0", v, m.dual[v]+offset)
		}
	}
	for b := n; b < 2*n; b++ {
		if m.base[b] >= 0 && m.dual[b] < 0 {
			t.Fatalf("blossom %d dual %d < 0", b, m.dual[b])
		}
	}
	// ancestors lists a vertex's blossoms, outermost first.
	ancestors := func(v int) []int {
		chain := []int{v}
		for m.parent[chain[len(chain)-1]] != -1 {
			chain = append(chain, m.parent[chain[len(chain)-1]])
		}
		reverse(chain)
		return chain
	}
	for k, e := range m.edges {
		s := m.dual[e.I] + m.dual[e.J] - 2*e.Weight
		ai, aj := ancestors(e.I), ancestors(e.J)
		for x := 0; x < len(ai) && x < len(aj) && ai[x] == aj[x]; x++ {
			s += 2 * m.dual[ai[x]]
		}
		if s < 0 {
			t.Fatalf("edge %d %v has reduced cost %d < 0", k, e, s)
		}
		mi, mj := m.mate[e.I], m.mate[e.J]
		if mi >= 0 && mi/2 == k || mj >= 0 && mj/2 == k {
			if mi/2 != k || mj/2 != k {
				t.Fatalf("edge %d matched at one end only", k)
			}
			if s != 0 {
				t.Fatalf("matched edge %d %v has reduced cost %d, want 0", k, e, s)
			}
		}
	}
	for v := range n {
		if m.mate[v] < 0 && m.dual[v]+offset != 0 {
			t.Fatalf("single vertex %d has dual %d, want 0", v, m.dual[v]+offset)
		}
	}
	for b := n; b < 2*n; b++ {
		if m.base[b] < 0 || m.dual[b] <= 0 {
			continue
		}
		if len(m.endps[b])%2 != 1 {
			t.Fatalf("blossom %d with dual %d has an even cycle of %d", b, m.dual[b], len(m.endps[b]))
		}
		// Full: the odd-numbered links of the cycle are matched edges.
		for i := 1; i < len(m.endps[b]); i += 2 {
			p := m.endps[b][i]
			if m.mate[m.end[p]] != p^1 || m.mate[m.end[p^1]] != p {
				t.Fatalf("blossom %d with dual %d is not full at link %d", b, m.dual[b], i)
			}
		}
	}
}

func TestMaxWeightMatchingCertificate(t *testing.T) {
	graphs := 300
	if testing.Short() {
		graphs = 40
	}
	for seed := range graphs {
		r := rand.New(rand.NewPCG(uint64(seed), 1986))
		n := 10 + r.IntN(150)
		density := []float64{0.05, 0.2, 1}[seed%3]
		hi := []int64{3, 100, 1 << 30}[seed/3%3]
		edges := randomGraph(r, n, density, 0, hi)
		for _, maxCard := range []bool{false, true} {
			m := newMatcher(n, edges)
			m.solve(maxCard)
			checkMatching(t, n, edges, m.partners())
			checkCertificate(t, m, maxCard)
		}
	}
}
