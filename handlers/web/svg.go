package web

import (
	"fmt"
	"html/template"
	"math"
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

// svgOpen starts an SVG of w×h with an accessible title.
func svgOpen(b *strings.Builder, w, h int, title string) {
	fmt.Fprintf(b, `<svg viewBox="0 0 %d %d" width="100%%" role="img" font-size="12" font-family="sans-serif"><title>%s</title>`, w, h, esc(title))
}

// lineChart draws series over categories (rounds) between lo and hi: one
// line per series with a marker per shown point; a point not shown is a
// gap in the line and a grey cross on the axis, titled hiddenLabel.
func lineChart(title string, cats []string, ss []series, lo, hi float64, hiddenLabel string) template.HTML {
	const w, h, left, right, top, bottom = 640, 260, 48, 40, 16, 72
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	if hi <= lo {
		hi = lo + 1
	}
	x := func(i int) float64 {
		if len(cats) <= 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(len(cats)-1)
	}
	y := func(v float64) float64 { return top + ph*(hi-v)/(hi-lo) }
	var b strings.Builder
	svgOpen(&b, w, h, title)
	for _, t := range []float64{lo, (lo + hi) / 2, hi} {
		fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#DDDDDD"/><text x="%d" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>`,
			left, num(y(t)), w-right, num(y(t)), left-6, num(y(t)), esc(trimNum(t)))
	}
	for i, c := range cats {
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle">%s</text>`, num(x(i)), h-bottom+16, esc(c))
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
	legend(&b, ss, left, h-bottom+34, w-left-right)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// legend draws the series' names in rows from (x, y) within width.
func legend(b *strings.Builder, ss []series, x, y, width int) {
	cx, cy := x, y
	for si, s := range ss {
		wd := 28 + textWidth(s.Name)
		if cx+wd > x+width && cx > x {
			cx, cy = x, cy+16
		}
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="12" height="4" fill="%s"/><text x="%d" y="%d" dominant-baseline="middle">%s</text>`,
			cx, cy-2, palette[si%len(palette)], cx+16, cy, esc(s.Name))
		cx += wd
	}
}

// textWidth is about how wide s is at font-size 12: wide (CJK) characters
// 12, others 7.
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x1100 {
			w += 12
		} else {
			w += 7
		}
	}
	return w
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
func stackedBars(title string, rows []barRow, names [3]string, hiddenLabel string) template.HTML {
	const w, left, right, rowH = 640, 200, 16, 26
	h := 36 + rowH*len(rows)
	pw := float64(w - left - right)
	cols := [3]string{colUnfavourable, colNeutral, colFavourable}
	var b strings.Builder
	svgOpen(&b, w, h, title)
	for i, r := range rows {
		y := 8 + i*rowH
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" dominant-baseline="middle">%s</text>`, left-8, y+9, esc(clip(r.Label, 26)))
		if r.Hidden {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="18" fill="none" stroke="%s" stroke-dasharray="4 3"/><text x="%d" y="%d" dominant-baseline="middle" fill="%s">%s</text>`,
				left, y, num(pw), colHidden, left+8, y+9, colHidden, esc(hiddenLabel))
			continue
		}
		at := float64(left)
		for p, share := range r.Parts {
			wd := pw * share / 100
			if wd <= 0 {
				continue
			}
			fmt.Fprintf(&b, `<rect x="%s" y="%d" width="%s" height="18" fill="%s"><title>%s: %s%%</title></rect>`, num(at), y, num(wd), cols[p], esc(names[p]), trimNum(math.Round(share)))
			if wd > 30 {
				fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle" dominant-baseline="middle">%.0f%%</text>`, num(at+wd/2), y+9, share)
			}
			at += wd
		}
	}
	ly := 8 + rowH*len(rows) + 12
	lx := left
	for p, n := range names {
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" dominant-baseline="middle">%s</text>`, lx, ly-6, cols[p], lx+16, ly, esc(n))
		lx += 32 + textWidth(n)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// groupedBars draws, for each category (a month), one vertical bar per
// series side by side, from zero to the largest value.
func groupedBars(title string, cats []string, ss []series) template.HTML {
	const w, h, left, right, top, bottom = 640, 260, 48, 40, 16, 72
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	hi := 1.0
	for _, s := range ss {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				hi = max(hi, v)
			}
		}
	}
	var b strings.Builder
	svgOpen(&b, w, h, title)
	for _, t := range []float64{0, hi / 2, hi} {
		yy := top + ph*(1-t/hi)
		fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#DDDDDD"/><text x="%d" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>`,
			left, num(yy), w-right, num(yy), left-6, num(yy), esc(trimNum(math.Round(t*10)/10)))
	}
	slot := pw / float64(max(len(cats), 1))
	bw := slot * 0.8 / float64(max(len(ss), 1))
	for i, c := range cats {
		x0 := left + slot*float64(i) + slot*0.1
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle">%s</text>`, num(x0+slot*0.4), h-bottom+16, esc(c))
		for si, s := range ss {
			if i >= len(s.Values) || math.IsNaN(s.Values[i]) {
				continue
			}
			v := s.Values[i]
			bh := ph * v / hi
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s %s: %s</title></rect>`,
				num(x0+bw*float64(si)), num(top+ph-bh), num(bw), num(bh), palette[si%len(palette)], esc(s.Name), esc(c), esc(trimNum(v)))
		}
	}
	legend(&b, ss, left, h-bottom+34, w-left-right)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// clip shortens a label to n characters.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
