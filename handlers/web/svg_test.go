package web

import (
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
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
