package web

import (
	"fmt"
	"strconv"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/figures"
)

// headline is what a round's page opens with: eNPS, participation and
// the change since the previous round, for the organisation and (for a
// manager) their department; hr and admins (who see every group) also
// get the organisation's eNPS split and its participation over the last
// rounds. Every number is one of the page's figures (figures.Page, the
// round's release): a hidden one is written in words, and no change is
// computed from a hidden figure (figures.Change, as the chat report).
type headline struct {
	Cards []headCard
	// Extras are hr's and admins': Split and Participation.
	Extras        bool
	Split         table
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
	org := p.Result.Org
	if nps != nil {
		h.Split = table{Caption: v.Tr("web.headline.split", "Item", nps.Title),
			Head: []string{v.Tr("web.group"), v.Tr("web.promoters"), v.Tr("web.passives"), v.Tr("web.detractors")}}
		f := org.Items[nps.ID]
		row := []cell{{Text: v.Tr("web.org")}}
		if org.Shown && f.Shown {
			for _, x := range []float64{f.Promoters, f.Passives, f.Detractors} {
				row = append(row, cell{Text: fmt.Sprintf("%.0f%%", x)})
			}
		} else {
			for range 3 {
				row = append(row, cell{Text: too, Hidden: true})
			}
		}
		h.Split.Rows = append(h.Split.Rows, row)
	}
	h.Participation = table{Caption: v.Tr("web.headline.participation_caption"),
		Head: []string{v.Tr("web.round"), v.Tr("web.respondents"), v.Tr("web.invited"), v.Tr("web.rate")}}
	for _, t := range p.Trend {
		row := []cell{{Text: t.Period}}
		if t.Org.Shown {
			row = append(row, cell{Text: strconv.Itoa(t.Org.N)}, cell{Text: strconv.Itoa(t.Org.Invited)}, cell{Text: fmt.Sprintf("%.0f%%", t.Org.ResponseRate)})
		} else {
			row = append(row, cell{Text: too, Hidden: true}, cell{Text: too, Hidden: true}, cell{Text: too, Hidden: true})
		}
		h.Participation.Rows = append(h.Participation.Rows, row)
	}
	return h
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
