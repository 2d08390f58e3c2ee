package survey

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/handlers/survey/surveydef"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// maxPageRounds is how many closed rounds the report pages list.
const maxPageRounds = 24

// ReportRounds are the closed rounds whose reports u may read (admins, hr,
// and managers of a department), newest first; none for anyone else.
func (a *Feature) ReportRounds(_ context.Context, u store.User) ([]figures.RoundRef, error) {
	if _, ok := mayReport(u); !ok {
		return nil, nil
	}
	lang := a.Lang(u)
	var out []figures.RoundRef
	err := a.View(func(tx *store.Tx) error {
		surveys, err := tx.Surveys().All()
		if err != nil {
			return err
		}
		ids := []string{surveydef.Engagement().ID}
		for _, s := range surveys {
			if s.ID != ids[0] {
				ids = append(ids, s.ID)
			}
		}
		for _, id := range ids {
			rounds, err := tx.Surveys().Rounds(id)
			if err != nil {
				return err
			}
			for _, r := range rounds {
				if r.Open() {
					continue
				}
				out = append(out, figures.RoundRef{ID: r.ID, SurveyID: r.SurveyID, Period: r.Period,
					Title: handlers.Clean(surveydef.Text(r.Survey.Title).In(lang))})
			}
		}
		return nil
	})
	slices.SortStableFunc(out, func(x, y figures.RoundRef) int {
		if c := strings.Compare(y.Period, x.Period); c != 0 {
			return c
		}
		return strings.Compare(x.SurveyID, y.SurveyID)
	})
	if len(out) > maxPageRounds {
		out = out[:maxPageRounds]
	}
	return out, err
}

// ReportPage is the report of a closed round for u, by department or
// tenure ("" is by department): the same figures as /soudan survey report
// (figuresOf, from the round's release), admins and hr every group, a
// manager the organisation and one of their departments only (by
// department): dept, or the first they manage when dept is "". A refusal
// is a *bot.Error: forbidden, not found, or still open.
func (a *Feature) ReportPage(_ context.Context, u store.User, roundID uint64, by, dept string) (figures.Page, error) {
	manages, ok := mayReport(u)
	if !ok {
		return figures.Page{}, bot.Errorf(bot.CodeForbidden, "survey.error.report_forbidden")
	}
	only := ""
	if by != byTenure {
		by = byDepartment
	}
	var f report
	err := a.View(func(tx *store.Tx) error {
		r, err := tx.Surveys().Round(roundID)
		if errors.Is(err, store.ErrNotFound) {
			return bot.Errorf(bot.CodeNotFound, "survey.error.no_round", "Round", roundID)
		}
		if err != nil {
			return err
		}
		if r.Open() {
			return bot.Errorf(bot.CodeConflict, "survey.error.still_open", "Deadline", r.Deadline.In(a.Config.Location).Format("2006-01-02 15:04"))
		}
		if len(manages) > 0 {
			depts := a.managedDepts(tx, manages)
			if len(depts) == 0 {
				return bot.Errorf(bot.CodeForbidden, "survey.error.report_forbidden")
			}
			by, only = byDepartment, depts[0]
			if dept != "" {
				i := slices.IndexFunc(depts, func(d string) bool { return text.SameName(d, dept) })
				if i < 0 {
					return bot.Errorf(bot.CodeForbidden, "survey.error.report_forbidden")
				}
				only = depts[i]
			}
		}
		f, err = figuresOf(tx, r, by)
		return err
	})
	if err != nil {
		return figures.Page{}, err
	}
	return a.page(u, f, only), nil
}

// page is what of f u may see, named in u's language.
func (a *Feature) page(u store.User, f report, only string) figures.Page {
	lang := a.Lang(u)
	r := f.round
	p := figures.Page{
		RoundID: r.ID, SurveyID: r.SurveyID, Period: r.Period, K: f.res.K, By: f.by, Only: only,
		Title:  handlers.Clean(surveydef.Text(r.Survey.Title).In(lang)),
		Result: figures.Figures{K: f.res.K, Org: f.res.Org},
		Labels: map[string]string{},
	}
	for _, it := range r.Survey.Items {
		if it.Kind != store.ItemScale0to10 && it.Kind != store.ItemScale1to5 && it.Kind != store.ItemChoice {
			continue
		}
		pi := figures.PageItem{ID: it.ID, Kind: it.Kind, Title: handlers.Clean(surveydef.Text(it.Title).In(lang)),
			Short: handlers.Clean(surveydef.Text(it.Short).In(lang))}
		for _, o := range it.Options {
			pi.Options = append(pi.Options, figures.PageOption{ID: o.ID, Title: handlers.Clean(surveydef.Text(o.Title).In(lang))})
		}
		p.Items = append(p.Items, pi)
	}
	var onlyKey *string
	for _, g := range f.res.Groups {
		if only != "" && !text.SameName(g.Key, only) {
			continue
		}
		p.Result.Groups = append(p.Result.Groups, g)
		p.Labels[g.Key] = a.groupLabel(u, f.by, g.Key)
		if only != "" {
			onlyKey = &g.Key
		}
	}
	if f.prev != nil {
		// The previous round as the chat report compares with it (prevGroup).
		p.Prev = &figures.TrendPoint{Period: f.prevPeriod, Org: *prevGroup(f.prev, "", true)}
		if onlyKey != nil {
			p.Prev.Group = prevGroup(f.prev, *onlyKey, false)
		}
	}
	for _, t := range f.trend {
		tp := figures.TrendPoint{Period: t.period, Org: t.org}
		if only == "" {
			// Every group as its round released it: the same figures as
			// that round's own page, so the trend discloses nothing more.
			tp.Groups = t.groups
			for _, g := range t.groups {
				if _, ok := p.Labels[g.Key]; !ok {
					p.Labels[g.Key] = a.groupLabel(u, f.by, g.Key)
				}
			}
		} else {
			for i := range t.groups {
				if text.SameName(t.groups[i].Key, only) {
					g := t.groups[i]
					tp.Group = &g
				}
			}
		}
		p.Trend = append(p.Trend, tp)
	}
	return p
}
