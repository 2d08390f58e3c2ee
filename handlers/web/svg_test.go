package web

import (
	"math"
	"regexp"
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

func TestHeatClass(t *testing.T) {
	for _, c := range []struct {
		kind string
		d    float64
		want string
	}{
		{"scale1to5", 0.05, "h0"}, {"scale1to5", 0.2, "hp1"}, {"scale1to5", -0.4, "hn2"}, {"scale1to5", 1.3, "hp3"},
		{"scale0to10", 4, "h0"}, {"scale0to10", -16, "hn2"}, {"scale0to10", 71, "hp3"},
	} {
		if got := heatClass(c.kind, c.d); got != c.want {
			t.Errorf("heatClass(%s, %v) = %s, want %s", c.kind, c.d, got, c.want)
		}
	}
}

func TestChartsEscapeLabels(t *testing.T) {
	svg := string(groupedBars("<script>", []string{"</svg>"}, []series{{Name: `"&'`, Values: []float64{1}}}))
	if strings.Contains(svg, "<script>") || strings.Contains(svg, "</svg><") || strings.Contains(svg, `"&'`) {
		t.Errorf("labels are not escaped: %s", svg)
	}
}
