package handlers

import (
	"math"
	"testing"

	"github.com/soudan/soudan/store"
)

// group builds a group from answers: each answer is the scores of one
// person for figItems "enps" and "growth".
func figGroup(key string, invited int, answers ...[2]int) FigureGroup {
	g := FigureGroup{Key: key, Invited: invited, N: len(answers), Scores: map[string][]int{"enps": make([]int, 11), "growth": make([]int, 11)}}
	for _, a := range answers {
		g.Scores["enps"][a[0]]++
		g.Scores["growth"][a[1]]++
	}
	return g
}

var figItems = []FigureItem{{ID: "enps", Kind: store.ItemScale0to10}, {ID: "growth", Kind: store.ItemScale1to5}, {ID: "comment", Kind: "text"}}

func nearly(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestComputeByHand(t *testing.T) {
	groups := []FigureGroup{
		// 総務課: enps 10, 9, 8, 6, 3 -> promoters 2, passives 1, detractors 2: eNPS 0.
		// growth 5, 4, 3, 2, 1 -> avg 3, favourable 40%, neutral 20%, unfavourable 40%.
		figGroup("総務課", 6, [2]int{10, 5}, [2]int{9, 4}, [2]int{8, 3}, [2]int{6, 2}, [2]int{3, 1}),
		// 人事課: enps 9 x5, 7 -> promoters 5 of 6; growth 4 x6.
		figGroup("人事課", 8, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{7, 4}),
		// 会計課: 2 people: too small.
		figGroup("会計課", 3, [2]int{0, 1}, [2]int{0, 1}),
	}
	res := ComputeFigures(figItems, groups, 5)
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
	// 会計課 (2) is hidden, so the smallest visible (総務課, 5) is hidden
	// too: otherwise the total minus 総務課 and 人事課 gives 会計課.
	for _, key := range []string{"会計課", "総務課"} {
		g := byKey[key]
		if g.Shown || g.N != 0 || g.ResponseRate != 0 || g.Items["enps"].Shown || g.Items["enps"].Avg != 0 {
			t.Errorf("%s = %+v, want hidden with no figure", key, g)
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
	res = ComputeFigures(figItems, groups[:2], 5)
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
	res := ComputeFigures(figItems, []FigureGroup{figGroup("総務課", 4, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4})}, 5)
	if res.Org.Shown || res.Org.N != 0 || res.Org.Items["enps"].Shown {
		t.Errorf("org of 4 with k=5 = %+v, want hidden", res.Org)
	}
	if res.Groups[0].Shown {
		t.Errorf("group = %+v, want hidden", res.Groups[0])
	}
}

func TestComputeOptionalItemHiddenOnItsOwnCount(t *testing.T) {
	a := figGroup("a", 6, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4})
	b := figGroup("b", 6, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4}, [2]int{9, 4})
	// In b only 2 answered the optional item "growth".
	b.Scores["growth"] = make([]int, 11)
	b.Scores["growth"][4] = 2
	res := ComputeFigures(figItems, []FigureGroup{a, b}, 5)
	for _, g := range res.Groups {
		if !g.Shown || !g.Items["enps"].Shown {
			t.Errorf("%s: enps hidden, want shown", g.Key)
		}
		if g.Items["growth"].Shown {
			t.Errorf("%s: growth shown with %d answers in b, want hidden (b is small, a by differencing)", g.Key, g.Items["growth"].N)
		}
	}
}
