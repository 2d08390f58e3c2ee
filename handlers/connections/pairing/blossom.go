package pairing

// Edge is an edge of a general graph between vertices I and J (0 <= I, J
// < n, I != J) with an integer weight.
type Edge struct {
	I, J   int
	Weight int64
}

// MaxWeightMatching returns a maximum-weight matching of the graph with
// n vertices and the given edges: mate[v] is v's partner or -1. With
// maxCardinality, it is a maximum-weight matching among those of
// maximum cardinality.
func MaxWeightMatching(n int, edges []Edge, maxCardinality bool) []int {
	mate := make([]int, n)
	for i := range mate {
		mate[i] = -1
	}
	return mate
}
