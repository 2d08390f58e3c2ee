package figures

import "slices"

// Cell is the finest group a round counts: the people who share one key
// in every breakdown (one department and one tenure band). Publish
// decides from cells; a cell itself is never shown.
type Cell struct {
	Keys []string // one per breakdown, in the order given to Publish
	Tally
}

// Group is one group of a release: the organisation or one group of a
// breakdown. A group that is not shown keeps its key only: its Tally is
// zero. A shown group's Tally holds its counts and the answers of the
// items shown in it; an item hidden in the group has no entry.
type Group struct {
	Key   string
	Shown bool
	Tally
}

// Release is what a round may publish: the organisation and every
// breakdown's groups, decided together by Publish. It holds nothing finer
// than a report may show, so it is what a closed round keeps.
type Release struct {
	K          int
	Breakdowns []string
	Org        Group
	Groups     [][]Group // per breakdown, in Breakdowns' order; each in key order
}

// Breakdown returns the groups of the breakdown named name, or nil.
func (r Release) Breakdown(name string) []Group {
	if i := slices.Index(r.Breakdowns, name); i >= 0 && i < len(r.Groups) {
		return r.Groups[i]
	}
	return nil
}

// Publish decides what a round may show over all the tables it publishes
// together (the organisation total and one table per breakdown), from
// the round's cells, with minimum group size k.
//
// A group (the organisation too) is shown only with at least k
// respondents, and only among the groups Live shows (so that what a
// round showed while open and what it shows closed together show no
// finer group). Then, over the shown groups, cells are gathered into
// atoms: the cells that belong to exactly the same shown groups. Every
// sum or difference of shown groups (any linear combination of their
// membership vectors) is constant on each atom, so a combination that
// picks out a set of people picks out a union of atoms. Publish hides
// more groups until every atom has at least k invitees and either no
// respondent or at least k: then no combination of shown groups isolates
// 1 to k-1 respondents, or the answering of fewer than k invitees (a
// group with invitees forces protection even with no respondent). To
// mend an atom that is too small it hides the fewest groups (departments
// last, then the fewest invitees) that tell it apart from another atom,
// so the two merge; each step merges atoms, so it ends.
//
// Each item is decided the same way on its own answer counts (optional
// items have fewer answers than the group respondents), over the groups
// shown: an item's figure in a group is shown only with at least k
// answers and when every atom of the groups showing it has no answer or
// at least k.
//
// The decision depends only on the cells, never on who asks: every role
// sees a part of one release.
func Publish(items []Item, breakdowns []string, cells []Cell, k int) Release {
	return decide(items, breakdowns, cells, k, false)
}

// Live decides which counts an open round may show (its live status and
// response rates): the organisation's from k respondents on, and the
// groups of every breakdown whose atoms (as in Publish) all have at least
// k invitees. It is decided on invitees, which are fixed for the round,
// so the groups shown do not change as answers come in (only the
// organisation's appears once k answered): reading the status again and
// again tells when people answered, never closer than a group of k
// invitees. A group may show fewer than k respondents: a count, never an
// answer (Live shows no figure). Publish shows a part of the same groups
// when the round closes, so the two together show no finer group.
func Live(breakdowns []string, cells []Cell, k int) Release {
	return decide(nil, breakdowns, cells, k, true)
}

