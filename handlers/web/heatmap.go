package web

import (
	"cmp"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
)

// How a heatmap's rows are sorted (the query's sort=).
const (
	sortName  = "name"  // by the group's name (tenure bands in their order)
	sortScore = "score" // by the group's score (heatScore), best first
	sortItem  = "item"  // by one item (the query's item=), best first
)

// heatOpts are the reader's choices of a heatmap, from the page's query:
// links with a query parameter, sorted on the server, since the pages run
// no script. Anything unknown falls back to the default.
type heatOpts struct {
	Sort string
	Item string // the item sortItem sorts by
	Fav  bool   // favourable % (show=fav) instead of averages and eNPS
}

// heatOptsOf reads the heatmap's choices from q, items being the
// heatmap's columns.
func heatOptsOf(q url.Values, items []figures.PageItem) heatOpts {
	o := heatOpts{Sort: sortName, Fav: q.Get("show") == "fav"}
	switch q.Get("sort") {
	case sortScore:
		o.Sort = sortScore
	case sortItem:
		id := q.Get("item")
		if slices.ContainsFunc(items, func(it figures.PageItem) bool { return it.ID == id }) {
			o.Sort, o.Item = sortItem, id
		}
	}
	return o
}

// query adds o's choices that are not the defaults to q.
func (o heatOpts) query(q url.Values) url.Values {
	if o.Sort != sortName {
		q.Set("sort", o.Sort)
	}
	if o.Sort == sortItem {
		q.Set("item", o.Item)
	}
	if o.Fav {
		q.Set("show", "fav")
	}
	return q
}

// heatmapView is the heatmap, the links that sort and switch it, and the
// legend of its colours.
type heatmapView struct {
	Table  table
	Sorts  []link
	Shows  []link
	Legend []legendStep
	Note   string
}

// legendStep is one colour of the heatmap and the differences it stands
// for.
type legendStep struct {
	Class, Sign, Text string
}

// heatSteps are the differences from the organisation at which a cell
// takes the next colour, and the decimals they are compared at (the
// decimals the cell shows: a cell's colour and its number never
// disagree).
type heatSteps struct {
	steps    [3]float64
	decimals int
}

// Steps of each figure: a 1-5 average in hundredths of a point, eNPS and
// favourable shares in whole points.
var (
	stepsAvg  = heatSteps{[3]float64{0.1, 0.3, 0.5}, 2}
	stepsENPS = heatSteps{[3]float64{5, 15, 25}, 0}
	stepsFav  = heatSteps{[3]float64{5, 10, 20}, 0}
)

// class is the colour class of difference d: h0 for about the same,
// hp1-hp3 above, hn1-hn3 below. d is rounded as the cell writes it first.
func (h heatSteps) class(d float64) string {
	p := math.Pow(10, float64(h.decimals))
	d = math.Round(d*p) / p
	level := 0
	for _, s := range h.steps {
		if math.Abs(d) >= s-1e-9 {
			level++
		}
	}
	switch {
	case level == 0:
		return "h0"
	case d > 0:
		return "hp" + strconv.Itoa(level)
	default:
		return "hn" + strconv.Itoa(level)
	}
}

// ranges are the differences each class stands for, in the order
// hn3 … h0 … hp3, as the cells write them.
func (h heatSteps) ranges(v view) [7]string {
	unit := math.Pow(10, -float64(h.decimals))
	sg := func(x float64) string { return handlers.Signed(x, h.decimals) }
	s := h.steps
	return [7]string{
		v.Tr("web.heatmap.at_most", "To", sg(-s[2])),
		v.Tr("web.heatmap.range", "From", sg(-s[2]+unit), "To", sg(-s[1])),
		v.Tr("web.heatmap.range", "From", sg(-s[1]+unit), "To", sg(-s[0])),
		v.Tr("web.heatmap.within", "To", strconv.FormatFloat(s[0]-unit, 'f', h.decimals, 64)),
		v.Tr("web.heatmap.range", "From", sg(s[0]), "To", sg(s[1]-unit)),
		v.Tr("web.heatmap.range", "From", sg(s[1]), "To", sg(s[2]-unit)),
		v.Tr("web.heatmap.at_least", "From", sg(s[2])),
	}
}

// heatFigure is what a heatmap cell of it shows: the average of a 1-5
// item or the eNPS of a 0-10 one, or with fav the share answering 4-5
// (promoters, 9-10, of a 0-10 item); ok is false when not shown.
func heatFigure(it figures.PageItem, g figures.GroupFigures, fav bool) (float64, bool) {
	if !fav {
		return value(it, g)
	}
	f, ok := g.Items[it.ID]
	if !ok || !f.Shown || !g.Shown {
		return 0, false
	}
	if it.Kind == store.ItemScale0to10 {
		return f.Promoters, true
	}
	return f.Favourable, true
}

