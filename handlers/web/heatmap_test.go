package web

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestHeatStepsClassAsTheCellsWrite: a cell's colour follows the
// difference it writes (rounded as written), so the legend's ranges and
// the numbers in the cells never disagree at a boundary.
func TestHeatStepsClassAsTheCellsWrite(t *testing.T) {
	for _, c := range []struct {
		steps heatSteps
		d     float64
		want  string
	}{
		{stepsAvg, 0.05, "h0"}, {stepsAvg, 0.094, "h0"}, {stepsAvg, 0.096, "hp1"}, {stepsAvg, 0.2, "hp1"},
		{stepsAvg, 0.296, "hp2"}, {stepsAvg, -0.4, "hn2"}, {stepsAvg, -0.5, "hn3"}, {stepsAvg, 1.3, "hp3"},
		{stepsENPS, 4, "h0"}, {stepsENPS, 4.6, "hp1"}, {stepsENPS, -16, "hn2"}, {stepsENPS, 71, "hp3"},
		{stepsFav, 4.4, "h0"}, {stepsFav, -9.6, "hn2"}, {stepsFav, 19.6, "hp3"},
	} {
		if got := c.steps.class(c.d); got != c.want {
			t.Errorf("%v.class(%v) = %s, want %s", c.steps.steps, c.d, got, c.want)
		}
	}
}

// heatRows are the heatmap's body rows (the organisation first): the head cell, then the cells' texts.
func heatRows(t *testing.T, body string) [][]string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<div class="heatmap">.*?<tbody>(.*?)</tbody>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no heatmap in %s", body)
	}
	var out [][]string
	for _, r := range regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(m[1], -1) {
		var row []string
		for _, c := range regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`).FindAllStringSubmatch(r[1], -1) {
			row = append(row, html.UnescapeString(c[1]))
		}
		out = append(out, row)
	}
	return out
}

// TestHeatmapSortAndShow: the heatmap sorts by name, by score and by an
// item, best first and hidden groups last, and shows favourable shares,
// with links (no script) that keep the page's breakdown or department;
// unknown choices fall back to the defaults; the legend states the
// differences each colour stands for.
func TestHeatmapSortAndShow(t *testing.T) {
	p := newPageEnv(t)
	hr := p.signIn(t, "人事C")
	groups := func(query string) []string {
		t.Helper()
		_, body := hr.get(p.srv.URL + SurveyPath(10) + query)
		var out []string
		for _, r := range heatRows(t, body)[1:] {
			out = append(out, r[0])
		}
		return out
	}
	res := fakeFigures(10)
	for _, c := range []struct {
		query string
		want  []string
	}{
		// By name: the Japanese collation reads kanji by their reading
		// (かいけい, じんじ, そうむ), not by code point (人 before 会).
		{"", []string{"会計課", "人事課", "総務課"}},
		{"?sort=name", []string{"会計課", "人事課", "総務課"}},
		{"?sort=bogus&item=enps", []string{"会計課", "人事課", "総務課"}},
		{"?sort=item&item=nosuch", []string{"会計課", "人事課", "総務課"}},
		// Every group of round 10 has the same overall score (3.00):
		// ties go by name.
		{"?sort=score", []string{"会計課", "人事課", "総務課"}},
		{"?sort=item&item=enps", []string{"会計課", "総務課", "人事課"}},
		{"?sort=item&item=enps&show=fav", []string{"会計課", "総務課", "人事課"}},
	} {
		if got := groups(c.query); !slices.Equal(got, c.want) {
			t.Errorf("rows of %q: got %q, want %q", c.query, got, c.want)
		}
	}
	// Round 7: 人事課 and 会計課 are hidden; sorted by an item they go
	// last, by name.
	_, body := hr.get(p.srv.URL + SurveyPath(7) + "?sort=item&item=growth")
	var got []string
	for _, r := range heatRows(t, body)[1:] {
		got = append(got, r[0])
	}
	if want := []string{"総務課", "会計課", "人事課"}; !slices.Equal(got, want) {
		t.Errorf("round 7 by growth: got %q, want %q (hidden groups last)", got, want)
	}
	// Favourable shares: the organisation's and each shown group's share
	// of 4-5 (promoters of the 0-10 item), the difference in points.
	_, body = hr.get(p.srv.URL + SurveyPath(10) + "?show=fav")
	rows := heatRows(t, body)
	org := res.Org
	if want := pct(org.Items["enps"].Promoters); rows[0][1] != want {
		t.Errorf("the organisation's promoters: got %q, want %q", rows[0][1], want)
	}
	if want := pct(org.Items["growth"].Favourable); rows[0][2] != want {
		t.Errorf("the organisation's favourable growth: got %q, want %q", rows[0][2], want)
	}
	for _, r := range rows[1:] {
		g := deptOf(res, r[0])
		f := g.Items["growth"]
		d := f.Favourable - org.Items["growth"].Favourable
		want := pct(f.Favourable) + " (" + signedPt(d) + ")"
		if r[2] != want {
			t.Errorf("%s's favourable growth: got %q, want %q", r[0], r[2], want)
		}
	}
	for _, want := range []string{"肯定的（4〜5）の割合", "割合 +5〜+9", "割合 +20 以上", "割合 ±4 以内"} {
		if !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("the favourable heatmap lacks %q", want)
		}
	}
	// The legend of averages and eNPS states both kinds' thresholds.
	_, body = hr.get(p.srv.URL + SurveyPath(10))
	legend := regexp.MustCompile(`(?s)<ul class="legend"[^>]*>(.*?)</ul>`).FindStringSubmatch(body)
	if legend == nil {
		t.Fatalf("no legend: %s", body)
	}
	for _, want := range []string{"平均 -0.50 以下", "eNPS -25 以下", "平均 -0.49〜-0.30", "平均 ±0.09 以内", "eNPS ±4 以内", "平均 +0.10〜+0.29", "eNPS +5〜+14", "平均 +0.50 以上", "eNPS +25 以上", "回答者が少ないため非表示"} {
		if !strings.Contains(html.UnescapeString(legend[1]), want) {
			t.Errorf("the legend lacks %q: %s", want, legend[1])
		}
	}
	// Links: the current choice is not a link; the others keep the
	// breakdown.
	_, body = hr.get(p.srv.URL + SurveyPath(10) + "?by=tenure&sort=score")
	hrefs := map[string]bool{}
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		hrefs[html.UnescapeString(m[1])] = true
	}
	for _, want := range []string{"/report/survey/10?by=tenure", "/report/survey/10?by=tenure&sort=item&item=enps", "/report/survey/10?by=tenure&show=fav&sort=score", "/report/survey/10?sort=score"} {
		if !hrefs[want] && !hrefs[canonicalQuery(want)] {
			t.Errorf("no link %s among %v", want, hrefs)
		}
	}
	if !strings.Contains(body, `<th scope="col" title="上司は私のキャリアについて定期的に話し合ってくれる">キャリア面談</th>`) || !strings.Contains(body, `<th scope="col">成長</th>`) {
		t.Errorf("the heatmap's heads are not the short titles with the whole one as a tooltip")
	}
	if !strings.Contains(body, "<caption>eNPS と設問の平均（かっこ内は組織全体との差）・並び: 総合スコア順</caption>") {
		t.Errorf("the heatmap's caption does not name its order (a printed page has no links)")
	}
	if hrefs["/report/survey/10?by=tenure&sort=score"] {
		t.Errorf("the current sort links to itself")
	}
}

// TestHeatmapManagerLinksKeepDepartment: a manager of several
// departments sorts within the department they are looking at.
func TestHeatmapManagerLinksKeepDepartment(t *testing.T) {
	p := newPageEnv(t)
	id := p.e.User("部長A").ID
	if _, err := storetest.Write(p.e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(id, func(u *store.User) error {
			u.ManagerOf = store.DepartmentNames{"総務課", "人事課"}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	_, body := p.signIn(t, "部長A").get(p.srv.URL + SurveyPath(10) + "?dept=" + url.QueryEscape("人事課") + "&show=fav")
	for _, want := range []string{
		`href="/report/survey/10?dept=` + url.QueryEscape("人事課") + `&amp;show=fav&amp;sort=score"`,
		`href="/report/survey/10?dept=` + url.QueryEscape("総務課") + `&amp;show=fav"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("a manager's page lacks the link %s", want)
		}
	}
}

