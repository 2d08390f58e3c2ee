package web

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
)

func TestLineChartGapsAndMarksHiddenPoints(t *testing.T) {
	svg := string(lineChart("eNPS", []string{"2026-09", "2026-10", "2026-11"},
		[]series{{Name: "組織全体", Values: []float64{10, math.NaN(), -20}}}, -100, 100, "回答者が少ないため非表示"))
	// Two points, a cross for the hidden one, and no line across the gap:
	// the path restarts (two M, no L).
	if n := strings.Count(svg, "<circle"); n != 2 {
		t.Errorf("points: got %d, want 2", n)
	}
	if !strings.Contains(svg, `class="hidden-point"><title>組織全体 2026-10: 回答者が少ないため非表示</title>`) {
		t.Errorf("the hidden point is not marked: %s", svg)
	}
	line := regexp.MustCompile(`<path d="(M[^"]*)" fill="none"`).FindStringSubmatch(svg)
	if len(line) != 2 || strings.Contains(line[1], "L") || strings.Count(line[1], "M") != 2 {
		t.Errorf("the line across the gap: got %q, want two separate points", line)
	}
	// y: 10 of -100..100 on a plot from 12 to 162 is 12+150*90/200 = 79.5.
	if !strings.Contains(svg, `cy="79.5"`) {
		t.Errorf("the point 10 is not at y 79.5: %s", svg)
	}
}

func TestStackedBarsWidthsAndHiddenRows(t *testing.T) {
	svg := string(stackedBars("分布", []barRow{{Label: "成長", Parts: [3]float64{25, 25, 50}}, {Label: "会計課", Hidden: true}},
		[3]string{"否定的", "中立", "肯定的"}, "回答者が少ないため非表示"))
	// The plot is 420-2*4 = 412 wide: 25% is 103, 50% is 206.
	for _, want := range []string{`width="103.0" height="20" fill="#D55E00"`, `width="206.0" height="20" fill="#009E73"`, `stroke-dasharray="4 3"`, ">回答者が少ないため非表示<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("stacked bars lack %q: %s", want, svg)
		}
	}
}

func TestChartsEscapeLabels(t *testing.T) {
	svg := string(groupedBars("<script>", []string{"</svg>"}, []series{{Name: `"&'`, Values: []float64{1}}}))
	if strings.Contains(svg, "<script>") || strings.Contains(svg, "</svg><") || strings.Contains(svg, `"&'`) {
		t.Errorf("labels are not escaped: %s", svg)
	}
}

// TestChartTextInsideViewBox lays out charts with long labels and many
// series and checks, by the widths the layout assumes (textWidth), that
// every text lies inside the viewBox; the browser test measures the same
// as Chromium draws it.
func TestChartTextInsideViewBox(t *testing.T) {
	long := []string{"成長", "上司は私のキャリアについて定期的に話し合ってくれる", "My workload is manageable in most weeks of the month, most of the time, really",
		"良い仕事をしたときにはきちんと認められていると感じる — 組織全体", "チームの一員だと感じる (I feel I belong here) — 総務課"}
	var ss []series
	var rows []barRow
	for i, n := range long {
		ss = append(ss, series{Name: n, Values: []float64{1 + float64(i)*0.5, math.NaN(), 3}})
		rows = append(rows, barRow{Label: n, Parts: [3]float64{20, 30, 50}, Hidden: i == 2})
	}
	months := []string{"2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05"}
	vb := regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	txt := regexp.MustCompile(`<text x="([\d.]+)" y="([\d.]+)"( text-anchor="(\w+)")?[^>]*>(?:<title>[^<]*</title>)?([^<]*)</text>`)
	for name, svg := range map[string]string{
		"line":    string(lineChart("t", []string{"2026-10", "2026-11", "2026-12"}, ss, 1, 5, "hidden")),
		"months":  string(lineChart("t", months, ss[:2], -100, 100, "hidden")),
		"zoomed":  string(lineChartTicks("t", months, ss, zoom(ss), func(x float64) string { return fmt.Sprintf("%.1f", x) }, "hidden")),
		"stacked": string(stackedBars("t", rows, [3]string{"否定的", "中立", "肯定的"}, "回答者が少ないため非表示")),
		"grouped": string(groupedBars("t", months, ss)),
	} {
		m := vb.FindStringSubmatch(svg)
		w, h := atof(m[1]), atof(m[2])
		texts := txt.FindAllStringSubmatch(svg, -1)
		if len(texts) < len(ss) {
			t.Fatalf("%s: %d texts", name, len(texts))
		}
		for _, x := range texts {
			cx, cy, tw := atof(x[1]), atof(x[2]), float64(textWidth(html.UnescapeString(x[5])))
			lo, hi := cx, cx+tw
			switch x[4] {
			case "middle":
				lo, hi = cx-tw/2, cx+tw/2
			case "end":
				lo, hi = cx-tw, cx
			}
			if lo < 0 || hi > w || cy-fontSize/2 < 0 || cy+fontSize/2 > h {
				t.Errorf("%s: %q spans x %.0f..%.0f, y %.0f±%d outside 0..%.0f × 0..%.0f", name, x[5], lo, hi, cy, fontSize/2, w, h)
			}
		}
	}
}

func atof(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }

