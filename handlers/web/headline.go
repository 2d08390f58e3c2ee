package web

import (
	"fmt"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/figures"
)

// headline is what a round's page opens with: eNPS, participation and
// the change since the previous round, for the organisation and (for a
// manager) their department; hr and admins (who see every group) also
// get, for every group, the eNPS split, the eNPS over the last rounds and
// the participation over the last rounds. Every number is one of the
// page's figures (figures.Page: each round's release): a hidden one is
// written in words, and no change is computed from a hidden figure
// (figures.Change, as the chat report).
type headline struct {
	Cards []headCard
	// Extras are hr's and admins': Split, ENPSTrend and Participation.
	Extras        bool
	Split         table
	ENPSTrend     table
	Participation table
}

// headCard is the headline of one group.
type headCard struct {
	Name  string
	Stats []stat
}

// stat is one figure of a headline.
type stat struct {
	Label  string
	Value  string
	Hidden bool   // Value says in words that the figure is hidden
	Detail string // respondents / invited
	Change string // the change since the previous round, or why there is none
}

// buildHeadline lays out the headline of p; nps is the survey's eNPS
// item, nil when it has none.
func buildHeadline(v view, p figures.Page, nps *figures.PageItem, too string) headline {
	var h headline
	orgPrev := func() *figures.GroupFigures {
		if p.Prev == nil {
			return nil
		}
		return &p.Prev.Org
	}
	h.Cards = append(h.Cards, headCardOf(v, p, v.Tr("web.org"), p.Result.Org, orgPrev(), nps, too))
	if p.Only != "" {
		for _, g := range p.Result.Groups {
			var prev *figures.GroupFigures
			if p.Prev != nil {
				prev = p.Prev.Group
			}
			h.Cards = append(h.Cards, headCardOf(v, p, label(p, g.Key, v), g, prev, nps, too))
		}
		return h
	}
	h.Extras = true
	by := v.Tr("web.by.department")
	if p.By == "tenure" {
		by = v.Tr("web.by.tenure")
	}
	rows := trendRows(v, p)
	if nps != nil {
		h.Split = table{Caption: v.Tr("web.headline.split", "Item", nps.Label(), "By", by),
			Head: []string{v.Tr("web.group"), v.Tr("web.promoters"), v.Tr("web.passives"), v.Tr("web.detractors")}}
		splitRow := func(name string, g figures.GroupFigures) []cell {
			row := []cell{{Text: name}}
			if f := g.Items[nps.ID]; g.Shown && f.Shown {
				for _, x := range []float64{f.Promoters, f.Passives, f.Detractors} {
					row = append(row, cell{Text: fmt.Sprintf("%.0f%%", x)})
				}
				return row
			}
			for range 3 {
				row = append(row, cell{Text: too, Hidden: true})
			}
			return row
		}
		h.Split.Rows = append(h.Split.Rows, splitRow(v.Tr("web.org"), p.Result.Org))
		for _, g := range p.Result.Groups {
			h.Split.Rows = append(h.Split.Rows, splitRow(label(p, g.Key, v), g))
		}
		h.ENPSTrend = overRounds(v, p, rows, v.Tr("web.headline.enps_trend", "Item", nps.Label(), "By", by), func(g figures.GroupFigures) (string, bool) {
			if f := g.Items[nps.ID]; g.Shown && f.Shown {
				return handlers.Signed(f.ENPS, 0), true
			}
			return too, false
		})
	}
	h.Participation = overRounds(v, p, rows, v.Tr("web.headline.participation_caption", "By", by), func(g figures.GroupFigures) (string, bool) {
		if g.Shown {
			return v.Tr("web.headline.rate_cell", "Rate", fmt.Sprintf("%.0f%%", g.ResponseRate), "N", g.N, "Invited", g.Invited), true
		}
		return too, false
	})
	return h
}

// trendRow is a group of the trend tables: the organisation (org), or a
// group by key.
type trendRow struct {
	name string
	key  string
	org  bool
}

