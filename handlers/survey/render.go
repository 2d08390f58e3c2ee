package survey

import (
	"fmt"
	"slices"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/handlers/survey/surveydef"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// groupLabel is how a group of a partition is named to u.
func (a *Feature) groupLabel(u store.User, by, key string) string {
	if key == "" {
		return a.T(u, "survey.group.unset")
	}
	if by == byTenure {
		return a.T(u, "survey.band."+strings.ReplaceAll(key, "+", "plus"))
	}
	return handlers.Clean(key)
}

// signed formats a change or an eNPS with its sign, as every output does
// (handlers.Signed).
func signed(v float64, decimals int) string { return handlers.Signed(v, decimals) }

// itemLines are a group's figures, one line per item, with the change
// against the previous round when both are shown.
func (a *Feature) itemLines(u store.User, s store.Survey, g figures.GroupFigures, prev *figures.GroupFigures) []string {
	lang := a.Lang(u)
	var lines []string
	for _, it := range s.Items {
		f, ok := g.Items[it.ID]
		if !ok {
			continue
		}
		title := handlers.Clean(surveydef.Text(it.Title).In(lang))
		title = handlers.Excerpt(title, 30)
		if !f.Shown {
			lines = append(lines, a.T(u, "survey.report.item_hidden", "Item", title))
			continue
		}
		var p figures.Figure
		if prev != nil {
			p = prev.Items[it.ID]
		}
		switch it.Kind {
		case store.ItemScale0to10:
			change := ""
			if d, ok := figures.Change(figures.Scale0to10, f, p); ok {
				change = a.T(u, "survey.report.change", "Change", signed(d, 0))
			}
			lines = append(lines, a.T(u, "survey.report.enps", "Item", title, "ENPS", signed(f.ENPS, 0),
				"Promoters", pct(f.Promoters), "Passives", pct(f.Passives), "Detractors", pct(f.Detractors),
				"Avg", fmt.Sprintf("%.1f", f.Avg), "Change", change))
		case store.ItemScale1to5:
			change := ""
			if d, ok := figures.Change(figures.Scale1to5, f, p); ok {
				change = a.T(u, "survey.report.change", "Change", signed(d, 2))
			}
			lines = append(lines, a.T(u, "survey.report.scale", "Item", title, "Avg", fmt.Sprintf("%.2f", f.Avg),
				"Favourable", pct(f.Favourable), "Neutral", pct(f.Neutral), "Unfavourable", pct(f.Unfavourable), "Change", change))
		case store.ItemChoice:
			var parts []string
			for _, o := range it.Options {
				parts = append(parts, handlers.Clean(surveydef.Text(o.Title).In(lang))+" "+pct(f.Options[o.ID]))
			}
			lines = append(lines, a.T(u, "survey.report.choice", "Item", title, "Options", strings.Join(parts, " / ")))
		}
	}
	return lines
}

// pct formats a share as a whole percent.
func pct(v float64) string { return fmt.Sprintf("%.0f%%", v) }

// groupField is one group's part of a report: its response rate and
// figures, or that it is too small to show.
func (a *Feature) groupField(u store.User, s store.Survey, label string, g figures.GroupFigures, prev *figures.GroupFigures) bot.Field {
	if !g.Shown {
		return bot.Field{Label: label, Value: a.T(u, "survey.report.too_few")}
	}
	head := a.T(u, "survey.report.responses", "N", g.N, "Invited", g.Invited, "Rate", pct(g.ResponseRate))
	return bot.Field{Label: label, Value: strings.Join(append([]string{head}, a.itemLines(u, s, g, prev)...), "\n")}
}

// prevGroup is the previous round's result for the group with key.
func prevGroup(prev *figures.Figures, key string, org bool) *figures.GroupFigures {
	if prev == nil {
		return nil
	}
	if org {
		return &prev.Org
	}
	for i := range prev.Groups {
		if prev.Groups[i].Key == key {
			return &prev.Groups[i]
		}
	}
	return nil
}

// trendLine is the organisation's eNPS (or first scale item's average)
// over the last rounds.
func (a *Feature) trendLine(u store.User, f report) string {
	if len(f.trend) < 2 {
		return ""
	}
	var item store.SurveyItem
	for _, it := range f.round.Survey.Items {
		if it.Kind == store.ItemScale0to10 || it.Kind == store.ItemScale1to5 {
			item = it
			break
		}
	}
	if item.ID == "" {
		return ""
	}
	var parts []string
	for _, p := range f.trend {
		v := a.T(u, "survey.report.trend_hidden")
		if fig := p.org.Items[item.ID]; fig.Shown {
			v = fmt.Sprintf("%.2f", fig.Avg)
			if item.Kind == store.ItemScale0to10 {
				v = signed(fig.ENPS, 0)
			}
		}
		parts = append(parts, p.period+" "+v)
	}
	return a.T(u, "survey.report.trend", "Item", handlers.Excerpt(surveydef.Text(item.Title).In(a.Lang(u)), 30), "Trend", strings.Join(parts, " → "))
}

// reportReply is a round's report for u: the organisation and, when only
// is empty, every group of the partition; else the organisation and the
// groups only names (a manager's departments, as managedDepts names them).
func (a *Feature) reportReply(u store.User, f report, only []string, notes []string) bot.Reply {
	r := f.round
	title := handlers.Clean(surveydef.Text(r.Survey.Title).In(a.Lang(u)))
	rep := bot.Reply{Title: a.T(u, "survey.report.title", "Survey", title, "Period", r.Period, "K", r.MinGroup)}
	rep.Fields = append(rep.Fields, a.groupField(u, r.Survey, a.T(u, "survey.group.org"), f.res.Org, prevGroup(f.prev, "", true)))
	for _, g := range f.res.Groups {
		if len(only) > 0 && !slices.ContainsFunc(only, func(o string) bool { return text.SameName(g.Key, o) }) {
			continue
		}
		rep.Fields = append(rep.Fields, a.groupField(u, r.Survey, a.groupLabel(u, f.by, g.Key), g, prevGroup(f.prev, g.Key, false)))
	}
	var text []string
	if t := a.trendLine(u, f); t != "" {
		text = append(text, t)
	}
	text = append(text, notes...)
	rep.Text = strings.Join(text, "\n")
	return rep
}
