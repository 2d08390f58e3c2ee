package pairing

import "slices"

// When the cafés' local search ends with two people in one group whom
// the rules keep apart, kick perturbs and searches again, and mend
// relaxes the rules for them or moves one of them.

// kicks bounds the perturbations tried when the local search ends with
// two people in one group whom no relaxation allows together.
const kicks = 60

// kick is an iterated local search for the rare round where the swaps
// end in a local optimum that keeps two people together whom the rules
// keep apart at every level: the member of each such pair swaps with a
// random member of a random group, the search runs again, and the result
// is kept unless it has more such pairs.
func (r *round) kick(groups [][]int) [][]int {
	conflicts := r.hardConflicts(groups)
	if len(groups) < 2 {
		return groups // nowhere to kick to: mend decides
	}
	for k := 0; k < kicks && conflicts > 0; k++ {
		trial := make([][]int, len(groups))
		for g := range groups {
			trial[g] = append([]int{}, groups[g]...)
		}
		var touched []int
		for g := range trial {
			u, _, ok := r.hardConflict(trial[g])
			if !ok {
				continue
			}
			h := r.rng.IntN(len(trial) - 1)
			if h >= g {
				h++
			}
			i, j := slices.Index(trial[g], u), r.rng.IntN(len(trial[h]))
			trial[g][i], trial[h][j] = trial[h][j], trial[g][i]
			touched = append(touched, g, h)
		}
		// Only the kicked groups' members search: a kick is local.
		r.localSearch(trial, touched)
		if c := r.hardConflicts(trial); c <= conflicts {
			groups, conflicts = trial, c
		}
	}
	return groups
}

// hardConflict is a pair of members whom no relaxation allows together.
func (r *round) hardConflict(members []int) (int, int, bool) {
	for i, u := range members {
		for _, v := range members[i+1:] {
			if _, ok := r.needs(u, v); !ok {
				return u, v, true
			}
		}
	}
	return 0, 0, false
}

func (r *round) hardConflicts(groups [][]int) int {
	c := 0
	for _, members := range groups {
		if _, _, ok := r.hardConflict(members); ok {
			c++
		}
	}
	return c
}

// mend makes every group keep the rules, as far as they may be relaxed.
// The local search is a heuristic: where it ends with two people the
// rules keep apart in one group, the rules are relaxed for both, in the
// stated order, as for anyone the rules would otherwise leave without a
// group; where no relaxation allows the two together, one of them moves
// to a group with room that allows them, or swaps with a member of
// another group where both then fit, or is left out.
func (r *round) mend(groups [][]int) (kept [][]int, left []int) {
	type ejected struct{ v, from int }
	var out []ejected
	for g := range groups {
		for {
			u, v, ok := r.forbidden(groups[g])
			if !ok {
				break
			}
			if _, ok := r.needs(u, v); ok {
				r.relaxWithin(groups[g])
				continue
			}
			// Out goes the one of the two with more possible partners.
			x := u
			if r.degreeAtMost(v) > r.degreeAtMost(u) {
				x = v
			}
			groups[g] = without(groups[g], x)
			out = append(out, ejected{x, g})
		}
	}
	for _, e := range out {
		x := e.v
		best, bestGain := -1, int64(0)
		for g, members := range groups {
			if len(members) > 0 && len(members) < 4 && r.fits(x, members, -1) {
				if gain := r.contribution(x, members, -1); best == -1 || gain > bestGain {
					best, bestGain = g, gain
				}
			}
		}
		if best >= 0 {
			groups[best] = append(groups[best], x)
			r.relaxWithin(groups[best])
			continue
		}
		home := groups[e.from]
		swapped := false
		for h := range groups {
			if h == e.from || swapped {
				continue
			}
			for i, y := range groups[h] {
				if r.fits(x, groups[h], y) && r.fits(y, home, -1) {
					groups[h][i] = x
					groups[e.from] = append(groups[e.from], y)
					r.relaxWithin(groups[h])
					r.relaxWithin(groups[e.from])
					swapped = true
					break
				}
			}
		}
		if !swapped {
			left = append(left, x)
		}
	}
	// A group an ejection left below three takes a member from a four.
	for g := range groups {
		for len(groups[g]) > 0 && len(groups[g]) < 3 && r.moveInto(groups, g, true) {
			r.relaxWithin(groups[g])
		}
	}
	for _, members := range groups {
		switch len(members) {
		case 0:
		case 1:
			left = append(left, members[0]) // nobody to meet: said so, not a group of one
		default:
			kept = append(kept, members)
		}
	}
	return kept, left
}

// fits reports whether v may join members (but skip) under some
// relaxation.
func (r *round) fits(v int, members []int, skip int) bool {
	for _, u := range members {
		if u != skip && u != v {
			if _, ok := r.needs(u, v); !ok {
				return false
			}
		}
	}
	return true
}

// relaxWithin raises the levels of the members of a group that the
// rules keep apart to the relaxation that allows them together.
func (r *round) relaxWithin(members []int) {
	for i, u := range members {
		for _, v := range members[i+1:] {
			if _, ok := r.allowed(u, v); ok {
				continue
			}
			if need, ok := r.needs(u, v); ok {
				r.level[u] = max(r.level[u], need)
				r.level[v] = max(r.level[v], need)
			}
		}
	}
}

// forbidden is a pair of members the rules keep apart at their levels.
func (r *round) forbidden(members []int) (int, int, bool) {
	for i, u := range members {
		for _, v := range members[i+1:] {
			if _, ok := r.allowed(u, v); !ok {
				return u, v, true
			}
		}
	}
	return 0, 0, false
}
