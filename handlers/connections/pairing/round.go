package pairing

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
)

// The weights of the soft preferences. Integers, so that the matching's
// duals are exact; the scale says what matters most: not having met,
// then another department, then a seniority mix, then a shared language.
const (
	weightBase        = 100 // any allowed pair: a pair is better than none
	weightNeverMet    = 400
	weightMetLongAgo  = 300 // in full after metHorizon rounds, in part before
	metHorizon        = 26  // half a year of weekly rounds
	weightOtherDept   = 200
	weightMix         = 150 // a junior with a senior, where the programme wants a mix
	weightPerYearGap  = 5   // and a little more for each year apart
	maxYearGap        = 20
	weightLanguage    = 100
	weightPosting     = 50
	weightPerTopic    = 20
	weightLeftOut     = 2000 // more than any pair weighs: it only picks the odd one (in full for the last round's, less for earlier ones)
	maxTopics         = 3
	penaltyPerRelaxed = 5000 // a relaxed edge only where it saves someone, whatever else weighs
)

// round is one round's people, prepared for fast edge tests: features as
// small integers, history as a map of pairs.
type round struct {
	in     Input
	people []Person // in vertex order: Input.People shuffled by the seed
	input  []int    // input[v]: v's index in Input.People
	index  map[ID]int
	dept   []int // 0 = unknown
	post   []int
	years  []int // -1 = unknown
	langs  []uint64
	topics [][]int  // sorted
	met    [][]past // met[v]: v's past partners, by partner (history)
	leftAt []int    // the last round each was left out, or 0
	avoid  map[pairKey]bool
	level  []Relaxation // per vertex: how far the rules are relaxed for them
	rng    *rand.Rand
}

type pairKey struct{ a, b int32 }

func key(u, v int) pairKey {
	if u > v {
		u, v = v, u
	}
	return pairKey{int32(u), int32(v)}
}

// newRound checks the input and prepares it.
func newRound(in Input) (*round, error) {
	switch in.Rules.Size {
	case 0:
		in.Rules.Size = Pairs
	case Pairs, Cafes:
	default:
		return nil, fmt.Errorf("pairing: unknown group size %d", in.Rules.Size)
	}
	if in.Rules.Cooldown < 0 || in.Rules.SeniorYears < 0 {
		return nil, errors.New("pairing: negative cooldown or seniority")
	}
	n := len(in.People)
	r := &round{in: in, index: make(map[ID]int, n), rng: rand.New(rand.NewPCG(in.Seed, 0x9e3779b97f4a7c15))}
	// The seeded order breaks every tie: the matching, the greedy
	// baseline and the local search all prefer earlier vertices.
	r.input = r.rng.Perm(n)
	r.people = make([]Person, n)
	for v, i := range r.input {
		p := in.People[i]
		if p.ID == "" {
			return nil, fmt.Errorf("pairing: person %d has no id", i)
		}
		if _, dup := r.index[p.ID]; dup {
			return nil, fmt.Errorf("pairing: %s listed twice", p.ID)
		}
		r.index[p.ID] = v
		r.people[v] = p
	}
	depts, posts, langs, topics := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	id := func(m map[string]int, s string) int {
		if s == "" {
			return 0
		}
		if x, ok := m[s]; ok {
			return x
		}
		m[s] = len(m) + 1
		return m[s]
	}
	r.dept, r.post, r.years = make([]int, n), make([]int, n), make([]int, n)
	r.langs, r.topics = make([]uint64, n), make([][]int, n)
	r.level = make([]Relaxation, n)
	for v, p := range r.people {
		r.dept[v] = id(depts, p.Department)
		r.post[v] = id(posts, p.Posting)
		r.years[v] = -1
		if p.JoinYear > 0 && in.Year >= p.JoinYear {
			r.years[v] = in.Year - p.JoinYear
		}
		for _, l := range p.Languages {
			// Past 64 languages the bits wrap: a false "shared language"
			// costs a little weight, never a rule.
			r.langs[v] |= 1 << ((id(langs, l) - 1) % 64)
		}
		for _, t := range p.Topics {
			r.topics[v] = append(r.topics[v], id(topics, t))
		}
		slices.Sort(r.topics[v])
		r.topics[v] = slices.Compact(r.topics[v])
	}
	// Each person's past partners with the last round they met, sorted
	// by partner: a binary search in a list of a few dozen is several
	// times faster than a map of every pair the programme ever made, and
	// the local search of a large café round asks hundreds of millions
	// of times.
	r.met = make([][]past, n)
	for _, g := range in.History.Groups {
		if g.Round >= in.Round || g.Round < 1 {
			continue // not history of this round
		}
		for i, a := range g.Members {
			u, ok := r.index[a]
			if !ok {
				continue
			}
			for _, b := range g.Members[i+1:] {
				if w, ok := r.index[b]; ok && w != u {
					e := past{grouped: int32(g.Round)}
					if g.Met {
						e.met, e.everMet = int32(g.Round), true
					}
					e.partner = int32(w)
					r.met[u] = append(r.met[u], e)
					e.partner = int32(u)
					r.met[w] = append(r.met[w], e)
				}
			}
		}
	}
	for v, list := range r.met {
		// By partner, then one entry per partner: the last round grouped
		// and the last round they met.
		slices.SortFunc(list, func(x, y past) int { return int(x.partner - y.partner) })
		out := list[:0]
		for _, e := range list {
			if k := len(out) - 1; k >= 0 && out[k].partner == e.partner {
				out[k].grouped = max(out[k].grouped, e.grouped)
				if e.everMet {
					out[k].met, out[k].everMet = max(out[k].met, e.met), true
				}
				continue
			}
			out = append(out, e)
		}
		r.met[v] = out
	}
	r.leftAt = make([]int, n)
	for id, round := range in.History.LeftOut {
		if v, ok := r.index[id]; ok && round < in.Round {
			r.leftAt[v] = round
		}
	}
	r.avoid = map[pairKey]bool{}
	for a, list := range in.Rules.Avoid {
		u, ok := r.index[a]
		if !ok {
			continue
		}
		for _, b := range list {
			if w, ok := r.index[b]; ok && w != u {
				r.avoid[key(u, w)] = true
			}
		}
	}
	return r, nil
}

