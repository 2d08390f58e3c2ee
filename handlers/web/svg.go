package web

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
)

// palette are the series colours (Okabe-Ito: told apart with colour
// blindness, and in grey on paper by their markers).
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"}

// Colours of the three parts of a distribution.
const (
	colUnfavourable = "#D55E00"
	colNeutral      = "#BBBBBB"
	colFavourable   = "#009E73"
	colHidden       = "#777777"
)

// series is a line or a set of bars: one value per category; a value not
// shown (too few respondents) is NaN.
type series struct {
	Name   string
	Values []float64
	// Format writes a value in a point's title as the tables do; nil:
	// without needless decimals (trimNum).
	Format func(float64) string
}

// esc escapes text for SVG.
func esc(s string) string { return template.HTMLEscapeString(s) }

// num formats a coordinate.
func num(v float64) string { return fmt.Sprintf("%.1f", v) }

// Chart geometry. A chart is drawn chartW units wide at font size fontSize
// and shown at most chartW px wide (style.css), so its text is fontSize px
// on a wide screen and still fontSize*343/chartW ≥ 10 px on a 390 px phone
// (343 px of content). Every text is laid out inside the viewBox from
// conservative widths (textWidth); long labels wrap onto more lines.
const (
	chartW   = 420
	fontSize = 13
	lineH    = 17 // a line of text
	pad      = 4  // the margin inside the viewBox
)

// svgOpen starts an SVG of w×h with an accessible title.
func svgOpen(b *strings.Builder, w, h int, title string) {
	fmt.Fprintf(b, `<svg viewBox="0 0 %d %d" width="100%%" role="img" font-size="%d" font-family="sans-serif"><title>%s</title>`, w, h, fontSize, esc(title))
}

// axis is the frame of a line or bar chart: the plot's box and where the
// category labels and the legend go.
type axis struct {
	left, right, top, ph int
	legend               []legendPos
	h                    int
}

// frame lays out a chart over cats with the series' legend below: the
// value labels (ticks) left of the plot, the category labels under it
// (half of the widest beyond the plot's ends), then the legend's rows.
func frame(cats []string, ticks []string, names []string) axis {
	a := axis{top: pad + lineH/2, ph: 150}
	tw := 0
	for _, t := range ticks {
		tw = max(tw, textWidth(t))
	}
	cw := 0
	for _, c := range cats {
		cw = max(cw, textWidth(c))
	}
	a.left = max(pad+tw+6, pad+cw/2+2)
	a.right = pad + cw/2 + 2
	ly := a.top + a.ph + lineH + lineH
	a.legend, a.h = legendLayout(names, pad, ly, chartW-2*pad)
	return a
}

// catStep is every how many categories a label fits: labels at least
// their width apart.
func catStep(cats []string, spacing float64) int {
	cw := 0
	for _, c := range cats {
		cw = max(cw, textWidth(c))
	}
	if spacing <= 0 {
		return 1
	}
	return max(1, int(math.Ceil(float64(cw+8)/spacing)))
}

// legendPos is where a legend entry goes, and its name's lines (a name
// wider than the chart wraps).
type legendPos struct {
	x, y  int
	lines []string
}

// legendLayout places a swatch and a name per entry in rows from (x, y)
// within width; bottom is below the last row.
func legendLayout(names []string, x, y, width int) (pos []legendPos, bottom int) {
	cx, cy, rowLines := x, y, 1
	for _, n := range names {
		lines := wrap(n, width-18)
		wd := 18 + textWidth(n) + 12
		if len(lines) > 1 || cx+wd-12 > x+width {
			if cx > x {
				cx, cy, rowLines = x, cy+lineH*rowLines, 1
			}
		}
		pos = append(pos, legendPos{x: cx, y: cy, lines: lines})
		rowLines = max(rowLines, len(lines))
		cx += wd
		if len(lines) > 1 {
			cx = x + width // alone on its rows
		}
	}
	return pos, cy + lineH*(rowLines-1) + lineH/2 + pad
}