// decide is Publish, or Live with live set.
func decide(items []Item, breakdowns []string, cells []Cell, k int, live bool) Release {
	if k < 1 {
		k = 1
	}
	// Groups: 0 is the organisation, then each breakdown's keys in order.
	type group struct {
		b     int // breakdown, -1 for the organisation
		key   string
		tally Tally
	}
	gs := []group{{b: -1}}
	first := make([]int, len(breakdowns)) // index of each breakdown's first group
	index := make([]map[string]int, len(breakdowns))
	for b := range breakdowns {
		var keys []string
		for _, c := range cells {
			keys = append(keys, keyOf(c, b))
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		first[b], index[b] = len(gs), map[string]int{}
		for _, key := range keys {
			index[b][key] = len(gs)
			gs = append(gs, group{b: b, key: key})
		}
	}
	member := make([][]int, len(cells)) // the groups of each cell, ascending
	for i, c := range cells {
		member[i] = []int{0}
		for b := range breakdowns {
			member[i] = append(member[i], index[b][keyOf(c, b)])
		}
		for _, g := range member[i] {
			gs[g].tally.Add(c.Tally)
		}
	}
	// What hiding a group costs: groups of earlier breakdowns (the
	// departments, which managers read) go last, then bigger groups by
	// invitees. Invitees, not respondents: they are fixed while a round is
	// open, so the choice between two groups does not flip as answers
	// come in (a flip would show both, at two moments).
	cost := make([]groupCost, len(gs))
	for g := range gs {
		cost[g] = groupCost{rank: len(breakdowns) - gs[g].b, n: gs[g].tally.Invited}
	}

	// First the groups whose counts may be shown while the round is open
	// (Live): decided on invitees, fixed for the round; then, within
	// them, the groups with k respondents, decided on respondents too.
	shown := make([]bool, len(gs))
	if gs[0].tally.N >= k {
		for g := range gs {
			shown[g] = gs[g].tally.Invited >= k
		}
	}
	refine(shown, member, cost, func(atom []int) bool {
		inv := 0
		for _, c := range atom {
			inv += cells[c].Invited
		}
		return inv == 0 || inv >= k
	})
	if !live {
		for g := range gs {
			shown[g] = shown[g] && gs[g].tally.N >= k
		}
		refine(shown, member, cost, func(atom []int) bool {
			inv, resp := 0, 0
			for _, c := range atom {
				inv += cells[c].Invited
				resp += cells[c].N
			}
			return (inv == 0 && resp == 0) || (inv >= k && (resp == 0 || resp >= k))
		})
	}

	itemShown := map[string][]bool{}
	for _, it := range items {
		if !it.hasFigures() {
			continue
		}
		s := make([]bool, len(gs))
		if shown[0] && gs[0].tally.Answered(it) >= k {
			for g := range gs {
				s[g] = shown[g] && gs[g].tally.Answered(it) >= k
			}
		}
		refine(s, member, cost, func(atom []int) bool {
			a := 0
			for _, c := range atom {
				a += cells[c].Answered(it)
			}
			return a == 0 || a >= k
		})
		itemShown[it.ID] = s
	}

	out := func(g int) Group {
		if !shown[g] {
			return Group{Key: gs[g].key}
		}
		return Group{Key: gs[g].key, Shown: true, Tally: gs[g].tally.only(items, func(it Item) bool {
			s, ok := itemShown[it.ID]
			return ok && s[g]
		})}
	}
	rel := Release{K: k, Breakdowns: slices.Clone(breakdowns), Org: out(0), Groups: make([][]Group, len(breakdowns))}
	for g := 1; g < len(gs); g++ {
		rel.Groups[gs[g].b] = append(rel.Groups[gs[g].b], out(g))
	}
	return rel
}

// keyOf is a cell's key in breakdown b ("" when it has none).
func keyOf(c Cell, b int) string {
	if b < len(c.Keys) {
		return c.Keys[b]
	}
	return ""
}

// atom is a set of cells that belong to the same shown groups.
type atom struct {
	sig   []int // the shown groups, ascending
	cells []int
}

// atoms gathers cells by the shown groups they belong to, in the order of
// their first cell. Cells in no shown group are left out: no combination
// of shown groups reaches them.
func atoms(shown []bool, member [][]int) []atom {
	var out []atom
	at := map[string]int{}
	for c, gs := range member {
		var sig []int
		key := make([]byte, 0, 4*len(gs))
		for _, g := range gs {
			if shown[g] {
				sig = append(sig, g)
				key = append(key, byte(g>>24), byte(g>>16), byte(g>>8), byte(g))
			}
		}
		if len(sig) == 0 {
			continue
		}
		i, ok := at[string(key)]
		if !ok {
			i = len(out)
			at[string(key)] = i
			out = append(out, atom{sig: sig})
		}
		out[i].cells = append(out[i].cells, c)
	}
	return out
}

// symdiff are the groups in exactly one of two ascending lists.
func symdiff(a, b []int) []int {
	var out []int
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i] < b[j]):
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			i, j = i+1, j+1
		}
	}
	return out
}

// groupCost is what hiding a group loses: its breakdown's rank (higher
// for earlier breakdowns) and its invitees.
type groupCost struct{ rank, n int }

// costOf is the cost of hiding groups, to compare with slices.Compare:
// how many, then how many of each rank (highest first), then invitees.
func costOf(gs []int, cost []groupCost) []int {
	maxRank := 0
	for _, c := range cost {
		maxRank = max(maxRank, c.rank)
	}
	out := make([]int, maxRank+3)
	out[0] = len(gs)
	for _, g := range gs {
		out[1+maxRank-cost[g].rank]++
		out[len(out)-1] += cost[g].n
	}
	return out
}

// refine hides shown groups until every atom passes ok. For an atom that
// fails it hides the groups that tell it apart from the atom it costs
// least to merge with (costOf: fewest groups, then fewest of the earlier
// breakdowns, then fewest invitees; then the earliest atom). Hiding
// only merges atoms, so atoms that passed still pass when ok holds for
// unions of passing atoms.
func refine(shown []bool, member [][]int, cost []groupCost, ok func(atom []int) bool) {
	for {
		as := atoms(shown, member)
		bad := -1
		for i, a := range as {
			if !ok(a.cells) {
				bad = i
				break
			}
		}
		if bad < 0 {
			return
		}
		var hide, best []int
		for i, a := range as {
			if i == bad {
				continue
			}
			d := symdiff(as[bad].sig, a.sig)
			if c := costOf(d, cost); best == nil || slices.Compare(c, best) < 0 {
				hide, best = d, c
			}
		}
		if best == nil {
			hide = as[bad].sig // one atom and it fails: show nothing
		}
		for _, g := range hide {
			shown[g] = false
		}
	}
}
