package pairing

// Pair forms one round's groups. It fails only on an input it cannot
// trust: a person without an id or listed twice, an unknown Size, a
// negative cooldown or seniority.
func Pair(in Input) (Result, error) {
	r, err := newRound(in)
	if err != nil {
		return Result{}, err
	}
	minSize := 2
	if r.in.Rules.Size == Cafes {
		minSize = 3
	}
	if r.n() < minSize {
		var left []LeftOut
		for v := range r.n() {
			left = append(left, LeftOut{ID: r.people[v].ID, Reason: ReasonTooFew})
		}
		return r.result(nil, left), nil
	}
	mate := r.match()
	var pairs [][]int
	var singles []int
	for v, u := range mate {
		switch {
		case u == -1:
			singles = append(singles, v)
		case v < u:
			pairs = append(pairs, []int{v, u})
		}
	}
	if r.in.Rules.Size == Cafes {
		var placeable []int
		var left []LeftOut
		for _, v := range singles {
			// Someone no one may be grouped with at the last level cannot
			// join a café either.
			if r.degreeAtMost(v) == 0 {
				left = append(left, LeftOut{ID: r.people[v].ID, Reason: ReasonNoPartner})
			} else {
				placeable = append(placeable, v)
			}
		}
		groups, out := r.cafes(pairs, placeable)
		for _, v := range out {
			left = append(left, LeftOut{ID: r.people[v].ID, Reason: ReasonNoPartner})
		}
		return r.result(groups, left), nil
	}
	var left []LeftOut
	for _, v := range singles {
		if r.in.Rules.AllowThree && r.joinAsThird(v, pairs) {
			continue
		}
		reason := ReasonNoPartner
		if len(singles) == 1 && r.n()%2 == 1 && r.degree(v) > 0 && !r.in.Rules.AllowThree {
			reason = ReasonOdd
		}
		left = append(left, LeftOut{ID: r.people[v].ID, Reason: reason})
	}
	return r.result(pairs, left), nil
}

// match pairs as many people as the rules allow, with the heaviest such
// matching, relaxing the rules for the people it leaves single while
// that groups more of them: first the cooldown halved, then the same
// department allowed.
func (r *round) match() []int {
	n := r.n()
	for {
		mate := r.matchBlocks(n, r.pairEdge)
		var singles []int
		for v, u := range mate {
			if u == -1 {
				singles = append(singles, v)
			}
		}
		// More singles than the parity leaves are starved; a lone single
		// with no allowed partner at all is starved too, not merely odd.
		starved := singles
		if len(singles) <= n%2 {
			starved = nil
			for _, v := range singles {
				if r.degree(v) == 0 {
					starved = append(starved, v)
				}
			}
		}
		raised := false
		for _, v := range starved {
			if r.level[v] < SameDepartmentAllowed {
				r.level[v]++
				raised = true
			}
		}
		if !raised {
			return mate
		}
	}
}

// blockSize is the size of the blocks a large round is matched in.
const blockSize = 1000

// matchBlocks is a maximum-cardinality, maximum-weight matching of
// items 0..n-1 under edge. Up to DenseLimit items (or with
// Input.Candidates set) it is one matching of the candidate graph. Past
// that the blossom algorithm's n/2 stages, each of which may scan every
// edge, cost too much even on a sparse graph, so the items (in the
// seeded random order) are cut into blocks of about blockSize, each
// matched on its sparse candidate graph, and the blocks' singles are
// matched together.
func (r *round) matchBlocks(n int, edge func(a, b int) (int64, bool)) []int {
	if n <= DenseLimit || r.in.Candidates > 0 {
		return MaxWeightMatching(n, r.candidateEdges(n, r.candidates(), edge), true)
	}
	mate := fill(make([]int, n), -1)
	blocks := (n + blockSize - 1) / blockSize
	var singles []int
	for b := range blocks {
		lo, hi := b*n/blocks, (b+1)*n/blocks
		sub := MaxWeightMatching(hi-lo, r.candidateEdges(hi-lo, SparseCandidates, func(x, y int) (int64, bool) {
			return edge(lo+x, lo+y)
		}), true)
		for x, y := range sub {
			if y == -1 {
				singles = append(singles, lo+x)
			} else {
				mate[lo+x] = lo + y
			}
		}
	}
	sub := MaxWeightMatching(len(singles), r.candidateEdges(len(singles), 0, func(x, y int) (int64, bool) {
		return edge(singles[x], singles[y])
	}), true)
	for x, y := range sub {
		if y != -1 {
			mate[singles[x]] = singles[y]
		}
	}
	return mate
}

// pairEdge is the matching's edge between u and v at the current levels.
func (r *round) pairEdge(u, v int) (int64, bool) {
	hist := r.history(u, v)
	need, ok := r.needsPast(u, v, hist)
	if !ok || need > max(r.level[u], r.level[v]) {
		return 0, false
	}
	return r.weightPast(u, v, hist, nil) - penaltyPerRelaxed*int64(need), true
}

// degree counts the people v may be grouped with at the current levels.
func (r *round) degree(v int) int {
	d := 0
	for u := range r.n() {
		if u != v {
			if _, ok := r.allowed(u, v); ok {
				d++
			}
		}
	}
	return d
}

// degreeAtMost counts the people v may be grouped with at the last
// relaxation level.
func (r *round) degreeAtMost(v int) int {
	d := 0
	for u := range r.n() {
		if _, ok := r.needs(u, v); ok && u != v {
			d++
		}
	}
	return d
}

// joinAsThird adds v to the pair it fits best (allowed with both, the
// heaviest two edges), relaxing the rules for v if no pair takes it.
func (r *round) joinAsThird(v int, groups [][]int) bool {
	for {
		best, bestW := -1, int64(0)
		for g, members := range groups {
			if len(members) != 2 {
				continue // one third per pair
			}
			var w int64
			ok := true
			for _, u := range members {
				x, allowed := r.pairEdge(u, v)
				ok = ok && allowed
				w += x
			}
			if ok && (best == -1 || w > bestW) {
				best, bestW = g, w
			}
		}
		if best >= 0 {
			groups[best] = append(groups[best], v)
			return true
		}
		if r.level[v] == SameDepartmentAllowed {
			return false
		}
		r.level[v]++
	}
}
