package figures

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/soudan/soudan/handlers/figures/figurestest"
)

// shownKeys are the groups a release shows, as "b:key" ("-1:" for the
// organisation).
func shownKeys(rel Release) map[string]bool {
	out := map[string]bool{}
	if rel.Org.Shown {
		out["-1:"] = true
	}
	for b, gs := range rel.Groups {
		for _, g := range gs {
			if g.Shown {
				out[string(rune('0'+b))+":"+g.Key] = true
			}
		}
	}
	return out
}

// TestLiveCountsDoNotMoveWithAnswers: on random organisations, as
// answers come in one by one, the live status shows the same groups once
// the organisation has k respondents (so reading it again and again tells
// nothing finer than a group of k invitees), its groups' invitees never
// isolate fewer than k, and what the closed round shows is a part of it.
func TestLiveCountsDoNotMoveWithAnswers(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 3))
	for i := range 40 {
		people := randomOrg(r)
		k := 3 + r.IntN(8)
		var pattern map[string]bool
		answered := make([]person, len(people))
		for j, p := range people {
			q := p
			q.responded, q.enps, q.growth = false, -1, -1
			answered[j] = q
		}
		order := r.Perm(len(people))
		for step := 0; step <= len(order); step++ {
			if step > 0 {
				answered[order[step-1]] = people[order[step-1]]
			}
			cells := cellsOf(answered)
			live := Live(testBreakdowns, cells, k)
			if !live.Org.Shown {
				for key := range shownKeys(live) {
					t.Fatalf("org %d: the organisation is hidden but %s is shown", i, key)
				}
				continue
			}
			got := shownKeys(live)
			if pattern == nil {
				pattern = got
			} else if !mapsEqual(got, pattern) {
				t.Fatalf("org %d (k=%d), step %d: live groups moved from %v to %v", i, k, step, pattern, got)
			}
			if err := checkCounts(cells, live, k); err != nil {
				t.Fatalf("org %d (k=%d), live: %v", i, k, err)
			}
			closed := Publish(testItems, testBreakdowns, cells, k)
			for key := range shownKeys(closed) {
				if !got[key] {
					t.Fatalf("org %d (k=%d): the closed round shows %s, which the live status hides", i, k, key)
				}
			}
		}
	}
}

// checkCounts judges a release's counts on invitees: no combination of
// its groups isolates the answering of fewer than k invitees.
func checkCounts(cells []Cell, rel Release, k int) error {
	v := views(rel)["admin"]
	var groups [][]bool
	for _, g := range v.groups {
		row := make([]bool, len(cells))
		for c := range cells {
			row[c] = g.b < 0 || cells[c].Keys[g.b] == g.key
		}
		groups = append(groups, row)
	}
	w := make([]int, len(cells))
	for c := range cells {
		w[c] = cells[c].Invited
	}
	if s, ok := figurestest.Isolated(groups, w, k, 1<<14); s != nil {
		return fmt.Errorf("invitees of cells %v isolated", describe(cells, s, w))
	} else if !ok {
		return fmt.Errorf("too many small unions to try")
	}
	return nil
}
