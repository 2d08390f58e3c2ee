package figures

import (
	"math"
	"testing"
)

// cell builds a department's cell from answers: each answer is the
// scores of one person for "enps" and "growth".
func cell(dept string, invited int, answers ...[2]int) Cell {
	c := Cell{Keys: []string{dept}, Tally: Tally{Invited: invited, N: len(answers), Scores: map[string][]int{"enps": make([]int, 11), "growth": make([]int, 11)}}}
	for _, a := range answers {
		c.Scores["enps"][a[0]]++
		c.Scores["growth"][a[1]]++
	}
	return c
}

var byDept = []string{"department"}

func nearly(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestComputeByHand(t *testing.T) {
	cells := []Cell{
		// 総務課: enps 10, 9, 8, 6, 3 -> promoters 2, passives 1, detractors 2: eNPS 0.
		// growth 5, 4, 3, 2, 1 -> avg 3, favourable 40%, neutral 20%, unfavourable 40%.
		cell("総務課", 6, [2]int{10, 5}, [2]int{9, 4}, [2]int{8, 3}, [2]int{6, 2}, [2]int{3, 1}),
		// 人事課: enps 9 x5, 7 -> promoters 5 of 6; growth 4 x6.
		cell("人事課", 8, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{7, 4}),
		// 会計課: 2 people: too small.
		cell("会計課", 3, [2]int{0, 1}, [2]int{0, 1}),
	}
	res := Publish(testItems, byDept, cells, 5).Figures(testItems, "department")
	if !res.Org.Shown || res.Org.N != 13 || res.Org.Invited != 17 {
		t.Fatalf("org = %+v, want shown with 13 of 17", res.Org)
	}
	org := res.Org.Items["enps"]
	// org enps: promoters 2+5 = 7, detractors 2+2 = 4 of 13.
	if want := 100 * (7.0 - 4.0) / 13; !nearly(org.ENPS, want) {
		t.Errorf("org eNPS = %v, want %v", org.ENPS, want)
	}
	if _, ok := res.Org.Items["comment"]; ok {
		t.Errorf("a text item got a figure")
	}
	byKey := map[string]GroupFigures{}
	for _, g := range res.Groups {
		byKey[g.Key] = g
	}
	// 会計課 (2) is hidden, so 総務課 (5, the cheaper) is hidden too:
	// otherwise the total minus 総務課 and 人事課 gives 会計課. Neither shows
	// a count.
	for _, key := range []string{"会計課", "総務課"} {
		g := byKey[key]
		if g.Shown || g.N != 0 || g.Invited != 0 || g.ResponseRate != 0 || g.Items["enps"].Shown || g.Items["enps"].Avg != 0 {
			t.Errorf("%s = %+v, want hidden with no figure and no count", key, g)
		}
	}
	jinji := byKey["人事課"]
	if !jinji.Shown || jinji.N != 6 || !nearly(jinji.ResponseRate, 75) {
		t.Errorf("人事課 = %+v, want shown, 6 respondents, 75%%", jinji)
	}
	if f := jinji.Items["enps"]; !nearly(f.ENPS, 100*5.0/6) || !nearly(f.Passives, 100*1.0/6) || !nearly(f.Avg, (9*5+7)/6.0) {
		t.Errorf("人事課 enps = %+v", f)
	}
	if f := jinji.Items["growth"]; !nearly(f.Favourable, 100) || !nearly(f.Avg, 4) {
		t.Errorf("人事課 growth = %+v", f)
	}

	// Without 会計課, 総務課 is shown with its hand-computed figures.
	res = Publish(testItems, byDept, cells[:2], 5).Figures(testItems, "department")
	for _, g := range res.Groups {
		if g.Key != "総務課" {
			continue
		}
		e, gr := g.Items["enps"], g.Items["growth"]
		if !g.Shown || !nearly(e.ENPS, 0) || !nearly(e.Promoters, 40) || !nearly(e.Detractors, 40) {
			t.Errorf("総務課 enps = %+v (shown %v)", e, g.Shown)
		}
		if !nearly(gr.Avg, 3) || !nearly(gr.Favourable, 40) || !nearly(gr.Neutral, 20) || !nearly(gr.Unfavourable, 40) {
			t.Errorf("総務課 growth = %+v", gr)
		}
	}
}

func TestComputeSmallOrganisationShowsNothing(t *testing.T) {
	rel := Publish(testItems, byDept, []Cell{cell("総務課", 4, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4})}, 5)
	res := rel.Figures(testItems, "department")
	if res.Org.Shown || res.Org.N != 0 || res.Org.Invited != 0 || res.Org.Items["enps"].Shown {
		t.Errorf("org of 4 with k=5 = %+v, want hidden, no count", res.Org)
	}
	if res.Groups[0].Shown {
		t.Errorf("group = %+v, want hidden", res.Groups[0])
	}
}