// past is a pair's history: the last round they were grouped (for the
// cooldown: they were introduced) and the last round they reported that
// they met (for the weights: a pair that never managed to meet still
// has everything to gain from meeting).
type past struct {
	partner      int32
	grouped, met int32
	everMet      bool
}

// history is u and v's past; partner is 0 and grouped is 0 if they were
// never grouped.
func (r *round) history(u, v int) past {
	list, other := r.met[u], int32(v)
	if len(r.met[v]) < len(list) {
		list, other = r.met[v], int32(u)
	}
	i, found := slices.BinarySearchFunc(list, other, func(e past, p int32) int { return int(e.partner - p) })
	if !found {
		return past{}
	}
	return list[i]
}

func (r *round) n() int { return len(r.people) }

// senior reports whether v counts as senior for the seniority mix.
func (r *round) senior(v int) bool {
	return r.in.Rules.SeniorYears > 0 && r.years[v] >= r.in.Rules.SeniorYears
}

// sameDept reports whether u and v share a known department.
func (r *round) sameDept(u, v int) bool { return r.dept[u] != 0 && r.dept[u] == r.dept[v] }

// withinCooldown reports whether u and v were grouped within cooldown
// rounds of this one.
func (r *round) withinCooldown(u, v, cooldown int) bool {
	return r.within(r.history(u, v), cooldown)
}

// within reports whether a pair with this past was grouped within
// cooldown rounds of this one.
func (r *round) within(p past, cooldown int) bool {
	return p.grouped > 0 && cooldown > 0 && r.in.Round-int(p.grouped) <= cooldown
}

// needs is the least relaxation under which u and v may be grouped, and
// whether they may be at all. The levels are cumulative: CooldownHalved
// allows a pair last grouped more than Cooldown/2 rounds ago;
// SameDepartmentAllowed also allows two of one department. Nothing
// relaxes the confidential lists or half the cooldown.
func (r *round) needs(u, v int) (Relaxation, bool) {
	return r.needsPast(u, v, r.history(u, v))
}

