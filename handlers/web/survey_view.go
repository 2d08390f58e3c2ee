package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
	storetext "github.com/soudan/soudan/store/text"
)

// surveyView is a survey round's page.
type surveyView struct {
	P        figures.Page
	Heading  string
	Scope    string // who this page shows: everything allowed, or a department
	Headline headline
	ByLinks  []link
	Rates    table
	Trends   []chart
	Dists    []chart
	Heatmap  heatmapView
	Choices  []table
	HasItems bool
}

// link is a link in a page.
type link struct {
	Href, Text string
	Current    bool
}

// surveyPage answers /report/survey/{id}[?by=tenure][?dept=NAME]: dept
// chooses among the departments of a manager of several.
func (a *Feature) surveyPage(w http.ResponseWriter, r *http.Request, u store.User) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil || a.opt.Surveys == nil {
		a.refuseStatus(w, r, a.Lang(u), http.StatusNotFound, "web.refused.not_found")
		return
	}
	by := "department"
	if r.URL.Query().Get("by") == "tenure" {
		by = "tenure"
	}
	p, err := a.opt.Surveys.ReportPage(r.Context(), u, id, by, r.URL.Query().Get("dept"))
	if err != nil {
		a.refuseError(w, r, u, err)
		return
	}
	var depts []string
	if p.Only != "" && len(u.ManagerOf) > 1 {
		// A manager of several departments sees one at a time.
		for _, d := range u.ManagerOf {
			if dep, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Department, error) { return tx.Departments().ByName(d) }); err == nil {
				d = dep.Name // the canonical name, as the page names its group
			}
			depts = append(depts, d)
		}
	}
	v := a.viewFor(u, "", nil)
	sv := buildSurvey(v, p, r.URL.Query(), depts)
	v.Title, v.Page, v.K = sv.Heading, sv, p.K
	a.render(w, r, http.StatusOK, "survey", v)
}

// buildSurvey lays out a round's page from its figures: nothing is
// computed here that figures.Publish did not decide to show. q is the
// page's query (the heatmap's choices); depts, for a manager of several
// departments, are the departments to link to, one page each.
func buildSurvey(v view, p figures.Page, q url.Values, depts []string) surveyView {
	sv := surveyView{P: p, Heading: v.Tr("web.survey.title", "Survey", p.Title, "Period", p.Period)}
	too := v.Tr("web.too_few")
	var nps *figures.PageItem
	var scales []figures.PageItem
	for i, it := range p.Items {
		switch it.Kind {
		case store.ItemScale0to10:
			if nps == nil {
				nps = &p.Items[i]
			}
		case store.ItemScale1to5:
			scales = append(scales, it)
		case store.ItemChoice:
			sv.Choices = append(sv.Choices, choiceTable(v, p, it, too))
		}
	}
	var heatItems []figures.PageItem
	if nps != nil {
		heatItems = append(heatItems, *nps)
	}
	o := heatOptsOf(q, append(heatItems, scales...))
	// Links to the page's other views keep the heatmap's choices, and
	// the heatmap's links keep the view.
	href := func(keep url.Values) string {
		if q := o.query(keep); len(q) > 0 {
			return SurveyPath(p.RoundID) + "?" + q.Encode()
		}
		return SurveyPath(p.RoundID)
	}
	keep := url.Values{}
	sv.Scope = v.Tr("web.scope.all", "K", p.K)
	if p.Only != "" {
		sv.Scope = v.Tr("web.scope.department", "Department", label(p, p.Only, v), "K", p.K)
		for _, d := range depts {
			sv.ByLinks = append(sv.ByLinks, link{Href: href(url.Values{"dept": {d}}), Text: d, Current: storetext.SameName(d, p.Only)})
		}
		if len(depts) > 1 {
			keep.Set("dept", p.Only)
		}
	} else {
		sv.ByLinks = []link{
			{Href: href(url.Values{}), Text: v.Tr("web.by.department"), Current: p.By != "tenure"},
			{Href: href(url.Values{"by": {"tenure"}}), Text: v.Tr("web.by.tenure"), Current: p.By == "tenure"},
		}
		if p.By == "tenure" {
			keep.Set("by", "tenure")
		}
	}
	org := v.Tr("web.org")
	// Response rates.
	sv.Rates = table{Caption: v.Tr("web.rates.caption"), Head: []string{v.Tr("web.group"), v.Tr("web.respondents"), v.Tr("web.invited"), v.Tr("web.rate")}}
	rateRow := func(name string, g figures.GroupFigures) []cell {
		if !g.Shown {
			return []cell{{Text: name}, {Text: too, Hidden: true}, {Text: too, Hidden: true}, {Text: too, Hidden: true}}
		}
		return []cell{{Text: name}, {Text: strconv.Itoa(g.N)}, {Text: strconv.Itoa(g.Invited)}, {Text: fmt.Sprintf("%.0f%%", g.ResponseRate)}}
	}
	sv.Rates.Rows = append(sv.Rates.Rows, rateRow(org, p.Result.Org))
	for _, g := range p.Result.Groups {
		sv.Rates.Rows = append(sv.Rates.Rows, rateRow(label(p, g.Key, v), g))
	}
	sv.HasItems = nps != nil || len(scales) > 0
	sv.Headline = buildHeadline(v, p, nps, too)
	sv.Trends = trendCharts(v, p, nps, scales, too)
	sv.Dists = distCharts(v, p, nps, scales, too)
	sv.Heatmap = heatmap(v, p, nps, scales, too, o, keep)
	return sv
}