func TestComputeOptionalItemHiddenOnItsOwnCount(t *testing.T) {
	a := cell("a", 6, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4})
	b := cell("b", 6, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4})
	// In b only 2 answered the optional item "growth".
	b.Scores["growth"] = make([]int, 11)
	b.Scores["growth"][4] = 2
	res := Publish(testItems, byDept, []Cell{a, b}, 5).Figures(testItems, "department")
	for _, g := range res.Groups {
		if !g.Shown || !g.Items["enps"].Shown {
			t.Errorf("%s: enps hidden, want shown", g.Key)
		}
		if g.Items["growth"].Shown {
			t.Errorf("%s: growth shown with %d answers in b, want hidden (b is small, a by differencing)", g.Key, g.Items["growth"].N)
		}
	}
	if !res.Org.Items["growth"].Shown || res.Org.Items["growth"].N != 8 {
		t.Errorf("org growth = %+v, want shown on 8 answers", res.Org.Items["growth"])
	}
}

// TestCountsProtectAGroupWithoutRespondents is the status case:
// Solo's one member, Bravo 9 of 9, Charlie 9 of 9. With Solo hidden, the
// organisation's count minus Bravo's and Charlie's would tell whether
// Solo's member answered, even before they did: one of Bravo and
// Charlie is hidden too, whether Solo's member answered or not.
func TestCountsProtectAGroupWithoutRespondents(t *testing.T) {
	for _, soloAnswered := range []bool{false, true} {
		solo := cell("Solo", 1)
		if soloAnswered {
			solo = cell("Solo", 1, [2]int{0, 1})
		}
		cells := []Cell{solo, cell("Bravo", 9), cell("Charlie", 9)}
		for i := 1; i < 3; i++ {
			cells[i].N = 9
		}
		res := Publish(nil, byDept, cells, 5).Figures(nil, "department")
		shown := 0
		for _, g := range res.Groups {
			if g.Shown {
				shown++
			}
			if g.Key == "Solo" && g.Shown {
				t.Errorf("Solo shown")
			}
		}
		if !res.Org.Shown || shown != 1 {
			t.Errorf("solo answered %v: org shown %v, %d departments shown; want the organisation and one department", soloAnswered, res.Org.Shown, shown)
		}
	}
}

// TestReleaseIsWhatReportsShow: a release keeps only what is shown, and
// figures computed from it are the same as from the cells' release.
func TestReleaseIsWhatReportsShow(t *testing.T) {
	cells := []Cell{
		{Keys: []string{"A", "1-2"}, Tally: Tally{Invited: 1, N: 1, Scores: map[string][]int{"enps": {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}}},
		{Keys: []string{"B", "3-5"}, Tally: Tally{Invited: 9, N: 9, Scores: map[string][]int{"enps": {0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0}}}},
		{Keys: []string{"C", "1-2"}, Tally: Tally{Invited: 9, N: 9, Scores: map[string][]int{"enps": {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9}}}},
	}
	rel := Publish(testItems, testBreakdowns, cells, 5)
	for _, g := range append(rel.Breakdown("department"), rel.Breakdown("tenure")...) {
		if !g.Shown && (g.N != 0 || g.Invited != 0 || g.Scores != nil) {
			t.Errorf("hidden group %s keeps %+v", g.Key, g.Tally)
		}
		if g.Shown {
			if _, ok := g.Scores["growth"]; ok {
				t.Errorf("group %s keeps growth, which nobody answered", g.Key)
			}
		}
	}
	if len(rel.Breakdown("nothing")) != 0 {
		t.Errorf("an unknown breakdown has groups")
	}
}

// TestChangeOnlyBetweenShownFigures: a change since the previous round is
// eNPS points on a 0-10 item, the average on a 1-5 one, the response
// rate in points, and nothing when either figure is hidden.
func TestChangeOnlyBetweenShownFigures(t *testing.T) {
	now := Figure{Shown: true, ENPS: 30, Avg: 3.5}
	before := Figure{Shown: true, ENPS: 10, Avg: 4}
	if d, ok := Change(Scale0to10, now, before); !ok || d != 20 {
		t.Errorf("eNPS change: got %v %v, want 20", d, ok)
	}
	if d, ok := Change(Scale1to5, now, before); !ok || d != -0.5 {
		t.Errorf("average change: got %v %v, want -0.5", d, ok)
	}
	for _, c := range [][2]Figure{{now, {}}, {{}, before}} {
		if d, ok := Change(Scale0to10, c[0], c[1]); ok || d != 0 {
			t.Errorf("a change with a hidden figure: got %v %v", d, ok)
		}
	}
	if _, ok := Change(Choice, now, before); ok {
		t.Errorf("a choice item has no change")
	}
	g := GroupFigures{Shown: true, ResponseRate: 80}
	p := GroupFigures{Shown: true, ResponseRate: 90}
	if d, ok := RateChange(g, p); !ok || d != -10 {
		t.Errorf("rate change: got %v %v, want -10", d, ok)
	}
	if _, ok := RateChange(g, GroupFigures{}); ok {
		t.Errorf("a rate change from a hidden group")
	}
}