// drawLegend draws the entries legendLayout placed, in the series' colours.
func drawLegend(b *strings.Builder, pos []legendPos, cols []string) {
	for i, p := range pos {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/>`, p.x, p.y-6, cols[i%len(cols)])
		for j, l := range p.lines {
			fmt.Fprintf(b, `<text x="%d" y="%d" dominant-baseline="middle">%s</text>`, p.x+16, p.y+j*lineH, esc(l))
		}
	}
}

// names are the series' names.
func names(ss []series) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name
	}
	return out
}

// lineChart draws series over categories (rounds) between lo and hi: one
// line per series with a marker per shown point; a point not shown is a
// gap in the line and a grey cross on the axis, titled hiddenLabel.
func lineChart(title string, cats []string, ss []series, lo, hi float64, hiddenLabel string) template.HTML {
	if hi <= lo {
		hi = lo + 1
	}
	return lineChartTicks(title, cats, ss, []float64{lo, (lo + hi) / 2, hi}, trimNum, hiddenLabel)
}

// lineChartTicks is lineChart on an axis from the first to the last of
// ticks (ascending, at least two), a grid line and tickText's label at
// each.
func lineChartTicks(title string, cats []string, ss []series, ticks []float64, tickText func(float64) string, hiddenLabel string) template.HTML {
	lo, hi := ticks[0], ticks[len(ticks)-1]
	labels := make([]string, len(ticks))
	for i, t := range ticks {
		labels[i] = tickText(t)
	}
	a := frame(cats, labels, names(ss))
	w, left, top := chartW, a.left, a.top
	pw, ph := float64(w-a.left-a.right), float64(a.ph)
	x := func(i int) float64 {
		if len(cats) <= 1 {
			return float64(left) + pw/2
		}
		return float64(left) + pw*float64(i)/float64(len(cats)-1)
	}
	y := func(v float64) float64 { return float64(top) + ph*(hi-v)/(hi-lo) }
	var b strings.Builder
	svgOpen(&b, w, a.h, title)
	for i, t := range ticks {
		fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#DDDDDD" class="grid"/><text x="%d" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>`,
			left, num(y(t)), w-a.right, num(y(t)), left-6, num(y(t)), esc(labels[i]))
	}
	step := 1
	if len(cats) > 1 {
		step = catStep(cats, pw/float64(len(cats)-1))
	}
	for i, c := range cats {
		if (len(cats)-1-i)%step != 0 {
			continue
		}
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle" dominant-baseline="middle">%s</text>`, num(x(i)), top+a.ph+lineH, esc(c))
	}
	for si, s := range ss {
		col := palette[si%len(palette)]
		var path []string
		pen := "M"
		for i, v := range s.Values {
			if i >= len(cats) {
				break
			}
			if math.IsNaN(v) {
				pen = "M"
				fmt.Fprintf(&b, `<path d="M%s %sl6 6m0 -6l-6 6" stroke="%s" stroke-width="1.5" class="hidden-point"><title>%s %s: %s</title></path>`,
					num(x(i)-3), num(y(lo)-12-float64(si)*8), colHidden, esc(s.Name), esc(cats[i]), esc(hiddenLabel))
				continue
			}
			path = append(path, pen+num(x(i))+" "+num(y(v)))
			pen = "L"
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3.5" fill="%s"><title>%s %s: %s</title></circle>`, num(x(i)), num(y(v)), col, esc(s.Name), esc(cats[i]), esc(s.text(v)))
		}
		if len(path) > 0 {
			fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(path, " "), col)
		}
	}
	drawLegend(&b, a.legend, palette)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// zoom is the axis of a 1-5 trend fitted to its values: from the half