// stepsOf are the colour steps of it's cells.
func stepsOf(it figures.PageItem, fav bool) heatSteps {
	switch {
	case fav:
		return stepsFav
	case it.Kind == store.ItemScale0to10:
		return stepsENPS
	}
	return stepsAvg
}

// heatText writes a cell's figure; diff a difference from the
// organisation.
func heatText(it figures.PageItem, x float64, fav, diff bool) string {
	switch {
	case fav && diff:
		return handlers.Signed(x, 0)
	case fav:
		return fmt.Sprintf("%.0f%%", x)
	case diff:
		return handlers.Signed(x, stepsOf(it, false).decimals)
	}
	return format(it, x)
}

// heatScore is the group's score the rows sort by: the mean of its shown
// 1-5 figures (averages, or favourable shares), else its eNPS (or
// promoter share) when the survey has no 1-5 item; ok is false when none
// is shown. It is computed from shown figures only, so the order tells
// nothing a hidden one would.
func heatScore(items []figures.PageItem, g figures.GroupFigures, fav bool) (float64, bool) {
	sum, n := 0.0, 0
	for _, it := range items {
		if it.Kind != store.ItemScale1to5 {
			continue
		}
		if x, ok := heatFigure(it, g, fav); ok {
			sum, n = sum+x, n+1
		}
	}
	if n > 0 {
		return sum / float64(n), true
	}
	for _, it := range items {
		if it.Kind == store.ItemScale0to10 {
			return heatFigure(it, g, fav)
		}
	}
	return 0, false
}

// heatmap is the groups × items table coloured by the difference from
// the organisation (a suppressed cell says so in words), sorted and
// switched as o says, with links to the other choices; keep is the
// page's own query (its breakdown and department) the links carry.
func heatmap(v view, p figures.Page, nps *figures.PageItem, scales []figures.PageItem, too string, o heatOpts, keep url.Values) heatmapView {
	var items []figures.PageItem
	if nps != nil {
		items = append(items, *nps)
	}
	items = append(items, scales...)
	var hv heatmapView
	caption := "web.heatmap.caption"
	if o.Fav {
		caption = "web.heatmap.caption_fav"
	}
	tb := table{Caption: v.Tr(caption), Head: []string{v.Tr("web.group")}, HeadTitles: []string{""}}
	for _, it := range items {
		tb.Head = append(tb.Head, it.Label())
		whole := ""
		if it.Short != "" {
			whole = it.Title // the short title's tooltip is the whole one
		}
		tb.HeadTitles = append(tb.HeadTitles, whole)
	}
	orgRow := []cell{{Text: v.Tr("web.org")}}
	for _, it := range items {
		if x, ok := heatFigure(it, p.Result.Org, o.Fav); ok {
			orgRow = append(orgRow, cell{Text: heatText(it, x, o.Fav, false), Class: "h0"})
		} else {
			orgRow = append(orgRow, cell{Text: too, Hidden: true, Class: "suppressed"})
		}
	}
	tb.Rows = append(tb.Rows, orgRow)
	for _, g := range sortGroups(v, p, items, o) {
		row := []cell{{Text: label(p, g.Key, v)}}
		for _, it := range items {
			x, ok := heatFigure(it, g, o.Fav)
			if !ok {
				row = append(row, cell{Text: too, Hidden: true, Class: "suppressed", Title: v.Tr("web.too_few_title", "K", p.K)})
				continue
			}
			c := cell{Text: heatText(it, x, o.Fav, false), Class: "h0"}
			if org, ok := heatFigure(it, p.Result.Org, o.Fav); ok {
				d := x - org
				c.Class = stepsOf(it, o.Fav).class(d)
				c.Text += " (" + heatText(it, d, o.Fav, true) + ")"
				c.Title = v.Tr("web.heatmap.diff")
			}
			row = append(row, c)
		}
		tb.Rows = append(tb.Rows, row)
	}
	hv.Sorts, hv.Shows = heatLinks(v, p, items, o, keep)
	// The caption names the order too: a printed page has no links.
	for _, l := range hv.Sorts {
		if l.Current {
			tb.Caption = v.Tr("web.heatmap.caption_sorted", "Caption", tb.Caption, "Sort", l.Text)
		}
	}
	hv.Table = tb
	hv.Legend, hv.Note = heatLegend(v, items, o)
	return hv
}

