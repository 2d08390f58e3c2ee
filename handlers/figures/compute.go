package figures

// Figure is one item's figures in one group. Shown is false when the
// group (or the item's answers in it) may not be shown: then every other
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

// GroupFigures is one group's figures. A group not shown has its key
// only: no count, no rate, no figure.
type GroupFigures struct {
	Key          string
	Invited, N   int
	Shown        bool
	ResponseRate float64
	Items        map[string]Figure
}

// Figures are a round's figures by one breakdown: the whole organisation
// and each group of the breakdown.
type Figures struct {
	K      int
	Org    GroupFigures
	Groups []GroupFigures // in key order
}

// Figures computes the figures of a release by one of its breakdowns
// (a breakdown it does not have gives the organisation only). Nothing is
// computed that Publish did not decide to show.
func (r Release) Figures(items []Item, breakdown string) Figures {
	res := Figures{K: r.K, Org: groupFigures(items, r.Org)}
	for _, g := range r.Breakdown(breakdown) {
		res.Groups = append(res.Groups, groupFigures(items, g))
	}
	return res
}

// groupFigures computes a released group's figures.
func groupFigures(items []Item, g Group) GroupFigures {
	r := GroupFigures{Key: g.Key, Shown: g.Shown, Items: map[string]Figure{}}
	if g.Shown {
		r.Invited, r.N = g.Invited, g.N
		if g.Invited > 0 {
			r.ResponseRate = 100 * float64(g.N) / float64(g.Invited)
		}
	}
	for _, it := range items {
		if it.hasFigures() {
			r.Items[it.ID] = figure(it, g.Tally, g.Shown && g.has(it))
		}
	}
	return r
}

// figure computes one item's figure in t.
func figure(it Item, t Tally, shown bool) Figure {
	if !shown {
		return Figure{}
	}
	f := Figure{Shown: true, N: t.Answered(it)}
	if f.N == 0 {
		return Figure{}
	}
	n := float64(f.N)
	pct := func(c int) float64 { return 100 * float64(c) / n }
	if it.Kind == Choice {
		f.Options = map[string]float64{}
		for opt, c := range t.Choices[it.ID] {
			f.Options[opt] = pct(c)
		}
		return f
	}
	h := t.Scores[it.ID]
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
	case Scale1to5:
		f.Unfavourable, f.Neutral, f.Favourable = pct(count(1, 2)), pct(count(3, 3)), pct(count(4, 5))
	case Scale0to10:
		f.Detractors, f.Passives, f.Promoters = pct(count(0, 6)), pct(count(7, 8)), pct(count(9, 10))
		f.ENPS = f.Promoters - f.Detractors
	}
	return f
}

// Change is how an item's figure moved since the previous round: eNPS
// points on a 0-10 item, the average on a 1-5 one. ok is false unless
// both figures are shown (a change is never computed from a hidden one).
func Change(kind string, f, prev Figure) (d float64, ok bool) {
	if !f.Shown || !prev.Shown {
		return 0, false
	}
	switch kind {
	case Scale0to10:
		return f.ENPS - prev.ENPS, true
	case Scale1to5:
		return f.Avg - prev.Avg, true
	}
	return 0, false
}

// RateChange is how a group's response rate moved since the previous
// round, in percentage points; ok is false unless both groups are shown.
func RateChange(g, prev GroupFigures) (d float64, ok bool) {
	if !g.Shown || !prev.Shown {
		return 0, false
	}
	return g.ResponseRate - prev.ResponseRate, true
}
