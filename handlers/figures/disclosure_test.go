package figures

import (
	"cmp"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/soudan/soudan/handlers/figures/figurestest"
)

var disclosureOrgs = flag.Int("figures.orgs", 300, "random organisations TestDisclosure tries")

// person is one invitee of a random round.
type person struct {
	dept, band   string
	responded    bool
	enps, growth int // -1: not answered (growth is optional)
}

var (
	testBreakdowns = []string{"department", "tenure"}
	testItems      = []Item{{ID: "enps", Kind: Scale0to10}, {ID: "growth", Kind: Scale1to5}, {ID: "comment", Kind: "text"}}
	testBands      = []string{"", "1-2", "3-5", "6-8", "9+"}
)

// randomOrg is a round of 1-6 departments of 1-40 people each, with
// random tenure bands, response rates and optional answers.
func randomOrg(r *rand.Rand) []person {
	var out []person
	depts := 1 + r.IntN(6)
	for d := range depts {
		size := 1 + r.IntN(40)
		rate := 0.2 + 0.8*r.Float64()
		bands := testBands[:1+r.IntN(len(testBands))] // some organisations have few bands
		for range size {
			p := person{dept: fmt.Sprintf("D%d", d), band: bands[r.IntN(len(bands))], enps: -1, growth: -1}
			if r.Float64() < rate {
				p.responded, p.enps = true, r.IntN(11)
				if r.Float64() < 0.85 {
					p.growth = 1 + r.IntN(5)
				}
			}
			out = append(out, p)
		}
	}
	return out
}

// cellsOf tallies people by (department, band).
func cellsOf(people []person) []Cell {
	at := map[[2]string]int{}
	var cells []Cell
	for _, p := range people {
		key := [2]string{p.dept, p.band}
		i, ok := at[key]
		if !ok {
			i = len(cells)
			at[key] = i
			cells = append(cells, Cell{Keys: []string{p.dept, p.band}, Tally: Tally{Scores: map[string][]int{"enps": make([]int, 11), "growth": make([]int, 11)}}})
		}
		c := &cells[i]
		c.Invited++
		if p.responded {
			c.N++
			c.Scores["enps"][p.enps]++
			if p.growth >= 0 {
				c.Scores["growth"][p.growth]++
			}
		}
	}
	return cells
}

// view is what one role gets of a release: the groups it sees, each
// with the items whose figures it sees.
type view struct {
	groups []viewGroup
}

type viewGroup struct {
	b     int // breakdown, -1 for the organisation
	key   string
	items []string // items with a figure shown
}

// views are what each role obtains of rel: admins and hr every group of
// every breakdown, each department's manager the organisation and their
// department, members nothing.
func views(rel Release) map[string]view {
	all := view{}
	add := func(v *view, b int, g Group) {
		if !g.Shown {
			return
		}
		vg := viewGroup{b: b, key: g.Key}
		for _, it := range testItems {
			if it.hasFigures() && g.has(it) {
				vg.items = append(vg.items, it.ID)
			}
		}
		v.groups = append(v.groups, vg)
	}
	add(&all, -1, rel.Org)
	out := map[string]view{"admin": all, "hr": all, "member": {}}
	for b, gs := range rel.Groups {
		for _, g := range gs {
			add(&all, b, g)
			if rel.Breakdowns[b] == "department" {
				m := view{}
				add(&m, -1, rel.Org)
				add(&m, b, g)
				out["manager of "+g.Key] = m
			}
		}
	}
	out["admin"], out["hr"] = all, all
	return out
}

