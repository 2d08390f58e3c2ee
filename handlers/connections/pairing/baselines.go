package pairing

import "slices"

// The baselines form pairs whatever Rules.Size says: the tools they
// stand for pair only.

// Shuffle is the Teams Icebreaker template's pairing, a baseline: the
// people shuffled by the seed, neighbours paired, the odd one dropped. It
// knows no rules and no history; the result's checks say which rules its
// pairs happen to break.
func Shuffle(in Input) (Result, error) {
	in.Rules.Size = Pairs
	r, err := newRound(in)
	if err != nil {
		return Result{}, err
	}
	var pairs [][]int
	for v := 0; v+1 < r.n(); v += 2 {
		pairs = append(pairs, []int{v, v + 1})
	}
	var left []LeftOut
	if r.n()%2 == 1 {
		left = append(left, LeftOut{ID: r.people[r.n()-1].ID, Reason: ReasonOdd})
	}
	return r.result(pairs, left), nil
}

// Greedy is a baseline with the matcher's rules and weights but no
// matching: the heaviest allowed edge first, then the next heaviest
// between people still unpaired. It relaxes nothing.
func Greedy(in Input) (Result, error) {
	in.Rules.Size = Pairs
	r, err := newRound(in)
	if err != nil {
		return Result{}, err
	}
	edges := r.candidateEdges(r.n(), r.candidates(), r.pairEdge)
	// Stable: equal weights keep the seeded vertex order.
	slices.SortStableFunc(edges, func(a, b Edge) int {
		switch {
		case a.Weight > b.Weight:
			return -1
		case a.Weight < b.Weight:
			return 1
		}
		return 0
	})
	paired := make([]bool, r.n())
	var pairs [][]int
	for _, e := range edges {
		if !paired[e.I] && !paired[e.J] {
			paired[e.I], paired[e.J] = true, true
			pairs = append(pairs, []int{e.I, e.J})
		}
	}
	var singles []int
	for v, p := range paired {
		if !p {
			singles = append(singles, v)
		}
	}
	var left []LeftOut
	for _, v := range singles {
		reason := ReasonNoPartner
		if len(singles) == 1 && r.n()%2 == 1 {
			reason = ReasonOdd
		}
		left = append(left, LeftOut{ID: r.people[v].ID, Reason: reason})
	}
	return r.result(pairs, left), nil
}