// label names group key of the page.
func label(p figures.Page, key string, v view) string {
	if l, ok := p.Labels[key]; ok {
		return l
	}
	if key == "" {
		return v.Tr("web.unset")
	}
	return key
}

// value is the figure a trend or heatmap shows of an item: eNPS of a 0-10
// item, the average of a 1-5 one; ok is false when not shown.
func value(it figures.PageItem, g figures.GroupFigures) (float64, bool) {
	f, ok := g.Items[it.ID]
	if !ok || !f.Shown || !g.Shown {
		return 0, false
	}
	if it.Kind == store.ItemScale0to10 {
		return f.ENPS, true
	}
	return f.Avg, true
}

// format writes a figure of it.
func format(it figures.PageItem, x float64) string {
	if it.Kind == store.ItemScale0to10 {
		return handlers.Signed(x, 0)
	}
	return fmt.Sprintf("%.2f", x)
}

// trendCharts are the eNPS and the 1-5 items over the last rounds: the
// organisation, and a manager's department beside it.
func trendCharts(v view, p figures.Page, nps *figures.PageItem, scales []figures.PageItem, too string) []chart {
	var periods []string
	for _, t := range p.Trend {
		periods = append(periods, t.Period)
	}
	org := v.Tr("web.org")
	mk := func(title string, ss []series, ticks []float64, tickText func(float64) string, it func(int) figures.PageItem) chart {
		tb := table{Caption: title, Head: []string{v.Tr("web.round")}}
		for _, s := range ss {
			tb.Head = append(tb.Head, s.Name)
		}
		for i, per := range periods {
			row := []cell{{Text: per}}
			for si, s := range ss {
				if math.IsNaN(s.Values[i]) {
					row = append(row, cell{Text: too, Hidden: true})
				} else {
					row = append(row, cell{Text: format(it(si), s.Values[i])})
				}
			}
			tb.Rows = append(tb.Rows, row)
		}
		return chart{SVG: lineChartTicks(title, periods, ss, ticks, tickText, too), Table: tb}
	}
	line := func(name string, it figures.PageItem, pick func(figures.TrendPoint) *figures.GroupFigures) series {
		s := series{Name: name, Format: func(x float64) string { return format(it, x) }}
		for _, t := range p.Trend {
			x, ok := math.NaN(), false
			if g := pick(t); g != nil {
				x, ok = value(it, *g)
			}
			s.Values = append(s.Values, nanIf(ok, x))
		}
		return s
	}
	orgOf := func(t figures.TrendPoint) *figures.GroupFigures { return &t.Org }
	groupOf := func(t figures.TrendPoint) *figures.GroupFigures { return t.Group }
	var out []chart
	if nps != nil {
		ss := []series{line(org, *nps, orgOf)}
		if p.Only != "" {
			ss = append(ss, line(label(p, p.Only, v), *nps, groupOf))
		}
		out = append(out, mk(v.Tr("web.trend.enps", "Item", nps.Label()), ss, []float64{-100, 0, 100}, trimNum, func(int) figures.PageItem { return *nps }))
	}
	if len(scales) > 0 {
		scopes := []struct {
			name string
			pick func(figures.TrendPoint) *figures.GroupFigures
		}{{org, orgOf}}
		if p.Only != "" {
			scopes = append(scopes, struct {
				name string
				pick func(figures.TrendPoint) *figures.GroupFigures
			}{label(p, p.Only, v), groupOf})
		}
		for _, sc := range scopes {
			var ss []series
			for _, it := range scales {
				ss = append(ss, line(it.Label(), it, sc.pick))
			}
			// The axis fits the averages (zoom says why), and the page
			// says so: a line that looks steep may be a tenth of a point.
			ticks := zoom(ss)
			c := mk(v.Tr("web.trend.items", "Group", sc.name), ss, ticks, func(x float64) string { return fmt.Sprintf("%.1f", x) }, func(i int) figures.PageItem { return scales[i] })
			if lo, hi := ticks[0], ticks[len(ticks)-1]; lo > 1 || hi < 5 {
				c.Note = v.Tr("web.trend.zoomed", "Low", fmt.Sprintf("%.1f", lo), "High", fmt.Sprintf("%.1f", hi))
			}
			out = append(out, c)
		}
	}
	return out
}

