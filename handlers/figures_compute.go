package handlers

import (
	"cmp"
	"slices"

	"github.com/soudan/soudan/store"
)

// FigureItem is one question of the survey, as the report needs it.
type FigureItem struct {
	ID   string
	Kind string
}

// FigureGroup is what one group of people's answers add up to: how many were
// asked and answered and, per item, how many gave each score (index 0-10)
// or option.
type FigureGroup struct {
	Key     string // the department or band; "" for "not set"
	Invited int
	N       int
	Scores  map[string][]int
	Choices map[string]map[string]int
}

// Add counts o into g.
func (g *FigureGroup) Add(o FigureGroup) {
	g.Invited += o.Invited
	g.N += o.N
	for item, h := range o.Scores {
		if g.Scores == nil {
			g.Scores = map[string][]int{}
		}
		acc := g.Scores[item]
		if acc == nil {
			acc = make([]int, 11)
		}
		for v, n := range h {
			if v < len(acc) {
				acc[v] += n
			}
		}
		g.Scores[item] = acc
	}
	for item, opts := range o.Choices {
		if g.Choices == nil {
			g.Choices = map[string]map[string]int{}
		}
		if g.Choices[item] == nil {
			g.Choices[item] = map[string]int{}
		}
		for opt, n := range opts {
			g.Choices[item][opt] += n
		}
	}
}

// answered is how many in g answered item.
func (g FigureGroup) answered(it FigureItem) int {
	n := 0
	if it.Kind == store.ItemChoice {
		for _, c := range g.Choices[it.ID] {
			n += c
		}
		return n
	}
	for _, c := range g.Scores[it.ID] {
		n += c
	}
	return n
}

// Figure is one item's figures in one group. Shown is false when the
// group (or the item's answers in it) is too small: then every other
// field is zero and must not be shown.
type Figure struct {
	Shown bool
	N     int     // answers to the item
	Avg   float64 // scale items
	// On a 1-5 item: the shares (percent) of 1-2, 3 and 4-5.
	Unfavourable, Neutral, Favourable float64
	// On a 0-10 item: eNPS, and the shares of detractors (0-6), passives
	// (7-8) and promoters (9-10).
	ENPS, Detractors, Passives, Promoters float64
	// Dist is the share of each score (index) or option.
	Dist    []float64
	Options map[string]float64
}

// GroupFigures is one group's figures.
type GroupFigures struct {
	Key          string
	Invited, N   int
	Shown        bool // at least k respondents, and not hidden against differencing
	ResponseRate float64
	Items        map[string]Figure
}

// Figures is a round's figures: the whole organisation and each group of
// a partition (departments or tenure bands).
type Figures struct {
	K      int
	Org    GroupFigures
	Groups []GroupFigures // in key order
}

// ComputeFigures returns the figures of items over groups, a partition of the
// organisation, with minimum group size k: a group is shown only with at
// least k respondents and when differencing cannot recover a hidden one
// (HiddenGroups), and each item's figure the same way on the item's own answer
// counts (optional items differ from the group's respondents).
func ComputeFigures(items []FigureItem, groups []FigureGroup, k int) Figures {
	if k < 1 {
		k = 1
	}
	var org FigureGroup
	for _, g := range groups {
		org.Add(g)
	}
	res := Figures{K: k, Org: result(org, org.N >= k)}
	counts := make(map[string]int, len(groups))
	for _, g := range groups {
		counts[g.Key] = g.N
	}
	hidden := HiddenGroups(counts, k)
	byKey := make(map[string]FigureGroup, len(groups))
	for _, g := range groups {
		byKey[g.Key] = g
	}
	sorted := slices.Clone(groups)
	slices.SortFunc(sorted, func(a, b FigureGroup) int { return cmp.Compare(a.Key, b.Key) })
	for _, g := range sorted {
		res.Groups = append(res.Groups, result(g, !hidden[g.Key] && res.Org.Shown))
	}
	for _, it := range items {
		if it.Kind != store.ItemScale0to10 && it.Kind != store.ItemScale1to5 && it.Kind != store.ItemChoice {
			continue
		}
		res.Org.Items[it.ID] = figure(it, org, res.Org.Shown && org.answered(it) >= k)
		itemCounts := make(map[string]int, len(groups))
		for _, g := range groups {
			itemCounts[g.Key] = g.answered(it)
		}
		itemHidden := HiddenGroups(itemCounts, k)
		for i := range res.Groups {
			gr := &res.Groups[i]
			gr.Items[it.ID] = figure(it, byKey[gr.Key], gr.Shown && !itemHidden[gr.Key])
		}
	}
	return res
}

// result is a group's counts, shown or not.
func result(g FigureGroup, shown bool) GroupFigures {
	r := GroupFigures{Key: g.Key, Invited: g.Invited, Shown: shown, Items: map[string]Figure{}}
	if shown {
		r.N = g.N
		if g.Invited > 0 {
			r.ResponseRate = 100 * float64(g.N) / float64(g.Invited)
		}
	}
	return r
}

// figure computes one item's figure in g.
func figure(it FigureItem, g FigureGroup, shown bool) Figure {
	if !shown {
		return Figure{}
	}
	f := Figure{Shown: true, N: g.answered(it)}
	if f.N == 0 {
		return Figure{}
	}
	n := float64(f.N)
	pct := func(c int) float64 { return 100 * float64(c) / n }
	if it.Kind == store.ItemChoice {
		f.Options = map[string]float64{}
		for opt, c := range g.Choices[it.ID] {
			f.Options[opt] = pct(c)
		}
		return f
	}
	h := g.Scores[it.ID]
	f.Dist = make([]float64, len(h))
	sum := 0
	for v, c := range h {
		sum += v * c
		f.Dist[v] = pct(c)
	}
	f.Avg = float64(sum) / n
	count := func(from, to int) int {
		c := 0
		for v := from; v <= to && v < len(h); v++ {
			c += h[v]
		}
		return c
	}
	switch it.Kind {
	case store.ItemScale1to5:
		f.Unfavourable, f.Neutral, f.Favourable = pct(count(1, 2)), pct(count(3, 3)), pct(count(4, 5))
	case store.ItemScale0to10:
		f.Detractors, f.Passives, f.Promoters = pct(count(0, 6)), pct(count(7, 8)), pct(count(9, 10))
		f.ENPS = f.Promoters - f.Detractors
	}
	return f
}
