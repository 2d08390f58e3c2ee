package web

import "math"

// table is a chart's numbers: a caption, a head row and rows of cells.
type table struct {
	Caption string
	Head    []string
	// HeadTitles, when set, are the heads' tooltips (an item's whole
	// title over its short one), one per head, "" for none.
	HeadTitles []string
	Rows       [][]cell
}

// HeadTitle is the tooltip of head i, "" for none.
func (t table) HeadTitle(i int) string {
	if i < len(t.HeadTitles) {
		return t.HeadTitles[i]
	}
	return ""
}

// cell is one number or label of a table; Hidden cells say the group was
// too small, in words, never as a number.
type cell struct {
	Text   string
	Hidden bool
	Class  string // a heatmap colour class, or ""
	Title  string // a tooltip
}

// chart is an SVG with its numbers.
type chart struct {
	SVG   any // template.HTML
	Note  string
	Table table
}

// nanIf is v, or NaN when the figure is not shown.
func nanIf(shown bool, v float64) float64 {
	if !shown {
		return math.NaN()
	}
	return v
}
