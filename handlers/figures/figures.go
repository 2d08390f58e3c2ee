// Package figures decides what survey reports may show and computes it:
// per group of people (the organisation, a department, a tenure band, any
// later breakdown) and per item, the counts, the average, the favourable
// share, the distribution and eNPS.
//
// Every output of a round (chat reports, status, the CSV export, the
// report pages, the programme statistics, notices and the audit log) goes
// through one decision, Publish, taken over all the tables a round
// publishes together: no sum or difference of published groups, across
// every breakdown and the organisation total, isolates 1 to k-1
// respondents (linked-tables secondary suppression), and the counts obey
// the same rule. It is a pure leaf: it knows nothing of chat or storage
// and imports nothing of soudan's.
package figures

// Kinds of items that have figures (the same words as the store's item
// kinds); items of any other kind (free text) have none.
const (
	Scale0to10 = "scale0to10" // 0-10, e.g. eNPS
	Scale1to5  = "scale1to5"  // 1-5 agreement
	Choice     = "choice"     // one of several options
)

// Item is one question of a survey, as figures need it.
type Item struct {
	ID   string
	Kind string
}

// hasFigures reports whether items of it's kind have figures.
func (it Item) hasFigures() bool {
	return it.Kind == Scale0to10 || it.Kind == Scale1to5 || it.Kind == Choice
}

// Tally is what some people's answers add up to: how many were asked and
// answered and, per item, how many gave each score (index 0-10) or
// option.
type Tally struct {
	Invited int
	N       int
	Scores  map[string][]int
	Choices map[string]map[string]int
}

// Add counts o into t.
func (t *Tally) Add(o Tally) {
	t.Invited += o.Invited
	t.N += o.N
	for item, h := range o.Scores {
		if t.Scores == nil {
			t.Scores = map[string][]int{}
		}
		acc := t.Scores[item]
		if acc == nil {
			acc = make([]int, 11)
		}
		for v, n := range h {
			if v < len(acc) {
				acc[v] += n
			}
		}
		t.Scores[item] = acc
	}
	for item, opts := range o.Choices {
		if t.Choices == nil {
			t.Choices = map[string]map[string]int{}
		}
		if t.Choices[item] == nil {
			t.Choices[item] = map[string]int{}
		}
		for opt, n := range opts {
			t.Choices[item][opt] += n
		}
	}
}

// Answered is how many in t answered item.
func (t Tally) Answered(it Item) int {
	n := 0
	if it.Kind == Choice {
		for _, c := range t.Choices[it.ID] {
			n += c
		}
		return n
	}
	for _, c := range t.Scores[it.ID] {
		n += c
	}
	return n
}

// has reports whether t holds figures of it.
func (t Tally) has(it Item) bool {
	if it.Kind == Choice {
		_, ok := t.Choices[it.ID]
		return ok
	}
	_, ok := t.Scores[it.ID]
	return ok
}

// only is t's counts with the answers of the items keep says, and
// nothing else.
func (t Tally) only(items []Item, keep func(Item) bool) Tally {
	out := Tally{Invited: t.Invited, N: t.N}
	for _, it := range items {
		if !keep(it) {
			continue
		}
		if it.Kind == Choice {
			if out.Choices == nil {
				out.Choices = map[string]map[string]int{}
			}
			opts := map[string]int{}
			for o, n := range t.Choices[it.ID] {
				if n != 0 {
					opts[o] = n
				}
			}
			out.Choices[it.ID] = opts
			continue
		}
		if out.Scores == nil {
			out.Scores = map[string][]int{}
		}
		h := make([]int, 11)
		copy(h, t.Scores[it.ID])
		out.Scores[it.ID] = h
	}
	return out
}