// TestZoomFitsTheData: the 1-5 trend's axis fits its values on half
// points with a margin, at least a point tall, within 1-5, and is the
// whole scale when nothing is shown.
func TestZoomFitsTheData(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		values []float64
		want   []float64
	}{
		{[]float64{3.0, 3.7, nan, 3.42}, []float64{2.5, 3, 3.5, 4}},
		{[]float64{3.6, 3.62}, []float64{3, 3.5, 4}},
		{[]float64{4.95}, []float64{4, 4.5, 5}},
		{[]float64{1.0, 1.05}, []float64{1, 1.5, 2}},
		{[]float64{1, 5}, []float64{1, 2, 3, 4, 5}},
		{[]float64{nan, nan}, []float64{1, 2, 3, 4, 5}},
		{[]float64{2.2, 4.4}, []float64{2, 3, 4, 5}},
	} {
		if got := zoom([]series{{Values: c.values}}); !slices.Equal(got, c.want) {
			t.Errorf("zoom(%v) = %v, want %v", c.values, got, c.want)
		}
	}
}

// TestSurveyTrendZoomed: averages between 3.0 and 3.7 (as real rounds
// have them) are drawn on a zoomed axis, every point inside the plot, the
// legend and table heads with the items' short titles, and a note under
// the chart says the axis is zoomed; a trend that spans the scale is not
// zoomed and has no note.
func TestSurveyTrendZoomed(t *testing.T) {
	p := newPageEnv(t)
	v := p.f.viewFor(store.User{Locale: "ja"}, "", nil)
	items := []figures.PageItem{
		{ID: "a", Kind: store.ItemScale1to5, Title: "上司は私のキャリアについて定期的に話し合ってくれる", Short: "キャリア面談"},
		{ID: "b", Kind: store.ItemScale1to5, Title: "成長"},
	}
	page := func(avgs ...[2]float64) figures.Page {
		pg := figures.Page{Items: items}
		for i, a := range avgs {
			pg.Trend = append(pg.Trend, figures.TrendPoint{Period: fmt.Sprintf("2026-%02d", 9+i), Org: figures.GroupFigures{Shown: true, Items: map[string]figures.Figure{
				"a": {Shown: true, Avg: a[0]}, "b": {Shown: true, Avg: a[1]},
			}}})
		}
		return pg
	}
	cs := trendCharts(v, page([2]float64{3.0, 3.41}, [2]float64{3.7, 3.2}, [2]float64{3.35, 3.5}), nil, items, "非表示")
	if len(cs) != 1 {
		t.Fatalf("charts: %d, want 1", len(cs))
	}
	c, svg := cs[0], string(cs[0].SVG.(template.HTML))
	if want := "縦軸は 2.5〜4.0 の範囲を拡大して表示しています（尺度は 1〜5）"; !strings.Contains(c.Note, want) {
		t.Errorf("note %q, want %q", c.Note, want)
	}
	grid := regexp.MustCompile(`<line x1="\d+" y1="([0-9.]+)"`).FindAllStringSubmatch(svg, -1)
	top, bottom := atof(grid[len(grid)-1][1]), atof(grid[0][1])
	circles := regexp.MustCompile(`<circle cx="[0-9.]+" cy="([0-9.]+)"`).FindAllStringSubmatch(svg, -1)
	if len(circles) != 6 {
		t.Errorf("points: %d, want 6", len(circles))
	}
	for _, m := range circles {
		if y := atof(m[1]); y < top || y > bottom {
			t.Errorf("a point at y %v outside the plot %v-%v", y, top, bottom)
		}
	}
	// 3.0 on a 2.5-4.0 axis is a third of the way up the plot.
	if want := fmt.Sprintf(`cy="%.1f"`, bottom-(bottom-top)/3); !strings.Contains(svg, want) {
		t.Errorf("3.0 is not at %s: %s", want, svg)
	}
	if !strings.Contains(svg, ">キャリア面談</text>") || strings.Contains(svg, "定期的に") || !slices.Equal(c.Table.Head, []string{"回", "キャリア面談", "成長"}) {
		t.Errorf("the legend and heads do not use the short title: %v %s", c.Table.Head, svg)
	}
	if c := trendCharts(v, page([2]float64{1.2, 4.9}, [2]float64{2, 3}), nil, items, "非表示")[0]; c.Note != "" || !strings.Contains(string(c.SVG.(template.HTML)), ">5.0</text>") {
		t.Errorf("a trend over the whole scale: note %q", c.Note)
	}
}

// TestNiceStep: an axis's steps are round numbers at least the value.
func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{
		{674.5, 800}, {0.5, 0.5}, {1, 1}, {1.01, 1.2}, {7, 8}, {9, 10}, {35, 40}, {0.03, 0.03}, {0, 0.5}, {250, 250},
	} {
		if got := niceStep(c.in); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("niceStep(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestGroupedBarsLabelEveryDepartment: two departments, one with a long
// name, both labelled (the long one shortened), on whole ticks.
func TestGroupedBarsLabelEveryDepartment(t *testing.T) {
	svg := string(groupedBars("t", []string{"国際協力局地域連携推進課（アジア・大洋州担当）", "総務課"},
		[]series{{Name: "1on1", Values: []float64{512, 700}}, {Name: "グループ", Values: []float64{15, 20}}}))
	for _, want := range []string{">総務課</text>", "…<title>国際協力局地域連携推進課（アジア・大洋州担当）</title></text>", ">400</text>", ">800</text>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "674") || strings.Contains(svg, ">350<") {
		t.Errorf("the axis has a tick that is not round:\n%s", svg)
	}
}