// checkView judges one role's view of a round by linear algebra: no
// combination of the groups it sees isolates 1 to k-1 respondents (from
// the respondent counts and every figure), 1 to k-1 invitees (from the
// invited counts: who answered), or 1 to k-1 answers to one item (from
// that item's figures).
func checkView(people []person, cells []Cell, v view, k int) error {
	in := func(g viewGroup, c Cell) bool { return g.b < 0 || c.Keys[g.b] == g.key }
	var groups [][]bool
	for _, g := range v.groups {
		row := make([]bool, len(cells))
		for c := range cells {
			row[c] = in(g, cells[c])
		}
		groups = append(groups, row)
	}
	weigh := func(f func(Cell) int) []int {
		w := make([]int, len(cells))
		for c := range cells {
			w[c] = f(cells[c])
		}
		return w
	}
	for _, check := range []struct {
		what   string
		weight []int
	}{
		{"respondents", weigh(func(c Cell) int { return c.N })},
		{"invitees", weigh(func(c Cell) int { return c.Invited })},
	} {
		if s, ok := figurestest.Isolated(groups, check.weight, k, 1<<14); s != nil {
			return fmt.Errorf("%s of cells %v isolated", check.what, describe(cells, s, check.weight))
		} else if !ok {
			return fmt.Errorf("%s: too many small unions to try", check.what)
		}
	}
	for _, it := range testItems {
		if !it.hasFigures() {
			continue
		}
		var rows [][]bool
		for i, g := range v.groups {
			if slices.Contains(g.items, it.ID) {
				rows = append(rows, groups[i])
			}
		}
		w := weigh(func(c Cell) int { return c.Answered(it) })
		if s, ok := figurestest.Isolated(rows, w, k, 1<<14); s != nil {
			return fmt.Errorf("answers to %s of cells %v isolated", it.ID, describe(cells, s, w))
		} else if !ok {
			return fmt.Errorf("%s: too many small unions to try", it.ID)
		}
	}
	return nil
}

// describe names cells and their people.
func describe(cells []Cell, s []int, w []int) []string {
	var out []string
	for _, c := range s {
		out = append(out, fmt.Sprintf("%v:%d", cells[c].Keys, w[c]))
	}
	return out
}

// checkRelease also checks that a group not shown carries nothing.
func checkRelease(rel Release) error {
	groups := []Group{rel.Org}
	for _, gs := range rel.Groups {
		groups = append(groups, gs...)
	}
	for _, g := range groups {
		if !g.Shown && (g.Invited != 0 || g.N != 0 || len(g.Scores) != 0 || len(g.Choices) != 0) {
			return fmt.Errorf("group %q is not shown but carries %+v", g.Key, g.Tally)
		}
		for id, h := range g.Scores {
			n := 0
			for _, x := range h {
				n += x
			}
			if n < rel.K {
				return fmt.Errorf("group %q shows %s on %d answers (k=%d)", g.Key, id, n, rel.K)
			}
		}
	}
	return nil
}

// TestDisclosure: on random organisations (departments of 1-40, random
// tenure, k from 3 to 10), nothing any role obtains of a round's release
// (every breakdown, the organisation, the counts, each item's figures)
// lets a sum or difference of groups isolate fewer than k people.
// Run longer with -figures.orgs=5000.
func TestDisclosure(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 1))
	shownBands, shownDepts := 0, 0
	for i := range *disclosureOrgs {
		people := randomOrg(r)
		k := 3 + r.IntN(8)
		cells := cellsOf(people)
		rel := Publish(testItems, testBreakdowns, cells, k)
		if err := checkRelease(rel); err != nil {
			t.Fatalf("org %d (k=%d): %v", i, k, err)
		}
		for role, v := range views(rel) {
			if err := checkView(people, cells, v, k); err != nil {
				t.Fatalf("org %d (k=%d), %s: %v\ncells: %v", i, k, role, err, cellsString(cells))
			}
		}
		for _, g := range rel.Breakdown("department") {
			if g.Shown {
				shownDepts++
			}
		}
		for _, g := range rel.Breakdown("tenure") {
			if g.Shown {
				shownBands++
			}
		}
	}
	t.Logf("shown over all organisations: %d departments, %d bands", shownDepts, shownBands)
	// The test would pass by showing nothing: it must show groups too.
	if shownDepts == 0 || shownBands == 0 {
		t.Errorf("shown: %d departments, %d bands over all organisations; want some of each", shownDepts, shownBands)
	}
}

// cellsString lists cells for a failure message.
func cellsString(cells []Cell) string {
	s := slices.Clone(cells)
	slices.SortFunc(s, func(a, b Cell) int {
		return cmp.Or(cmp.Compare(a.Keys[0], b.Keys[0]), cmp.Compare(a.Keys[1], b.Keys[1]))
	})
	out := ""
	for _, c := range s {
		out += fmt.Sprintf("%v inv=%d n=%d ", c.Keys, c.Invited, c.N)
	}
	return out
}