// trendRows are the rows of hr's tables over the rounds: the
// organisation, the groups of this round in the page's order, then any
// group only earlier rounds had (a department since merged or renamed).
func trendRows(v view, p figures.Page) []trendRow {
	rows := []trendRow{{name: v.Tr("web.org"), org: true}}
	seen := map[string]bool{}
	add := func(key string) {
		if !seen[key] {
			seen[key] = true
			rows = append(rows, trendRow{name: label(p, key, v), key: key})
		}
	}
	for _, g := range p.Result.Groups {
		add(g.Key)
	}
	for i := len(p.Trend) - 1; i >= 0; i-- {
		for _, g := range p.Trend[i].Groups {
			add(g.Key)
		}
	}
	return rows
}

// overRounds is a groups × rounds table of one figure of each round's
// release, cell writes it (ok false: hidden, in words); a group a round
// did not have is a dash.
func overRounds(v view, p figures.Page, rows []trendRow, caption string, cellOf func(figures.GroupFigures) (string, bool)) table {
	tb := table{Caption: caption, Head: []string{v.Tr("web.group")}}
	for _, t := range p.Trend {
		tb.Head = append(tb.Head, t.Period)
	}
	// Each round's groups by key: a table of many groups stays linear.
	byKey := make([]map[string]figures.GroupFigures, len(p.Trend))
	for i, t := range p.Trend {
		byKey[i] = make(map[string]figures.GroupFigures, len(t.Groups))
		for _, g := range t.Groups {
			byKey[i][g.Key] = g
		}
	}
	for _, r := range rows {
		row := []cell{{Text: r.name}}
		for i, t := range p.Trend {
			g, ok := t.Org, true
			if !r.org {
				g, ok = byKey[i][r.key]
			}
			if !ok {
				row = append(row, cell{Text: v.Tr("web.none"), Title: v.Tr("web.headline.not_in_round", "Period", t.Period)})
				continue
			}
			text, shown := cellOf(g)
			row = append(row, cell{Text: text, Hidden: !shown})
		}
		tb.Rows = append(tb.Rows, row)
	}
	return tb
}

// headCardOf is the headline of group g, with prev its figures in the
// previous round (nil when there is none to compare with).
func headCardOf(v view, p figures.Page, name string, g figures.GroupFigures, prev *figures.GroupFigures, nps *figures.PageItem, too string) headCard {
	c := headCard{Name: name}
	change := func(d float64, ok bool, text func(float64) string) string {
		switch {
		case p.Prev == nil:
			return v.Tr("web.headline.first")
		case prev == nil:
			// The group was not in the previous round.
			return v.Tr("web.headline.no_prev", "Period", p.Prev.Period)
		case !ok:
			return v.Tr("web.headline.prev_hidden", "Period", p.Prev.Period)
		}
		return text(d)
	}
	if nps != nil {
		s := stat{Label: v.Tr("web.headline.enps"), Value: too, Hidden: true}
		if f := g.Items[nps.ID]; g.Shown && f.Shown {
			s.Value, s.Hidden = handlers.Signed(f.ENPS, 0), false
			var pf figures.Figure
			if prev != nil && prev.Shown {
				pf = prev.Items[nps.ID]
			}
			d, ok := figures.Change(figures.Scale0to10, f, pf)
			s.Change = change(d, ok, func(d float64) string {
				return v.Tr("web.headline.change", "Period", p.Prev.Period, "Change", handlers.Signed(d, 0))
			})
		}
		c.Stats = append(c.Stats, s)
	}
	s := stat{Label: v.Tr("web.headline.participation"), Value: too, Hidden: true}
	if g.Shown {
		s.Value, s.Hidden = fmt.Sprintf("%.0f%%", g.ResponseRate), false
		s.Detail = v.Tr("web.headline.counts", "N", g.N, "Invited", g.Invited)
		var pg figures.GroupFigures
		if prev != nil {
			pg = *prev
		}
		d, ok := figures.RateChange(g, pg)
		s.Change = change(d, ok, func(d float64) string {
			return v.Tr("web.headline.change_pt", "Period", p.Prev.Period, "Change", handlers.Signed(d, 0))
		})
	}
	c.Stats = append(c.Stats, s)
	return c
}
