package pairing

// Cafés: groups of three or four. The pairs of the matching are merged
// into fours by a second matching, on pairs, weighted by the four edges
// between them; the groups are then sized to threes and fours and
// improved by a local search of moves and swaps.

const (
	// penaltyForbidden makes a group that breaks a hard rule worse than
	// any group that keeps them; the local search never makes one, and
	// mends one the sizing had to make where it can.
	penaltyForbidden = 1_000_000
	// penaltyNoSenior is a group without a senior where the programme
	// wants a mix: worth more than any weight a swap could win.
	penaltyNoSenior = 50_000
	// penaltyRelaxInGroup is a relaxation step the search would add: the
	// stated relaxations are for people the rules starve, so one costs
	// more than a group without a senior.
	penaltyRelaxInGroup = 100_000
	// searchGroups bounds the groups each person is tried against in a
	// pass of the local search, so that a pass stays O(n).
	searchGroups = 32
	searchPasses = 30
	// largePasses bounds the passes past DenseLimit people, where a pass
	// weighs tens of millions of pairs: the first passes make nearly all
	// the moves.
	largePasses = 3
)

// cafes makes groups of three or four of the pairs and the singles, and
// returns those it could not place without breaking a confidential list
// or half the cooldown.
func (r *round) cafes(pairs [][]int, singles []int) (groups [][]int, left []int) {
	placed := 2*len(pairs) + len(singles)
	if placed == 0 {
		return nil, nil
	}
	target := (placed + 3) / 4 // the fewest groups of at most four
	// Merge pairs into fours.
	mate := r.matchBlocks(len(pairs), func(a, b int) (int64, bool) {
		var w int64
		for _, u := range pairs[a] {
			for _, v := range pairs[b] {
				x, ok := r.pairEdge(u, v)
				if !ok {
					return 0, false
				}
				w += x
			}
		}
		return w, true
	})
	var rest [][]int // unmerged pairs, then singles
	for a, b := range mate {
		switch {
		case b == -1:
			rest = append(rest, pairs[a])
		case a < b:
			groups = append(groups, append(append([]int{}, pairs[a]...), pairs[b]...))
		}
	}
	for _, v := range singles {
		rest = append(rest, []int{v})
	}
	// Too many fours for the others to make threes: start a group with
	// each remaining unit until there are enough groups.
	for len(groups) < target && len(rest) > 0 {
		groups = append(groups, rest[0])
		rest = rest[1:]
	}
	for _, unit := range rest {
		for _, v := range unit {
			r.place(groups, v)
		}
	}
	// Groups below three take members from fours.
	for {
		small := -1
		for g := range groups {
			if len(groups[g]) < 3 && (small == -1 || len(groups[g]) < len(groups[small])) {
				small = g
			}
		}
		if small == -1 || !r.moveInto(groups, small, false) {
			break
		}
	}
	r.localSearch(groups, nil)
	groups = r.kick(groups)
	return r.mend(groups)
}

// place adds v to the group with room where it scores best.
func (r *round) place(groups [][]int, v int) {
	best := -1
	var bestGain int64
	for g, members := range groups {
		if len(members) >= 4 {
			continue
		}
		if gain := r.contribution(v, members, -1); best == -1 || gain > bestGain {
			best, bestGain = g, gain
		}
	}
	groups[best] = append(groups[best], v)
}

// moveInto moves into group to the member of a four whose move scores
// best, and reports whether there was one to move; strict moves only a
// member whom the group's rules allow under some relaxation.
func (r *round) moveInto(groups [][]int, to int, strict bool) bool {
	from, who := -1, -1
	var bestGain int64
	for g, members := range groups {
		if len(members) != 4 {
			continue
		}
		for _, v := range members {
			if strict && !r.fits(v, groups[to], -1) {
				continue
			}
			gain := r.contribution(v, groups[to], -1) - r.contribution(v, members, v)
			if from == -1 || gain > bestGain {
				from, who, bestGain = g, v, gain
			}
		}
	}
	if from == -1 {
		return false
	}
	groups[from] = without(groups[from], who)
	groups[to] = append(groups[to], who)
	return true
}

func without(members []int, v int) []int {
	out := make([]int, 0, len(members))
	for _, u := range members {
		if u != v {
			out = append(out, u)
		}
	}
	return out
}