// point at or below the lowest less a tenth to the half point at or above
// the highest plus a tenth (so no point sits on the frame), at least one
// point tall, within 1-5; a grid line every half
// point (every whole point when it spans more than two). Without any shown
// value it is the whole scale.
//
// Why zoom rather than small multiples: the items are read against each
// other (which one moves, which one lags), so they share one axis; five
// small charts each fitted to its own line would exaggerate a 0.1 change
// as much as a 1.0 one, and on a shared 1-5 axis they flatten again. The
// page states the zoom under the chart, and the table beside it holds the
// numbers.
func zoom(ss []series) []float64 {
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				mn, mx = math.Min(mn, v), math.Max(mx, v)
			}
		}
	}
	lo, hi := 1.0, 5.0
	if !math.IsInf(mn, 1) {
		lo, hi = math.Floor((mn-0.1)*2)/2, math.Ceil((mx+0.1)*2)/2
		if hi-lo < 1 {
			lo = math.Floor(((lo+hi)/2-0.5)*2) / 2
			hi = lo + 1
		}
		if lo < 1 {
			lo, hi = 1, hi+1-lo
		}
		if hi > 5 {
			lo, hi = math.Max(1, lo-(hi-5)), 5
		}
	}
	step := 0.5
	if hi-lo > 2 {
		// Whole points, the axis' ends too, so the last tick is its top.
		step, lo, hi = 1, math.Floor(lo), math.Ceil(hi)
	}
	var ticks []float64
	for t := lo; t <= hi+1e-9; t += step {
		ticks = append(ticks, t)
	}
	return ticks
}

// textWidth is at most how wide s is at fontSize: wide (CJK) characters
// 1em, others 0.6em (rounded up).
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x1100 {
			w += fontSize
		} else {
			w += (fontSize*6 + 9) / 10
		}
	}
	return w
}

// fit shortens s with "…" to at most width.
func fit(s string, width int) string {
	if textWidth(s) <= width {
		return s
	}
	r := []rune(s)
	for n := len(r) - 1; n > 0; n-- {
		if t := string(r[:n]) + "…"; textWidth(t) <= width {
			return t
		}
	}
	return "…"
}

// wrap breaks s into lines of at most width, at a space when one is in
// the line's second half, else between any two characters (Japanese has
// no spaces).
func wrap(s string, width int) []string {
	var lines []string
	r := []rune(s)
	for len(r) > 0 {
		n := 0
		for n < len(r) && textWidth(string(r[:n+1])) <= width {
			n++
		}
		if n == len(r) {
			lines = append(lines, string(r))
			break
		}
		n = max(n, 1)
		for i := n; i > n/2; i-- {
			if r[i] == ' ' {
				n = i
				break
			}
		}
		lines = append(lines, strings.TrimRight(string(r[:n]), " "))
		r = []rune(strings.TrimLeft(string(r[n:]), " "))
	}
	return lines
}

// text writes v as the series' points show it.
func (s series) text(v float64) string {
	if s.Format != nil {
		return s.Format(v)
	}
	return trimNum(v)
}

