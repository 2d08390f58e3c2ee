package connections

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/soudan/soudan/handlers/figures/figurestest"
)

// TestFiguresAdversary plays the adversary against what the report pages
// and /soudan stats show: on random organisations (a few departments of
// 1 to 12 people, some with no department, random activity), every sum
// or difference of the shown rows (the organisation and the departments)
// is tried by the survey's judge, on the people behind the figures and
// on the headcounts; none may pick out 1 to k-1 people. A manager's view
// is a part of the same release, so it is judged too.
func TestFiguresAdversary(t *testing.T) {
	for seed := range uint64(400) {
		r := rand.New(rand.NewPCG(seed, 21))
		k := 3 + r.IntN(3)
		names := []string{""}
		for i := range 2 + r.IntN(5) {
			names = append(names, fmt.Sprintf("部署%d", i))
		}
		qf := quarterFigures{depts: map[string]*deptCounts{}}
		for _, n := range names {
			people := 1 + r.IntN(12)
			if n == "" && r.IntN(2) == 0 {
				continue
			}
			dc := &deptCounts{people: people, active: r.IntN(people + 1)}
			dc.oneOnOnes, dc.groups = r.IntN(9), r.IntN(5)
			dc.met = r.IntN(dc.groups + 1)
			dc.newHires = r.IntN(min(people, 6) + 1)
			dc.mentored = r.IntN(dc.newHires + 1)
			qf.depts[n] = dc
			qf.org.people += dc.people
			qf.org.active += dc.active
			qf.org.oneOnOnes += dc.oneOnOnes
			qf.org.newHires += dc.newHires
			qf.org.mentored += dc.mentored
		}
		cells := sortedKeys(qf.depts) // a department is the finest group: one cell each
		for _, only := range [][]string{nil, {names[len(names)-1]}} {
			v := qf.view("2026-Q4", "2026-10-01", "2026-12-31", k, only)
			var published [][]bool
			if v.Org.Shown {
				published = append(published, fillTrue(len(cells)))
			}
			for _, d := range v.Departments {
				if !d.Shown {
					if d.Active != 0 || d.OneOnOnes != 0 || d.People != 0 {
						t.Fatalf("seed %d: hidden %s carries numbers %+v", seed, d.Name, d)
					}
					continue
				}
				row := make([]bool, len(cells))
				for c, n := range cells {
					row[c] = n == d.Name
				}
				published = append(published, row)
			}
			active, people := make([]int, len(cells)), make([]int, len(cells))
			for c, n := range cells {
				active[c], people[c] = qf.depts[n].active, qf.depts[n].people
			}
			for what, w := range map[string][]int{"people with connections": active, "headcount": people} {
				if s, ok := figurestest.Isolated(published, w, k, 1<<14); s != nil || !ok {
					t.Fatalf("seed %d (k=%d, only %v): the shown rows isolate the %s of cells %v (searched all: %v)\n%+v", seed, k, only, what, s, ok, v)
				}
			}
			// The mentor figures are judged on the rows that show them,
			// on the new hires and on those with a mentor.
			var mentorRows [][]bool
			if v.Org.MentorsShown {
				mentorRows = append(mentorRows, fillTrue(len(cells)))
			}
			for _, d := range v.Departments {
				if !d.MentorsShown {
					if d.NewHires != 0 || d.Mentored != 0 {
						t.Fatalf("seed %d: %s's hidden mentor figures carry numbers %+v", seed, d.Name, d)
					}
					continue
				}
				row := make([]bool, len(cells))
				for c, n := range cells {
					row[c] = n == d.Name
				}
				mentorRows = append(mentorRows, row)
			}
			hires, mentored := make([]int, len(cells)), make([]int, len(cells))
			for c, n := range cells {
				hires[c], mentored[c] = qf.depts[n].newHires, qf.depts[n].mentored
			}
			for what, w := range map[string][]int{"new hires": hires, "new hires with a mentor": mentored} {
				if s, ok := figurestest.Isolated(mentorRows, w, k, 1<<14); s != nil || !ok {
					t.Fatalf("seed %d (k=%d, only %v): the shown mentor figures isolate the %s of cells %v (searched all: %v)\n%+v", seed, k, only, what, s, ok, v)
				}
			}
		}
	}
}

// TestFiguresAdversaryCatches is the judge's own check on a view that is
// not decided by the release: showing every department of 3 and 1
// people and the organisation isolates the one.
func TestFiguresAdversaryCatches(t *testing.T) {
	published := [][]bool{{true, true}, {true, false}}
	if s, _ := figurestest.Isolated(published, []int{3, 1}, 3, 1<<14); s == nil {
		t.Fatal("the judge found nothing in the organisation minus a department")
	}
}

func fillTrue(n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = true
	}
	return out
}