// sortGroups are the page's groups in the order o asks for: by name (a
// collation of the viewer's language; tenure bands keep their order), or
// by score or an item, best first, and groups without that figure last by
// name.
func sortGroups(v view, p figures.Page, items []figures.PageItem, o heatOpts) []figures.GroupFigures {
	gs := slices.Clone(p.Result.Groups)
	col := collate.New(language.Make(v.Lang))
	byName := func(a, b figures.GroupFigures) int {
		if p.By == "tenure" {
			return 0 // the bands' own order: the stable sort keeps it
		}
		return col.CompareString(label(p, a.Key, v), label(p, b.Key, v))
	}
	if o.Sort == sortName {
		slices.SortStableFunc(gs, byName)
		return gs
	}
	key := func(g figures.GroupFigures) (float64, bool) { return heatScore(items, g, o.Fav) }
	if o.Sort == sortItem {
		// heatOptsOf took only an item of the heatmap.
		it := items[slices.IndexFunc(items, func(it figures.PageItem) bool { return it.ID == o.Item })]
		key = func(g figures.GroupFigures) (float64, bool) { return heatFigure(it, g, o.Fav) }
	}
	slices.SortStableFunc(gs, func(a, b figures.GroupFigures) int {
		x, okA := key(a)
		y, okB := key(b)
		switch {
		case okA && okB && x != y:
			return cmp.Compare(y, x)
		case okA != okB:
			if okA {
				return -1
			}
			return 1
		}
		return byName(a, b)
	})
	return gs
}

// heatLinks are the links that sort the heatmap (by name, by score, by
// each item) and switch what it shows, each keeping the page's other
// choices; the current one is marked, not linked.
func heatLinks(v view, p figures.Page, items []figures.PageItem, o heatOpts, keep url.Values) (sorts, shows []link) {
	href := func(n heatOpts) string {
		q := n.query(url.Values{})
		for k, vs := range keep {
			q[k] = vs
		}
		if len(q) == 0 {
			return SurveyPath(p.RoundID)
		}
		return SurveyPath(p.RoundID) + "?" + q.Encode()
	}
	name := v.Tr("web.heatmap.sort_name")
	if p.By == "tenure" {
		name = v.Tr("web.heatmap.sort_bands")
	}
	add := func(n heatOpts, text string) {
		sorts = append(sorts, link{Href: href(n), Text: text, Current: n.Sort == o.Sort && n.Item == o.Item})
	}
	add(heatOpts{Sort: sortName, Fav: o.Fav}, name)
	add(heatOpts{Sort: sortScore, Fav: o.Fav}, v.Tr("web.heatmap.sort_score"))
	for _, it := range items {
		add(heatOpts{Sort: sortItem, Item: it.ID, Fav: o.Fav}, it.Label())
	}
	avg, fav := o, o
	avg.Fav, fav.Fav = false, true
	shows = []link{
		{Href: href(avg), Text: v.Tr("web.heatmap.show_avg"), Current: !o.Fav},
		{Href: href(fav), Text: v.Tr("web.heatmap.show_fav"), Current: o.Fav},
	}
	return sorts, shows
}

// heatLegend is the heatmap's legend: each colour with the differences it
// stands for, for each kind of figure the heatmap shows, and a note of
// what the score is.
func heatLegend(v view, items []figures.PageItem, o heatOpts) ([]legendStep, string) {
	type kind struct {
		name  string
		steps heatSteps
	}
	var kinds []kind
	hasKind := func(k string) bool {
		return slices.ContainsFunc(items, func(it figures.PageItem) bool { return it.Kind == k })
	}
	switch {
	case o.Fav:
		kinds = append(kinds, kind{v.Tr("web.heatmap.kind_fav"), stepsFav})
	default:
		if hasKind(store.ItemScale1to5) {
			kinds = append(kinds, kind{v.Tr("web.heatmap.kind_avg"), stepsAvg})
		}
		if hasKind(store.ItemScale0to10) {
			kinds = append(kinds, kind{v.Tr("web.heatmap.kind_enps"), stepsENPS})
		}
	}
	classes := [7]string{"hn3", "hn2", "hn1", "h0", "hp1", "hp2", "hp3"}
	signs := [7]string{"−−−", "−−", "−", "±", "+", "++", "+++"}
	var out []legendStep
	for i := range classes {
		var parts []string
		for _, k := range kinds {
			parts = append(parts, v.Tr("web.heatmap.kind_range", "Kind", k.name, "Range", k.steps.ranges(v)[i]))
		}
		out = append(out, legendStep{Class: classes[i], Sign: signs[i], Text: strings.Join(parts, v.Tr("web.heatmap.kind_sep"))})
	}
	note := "web.heatmap.score_note"
	if o.Fav {
		note = "web.heatmap.score_note_fav"
	}
	return out, v.Tr(note)
}