// trimNum formats a value without needless decimals: 3, 3.5, -12.
func trimNum(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// barRow is one row of a stacked bar chart: three shares adding up to 100,
// or not shown.
type barRow struct {
	Label  string
	Parts  [3]float64
	Hidden bool
}

// stackedBars draws one 100% bar per row in the three colours of a
// distribution (unfavourable, neutral, favourable), each part labelled
// with its share when wide enough; a hidden row says hiddenLabel instead.
// Each row's label stands whole on its own lines above its bar.
func stackedBars(title string, rows []barRow, names [3]string, hiddenLabel string) template.HTML {
	const w, barH = chartW, 20
	left, pw := pad, float64(w-2*pad)
	cols := [3]string{colUnfavourable, colNeutral, colFavourable}
	labels := make([][]string, len(rows))
	y := pad
	for i, r := range rows {
		labels[i] = wrap(r.Label, w-2*pad)
		y += lineH*len(labels[i]) + barH + 8
	}
	legend, h := legendLayout(names[:], pad, y+lineH/2, w-2*pad)
	var b strings.Builder
	svgOpen(&b, w, h, title)
	y = pad
	for i, r := range rows {
		for _, l := range labels[i] {
			fmt.Fprintf(&b, `<text x="%d" y="%d" dominant-baseline="middle">%s</text>`, left, y+lineH/2, esc(l))
			y += lineH
		}
		y++
		if r.Hidden {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="%d" fill="none" stroke="%s" stroke-dasharray="4 3"/><text x="%d" y="%d" dominant-baseline="middle" fill="%s" class="muted">%s</text>`,
				left, y, num(pw), barH, colHidden, left+8, y+barH/2, colHidden, esc(fit(hiddenLabel, int(pw)-16)))
			y += barH + 7
			continue
		}
		at := float64(left)
		for p, share := range r.Parts {
			wd := pw * share / 100
			if wd <= 0 {
				continue
			}
			fmt.Fprintf(&b, `<rect x="%s" y="%d" width="%s" height="%d" fill="%s"><title>%s: %s%%</title></rect>`, num(at), y, num(wd), barH, cols[p], esc(names[p]), trimNum(math.Round(share)))
			if pct := fmt.Sprintf("%.0f%%", share); wd >= float64(textWidth(pct)+6) {
				fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle" dominant-baseline="middle" class="on-bar">%s</text>`, num(at+wd/2), y+barH/2, pct)
			}
			at += wd
		}
		y += barH + 7
	}
	drawLegend(&b, legend, cols[:])
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// groupedBars draws, for each category (a month), one vertical bar per
// series side by side, from zero to the largest value.
func groupedBars(title string, cats []string, ss []series) template.HTML {
	hi, whole := 0.0, true
	for _, s := range ss {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				hi = max(hi, v)
				whole = whole && v == math.Trunc(v)
			}
		}
	}
	// The axis ends on a round number twice a round step, so that its
	// middle tick is round too (800, not 674.5) and counts get whole ticks.
	step := niceStep(hi / 2)
	if whole {
		step = max(step, 1)
	}
	hi = 2 * step
	ticks := []float64{0, step, hi}
	var tl []string
	for _, t := range ticks {
		tl = append(tl, trimNum(t))
	}
	a := frame(nil, tl, names(ss))
	w, left, top := chartW, a.left, a.top
	pw, ph := float64(w-a.left-a.right), float64(a.ph)
	var b strings.Builder
	svgOpen(&b, w, a.h, title)
	for i, t := range ticks {
		yy := float64(top) + ph*(1-t/hi)
		fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#DDDDDD" class="grid"/><text x="%d" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>`,
			left, num(yy), w-a.right, num(yy), left-6, num(yy), esc(tl[i]))
	}
	slot := pw / float64(max(len(cats), 1))
	bw := slot * 0.8 / float64(max(len(ss), 1))
	// Few categories with long names (departments) are each labelled,
	// shortened to their slot (a bar's title and the table name them in
	// full); many short ones (months) are labelled every step-th.
	labels, every := slices.Clone(cats), catStep(cats, slot)
	if room := int(slot) - 6; every > 1 && room >= textWidth("国際協…") {
		for i, c := range labels {
			labels[i] = fit(c, room)
		}
		every = 1
	}
	for i, c := range cats {
		x0 := float64(left) + slot*float64(i) + slot*0.1
		if l := labels[i]; (len(cats)-1-i)%every == 0 {
			// The label is centred on its slot, kept inside the chart.
			cx := math.Min(math.Max(x0+slot*0.4, float64(pad+textWidth(l)/2)), float64(w-pad-textWidth(l)/2))
			whole := ""
			if l != c {
				whole = "<title>" + esc(c) + "</title>"
			}
			fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle" dominant-baseline="middle">%s%s</text>`, num(cx), top+a.ph+lineH, esc(l), whole)
		}
		for si, s := range ss {
			if i >= len(s.Values) || math.IsNaN(s.Values[i]) {
				continue
			}
			v := s.Values[i]
			bh := ph * v / hi
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s %s: %s</title></rect>`,
				num(x0+bw*float64(si)), num(float64(top)+ph-bh), num(bw), num(bh), palette[si%len(palette)], esc(s.Name), esc(c), esc(trimNum(v)))
		}
	}
	drawLegend(&b, a.legend, palette)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// niceStep rounds v up to a round number: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6
// or 8 times a power of ten (at least 0.5 for v ≤ 0).
func niceStep(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0.5
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}