// distCharts are the distributions of this round's answers: 1-5 items as
// unfavourable / neutral / favourable, the 0-10 item as detractors /
// passives / promoters; the organisation, and a manager's department.
func distCharts(v view, p figures.Page, nps *figures.PageItem, scales []figures.PageItem, too string) []chart {
	groups := []struct {
		name string
		g    figures.GroupFigures
	}{{v.Tr("web.org"), p.Result.Org}}
	if p.Only != "" {
		for _, g := range p.Result.Groups {
			groups = append(groups, struct {
				name string
				g    figures.GroupFigures
			}{label(p, g.Key, v), g})
		}
	}
	mk := func(title string, names [3]string, items []figures.PageItem, parts func(figures.Figure) [3]float64) chart {
		var rows []barRow
		tb := table{Caption: title, Head: []string{v.Tr("web.item"), v.Tr("web.group"), names[0], names[1], names[2], v.Tr("web.answers")}}
		for _, it := range items {
			for _, gr := range groups {
				name := it.Label()
				if len(groups) > 1 {
					name += " — " + gr.name
				}
				f := gr.g.Items[it.ID]
				if !f.Shown || !gr.g.Shown {
					rows = append(rows, barRow{Label: name, Hidden: true})
					tb.Rows = append(tb.Rows, []cell{{Text: it.Title}, {Text: gr.name}, {Text: too, Hidden: true}, {Text: too, Hidden: true}, {Text: too, Hidden: true}, {Text: too, Hidden: true}})
					continue
				}
				ps := parts(f)
				rows = append(rows, barRow{Label: name, Parts: ps})
				tb.Rows = append(tb.Rows, []cell{{Text: it.Title}, {Text: gr.name},
					{Text: fmt.Sprintf("%.0f%%", ps[0])}, {Text: fmt.Sprintf("%.0f%%", ps[1])}, {Text: fmt.Sprintf("%.0f%%", ps[2])}, {Text: strconv.Itoa(f.N)}})
			}
		}
		return chart{SVG: stackedBars(title, rows, names, too), Table: tb}
	}
	var out []chart
	if len(scales) > 0 {
		names := [3]string{v.Tr("web.unfavourable"), v.Tr("web.neutral"), v.Tr("web.favourable")}
		out = append(out, mk(v.Tr("web.dist.items"), names, scales, func(f figures.Figure) [3]float64 { return [3]float64{f.Unfavourable, f.Neutral, f.Favourable} }))
	}
	if nps != nil {
		names := [3]string{v.Tr("web.detractors"), v.Tr("web.passives"), v.Tr("web.promoters")}
		out = append(out, mk(v.Tr("web.dist.enps", "Item", nps.Label()), names, []figures.PageItem{*nps}, func(f figures.Figure) [3]float64 { return [3]float64{f.Detractors, f.Passives, f.Promoters} }))
	}
	return out
}

// choiceTable is a choice item's shares of each option in the
// organisation.
func choiceTable(v view, p figures.Page, it figures.PageItem, too string) table {
	tb := table{Caption: it.Title, Head: []string{v.Tr("web.option"), v.Tr("web.share")}}
	f := p.Result.Org.Items[it.ID]
	for _, o := range it.Options {
		c := cell{Text: too, Hidden: true}
		if f.Shown && p.Result.Org.Shown {
			c = cell{Text: fmt.Sprintf("%.0f%%", f.Options[o.ID])}
		}
		tb.Rows = append(tb.Rows, []cell{{Text: o.Title}, c})
	}
	return tb
}
