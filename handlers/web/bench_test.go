package web

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
)

// BenchmarkSurveyPage lays out and renders hr's page of a round of 60
// departments and 7 items over 6 rounds, every department in each
// (the figures given, as survey.ReportPage returns them): the page's own
// cost on top of the report's.
func BenchmarkSurveyPage(b *testing.B) {
	p := newPageEnv(b)
	items := []figures.Item{{ID: "enps", Kind: store.ItemScale0to10}}
	pitems := []figures.PageItem{{ID: "enps", Kind: store.ItemScale0to10, Title: "職場を薦めたい"}}
	for i := range 6 {
		id := fmt.Sprintf("q%d", i)
		items = append(items, figures.Item{ID: id, Kind: store.ItemScale1to5})
		pitems = append(pitems, figures.PageItem{ID: id, Kind: store.ItemScale1to5, Title: "設問" + id})
	}
	var groups []figures.Cell
	for d := range 60 {
		g := figures.Cell{Keys: []string{fmt.Sprintf("部署%02d", d)}, Tally: figures.Tally{Invited: 500, N: 3 + d*7, Scores: map[string][]int{}}}
		for _, it := range items {
			h := make([]int, 11)
			h[(d%5)+1] = g.N
			if it.Kind == store.ItemScale0to10 {
				h[d%11] = g.N
				h[(d%5)+1] = 0
			}
			g.Scores[it.ID] = h
		}
		groups = append(groups, g)
	}
	res := figures.Publish(items, []string{"department"}, groups, 5).Figures(items, "department")
	page := figures.Page{RoundID: 1, Title: "エンゲージメント調査", Period: "2026-11", K: 5, By: "department", Items: pitems, Result: res, Labels: map[string]string{}}
	for i := range 6 {
		page.Trend = append(page.Trend, figures.TrendPoint{Period: fmt.Sprintf("2026-%02d", 6+i), Org: res.Org, Groups: res.Groups})
	}
	v := p.f.viewFor(store.User{Locale: "ja"}, "", nil)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		sv := buildSurvey(v, page, nil, nil)
		v.Page = sv
		var buf bytes.Buffer
		if err := pages["survey"].ExecuteTemplate(&buf, "layout.html", v); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1024, "KiB/page")
}