// canonicalQuery is path?query with its parameters in url.Values'
// order.
func canonicalQuery(s string) string {
	path, q, _ := strings.Cut(s, "?")
	v, _ := url.ParseQuery(q)
	return path + "?" + v.Encode()
}

// pct writes a share as the heatmap does.
func pct(x float64) string { return fmt.Sprintf("%.0f%%", x) }

// signedPt writes a difference in points as the heatmap does.
func signedPt(d float64) string { return handlers.Signed(d, 0) }

// TestSortGroupsByScore: by score, the mean of a group's shown 1-5
// figures, best first; a group with none shown last; ties by name.
func TestSortGroupsByScore(t *testing.T) {
	items := []figures.PageItem{{ID: "enps", Kind: store.ItemScale0to10}, {ID: "a", Kind: store.ItemScale1to5}, {ID: "b", Kind: store.ItemScale1to5}}
	g := func(key string, a, b float64, bShown bool) figures.GroupFigures {
		return figures.GroupFigures{Key: key, Shown: true, Items: map[string]figures.Figure{
			"enps": {Shown: true, ENPS: 10, Promoters: 30},
			"a":    {Shown: true, Avg: a, Favourable: a * 20},
			"b":    {Shown: bShown, Avg: b, Favourable: b * 20},
		}}
	}
	p := figures.Page{By: "department", Items: items, Result: figures.Figures{Groups: []figures.GroupFigures{
		g("総務課", 3.0, 4.0, true),  // 3.5
		g("人事課", 4.2, 1.0, false), // 4.2: b is hidden, so a alone
		{Key: "会計課"},              // hidden
		g("企画課", 3.5, 3.5, true),  // 3.5, before 総務課 by name
		g("広報課", 2.0, 5.0, true),  // 3.5
	}}}
	v := view{Lang: "ja"}
	var got []string
	for _, gr := range sortGroups(v, p, items, heatOpts{Sort: sortScore}) {
		got = append(got, gr.Key)
	}
	// きかく < こうほう < そうむ by reading.
	if want := []string{"人事課", "企画課", "広報課", "総務課", "会計課"}; !slices.Equal(got, want) {
		t.Errorf("by score: got %q, want %q", got, want)
	}
	got = nil
	for _, gr := range sortGroups(v, p, items, heatOpts{Sort: sortItem, Item: "b"}) {
		got = append(got, gr.Key)
	}
	// 人事課's b is hidden: last with the hidden group, by name.
	if want := []string{"広報課", "総務課", "企画課", "会計課", "人事課"}; !slices.Equal(got, want) {
		t.Errorf("by item b: got %q, want %q", got, want)
	}
}