// needsPast is needs with the pair's history already looked up: the
// lookup is the hot path of a large round.
func (r *round) needsPast(u, v int, p past) (Relaxation, bool) {
	rules := r.in.Rules
	if r.within(p, rules.Cooldown/2) || len(r.avoid) > 0 && r.avoid[key(u, v)] {
		return 0, false
	}
	switch {
	case rules.CrossDepartment && r.sameDept(u, v):
		return SameDepartmentAllowed, true
	case r.within(p, rules.Cooldown):
		return CooldownHalved, true
	}
	return NoRelaxation, true
}

// allowed is the edge test at the current relaxation levels: a pair may
// be grouped if the rules, relaxed as far as the more relaxed of the two
// needs, allow it. It returns the relaxation the edge uses.
func (r *round) allowed(u, v int) (Relaxation, bool) {
	need, ok := r.needs(u, v)
	if !ok || need > max(r.level[u], r.level[v]) {
		return 0, false
	}
	return need, true
}

// weight is the preference for grouping u and v, without any relaxation
// penalty; with reasons it also lists the factors.
func (r *round) weight(u, v int, reasons *[]Reason) int64 {
	return r.weightPast(u, v, r.history(u, v), reasons)
}

// weightPast is weight with the pair's history already looked up.
func (r *round) weightPast(u, v int, p past, reasons *[]Reason) int64 {
	w := int64(weightBase)
	add := func(rs Reason) {
		w += rs.Weight
		if reasons != nil && rs.Weight != 0 {
			rs.A, rs.B = r.people[u].ID, r.people[v].ID
			*reasons = append(*reasons, rs)
		}
	}
	if !p.everMet {
		add(Reason{Code: ReasonNeverMet, Weight: weightNeverMet})
	} else {
		since := r.in.Round - int(p.met)
		add(Reason{Code: ReasonMetLongAgo, Rounds: since, Weight: int64(weightMetLongAgo * min(since, metHorizon) / metHorizon)})
	}
	if r.dept[u] != 0 && r.dept[v] != 0 && r.dept[u] != r.dept[v] {
		add(Reason{Code: ReasonOtherDept, Weight: weightOtherDept})
	}
	if r.in.Rules.SeniorYears > 0 && r.years[u] >= 0 && r.years[v] >= 0 && r.senior(u) != r.senior(v) {
		gap := r.years[u] - r.years[v]
		if gap < 0 {
			gap = -gap
		}
		add(Reason{Code: ReasonSeniorityGap, Years: gap, Weight: int64(weightMix + weightPerYearGap*min(gap, maxYearGap))})
	}
	if r.langs[u]&r.langs[v] != 0 {
		add(Reason{Code: ReasonSharedLanguage, Weight: weightLanguage})
	}
	if r.post[u] != 0 && r.post[v] != 0 && r.post[u] != r.post[v] {
		add(Reason{Code: ReasonOtherPosting, Weight: weightPosting})
	}
	if c := sharedCount(r.topics[u], r.topics[v]); c > 0 {
		add(Reason{Code: ReasonSharedTopics, Count: c, Weight: int64(weightPerTopic * min(c, maxTopics))})
	}
	for _, x := range [2][2]int{{u, v}, {v, u}} {
		if at := r.leftAt[x[0]]; at > 0 {
			since := r.in.Round - at
			rs := Reason{Code: ReasonLeftOutBefore, Rounds: since, Weight: int64(weightLeftOut * (metHorizon - min(since-1, metHorizon)) / metHorizon)}
			if rs.Weight > 0 {
				w += rs.Weight
				if reasons != nil {
					rs.A, rs.B = r.people[x[0]].ID, r.people[x[1]].ID
					*reasons = append(*reasons, rs)
				}
			}
		}
	}
	return w
}

// edgeWeight is the matching's weight of an allowed edge: the preference
// less a penalty for each relaxation step it uses, so that a relaxed edge
// is chosen only when it groups someone who would be left out.
func (r *round) edgeWeight(u, v int, used Relaxation) int64 {
	return r.weight(u, v, nil) - penaltyPerRelaxed*int64(used)
}

func sharedCount(a, b []int) int {
	c := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			c++
			i++
			j++
		}
	}
	return c
}