// pairScore is what u and v add to a group: their edge weight; less a
// penalty per relaxation step if only a relaxation not yet given to
// either allows them together; a penalty no weight outweighs if nothing
// does. The search can then tell a group a relaxation would mend from
// one nothing mends.
func (r *round) pairScore(u, v int) int64 {
	if w, ok := r.pairEdge(u, v); ok {
		return w
	}
	if need, ok := r.needs(u, v); ok {
		return r.edgeWeight(u, v, need) - penaltyRelaxInGroup*int64(need)
	}
	return -penaltyForbidden
}

// contribution is what v adds to the members of a group, skipping
// member skip (v itself, or the one v would replace).
func (r *round) contribution(v int, members []int, skip int) int64 {
	var s int64
	for _, u := range members {
		if u != skip && u != v {
			s += r.pairScore(u, v)
		}
	}
	return s
}

// seniorScore is the seniority mix's part of a group's score: the group
// with its member out replaced by in (out -1: in joins; in -1: out
// leaves).
func (r *round) seniorScore(members []int, out, in int) int64 {
	if r.in.Rules.SeniorYears == 0 {
		return 0
	}
	if in >= 0 && r.senior(in) {
		return 0
	}
	for _, u := range members {
		if u != out && r.senior(u) {
			return 0
		}
	}
	return -penaltyNoSenior
}

// localSearch improves the groups by moving a member of a four to a
// three and by swapping two members of different groups, while that
// raises the total score (weights, less the penalties for a broken rule
// or a group without a senior). Each member of the active groups (all
// when active is nil) is tried against at most searchGroups other
// groups per pass, drawn by the seed, so that a pass stays O(n).
func (r *round) localSearch(groups [][]int, active []int) {
	if len(groups) < 2 {
		return
	}
	if active == nil {
		active = make([]int, len(groups))
		for g := range active {
			active[g] = g
		}
	}
	tries := make([]int, 0, searchGroups)
	passes := searchPasses
	if r.n() > DenseLimit {
		passes = largePasses
	}
	for pass := 0; ; pass++ {
		moves := 0
		for _, a := range active {
			for _, x := range append([]int{}, groups[a]...) {
				tries = tries[:0]
				if len(groups) <= searchGroups {
					for b := range groups {
						tries = append(tries, b)
					}
				} else {
					for range searchGroups {
						tries = append(tries, r.rng.IntN(len(groups)))
					}
				}
				for _, b := range tries {
					if b == a {
						continue
					}
					if r.tryMove(groups, a, b, x) || r.trySwap(groups, a, b, x) {
						moves++
						break
					}
				}
			}
		}
		// Converged: a pass that moves fewer than one person in a
		// thousand is not worth another (on 1,170 people the passes move
		// 282, 47, 8, 3, 1, 0).
		if moves == 0 || moves*1000 < r.n() || pass+1 >= passes {
			return
		}
	}
}

// tryMove moves x from four a to three b if that scores better.
func (r *round) tryMove(groups [][]int, a, b, x int) bool {
	if len(groups[a]) != 4 || len(groups[b]) != 3 {
		return false
	}
	gain := r.contribution(x, groups[b], -1) - r.contribution(x, groups[a], x) +
		r.seniorScore(groups[a], x, -1) + r.seniorScore(groups[b], -1, x) -
		r.seniorScore(groups[a], -1, -1) - r.seniorScore(groups[b], -1, -1)
	if gain <= 0 {
		return false
	}
	groups[a] = without(groups[a], x)
	groups[b] = append(groups[b], x)
	return true
}

// trySwap swaps x of group a with the member of group b that scores the
// best swap, if any improves the score.
func (r *round) trySwap(groups [][]int, a, b, x int) bool {
	best := -1
	var bestGain int64
	xInA := r.contribution(x, groups[a], x)
	for i, y := range groups[b] {
		gain := r.contribution(y, groups[a], x) - xInA +
			r.contribution(x, groups[b], y) - r.contribution(y, groups[b], y) +
			r.seniorScore(groups[a], x, y) + r.seniorScore(groups[b], y, x) -
			r.seniorScore(groups[a], -1, -1) - r.seniorScore(groups[b], -1, -1)
		if gain > bestGain {
			best, bestGain = i, gain
		}
	}
	if best == -1 {
		return false
	}
	y := groups[b][best]
	for i, u := range groups[a] {
		if u == x {
			groups[a][i] = y
		}
	}
	groups[b][best] = x
	return true
}
