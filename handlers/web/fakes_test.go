package web

import (
	"context"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
)

// fakeSurveys is one closed round of three departments computed by
// figures.Publish: 総務課 (6 respondents), 人事課 (5) and 会計課 (3, too
// few); a manager sees only their department, as the survey feature does.
type fakeSurveys struct{}

func group(key string, n, enps, five int) figures.Cell {
	g := figures.Cell{Keys: []string{key}, Tally: figures.Tally{Invited: n + 1, N: n, Scores: map[string][]int{"enps": make([]int, 11)}}}
	g.Scores["enps"][enps] = n
	for i, it := range scaleItems {
		g.Scores[it.ID] = make([]int, 11)
		g.Scores[it.ID][1+(five-1+i)%5] = n
	}
	return g
}

// scaleItems are the round's 1-5 items: as many as a real survey has,
// with titles as long as real ones (the charts must show them whole);
// two have short titles, for column heads and legends.
var scaleItems = []figures.PageItem{
	{ID: "growth", Kind: store.ItemScale1to5, Title: "成長"},
	{ID: "manager", Kind: store.ItemScale1to5, Title: "上司は私のキャリアについて定期的に話し合ってくれる", Short: "キャリア面談"},
	{ID: "workload", Kind: store.ItemScale1to5, Title: "My workload is manageable in most weeks of the month", Short: "Workload"},
	{ID: "recognition", Kind: store.ItemScale1to5, Title: "良い仕事をしたときにはきちんと認められていると感じる"},
	{ID: "belonging", Kind: store.ItemScale1to5, Title: "チームの一員だと感じる (I feel I belong here)"},
}

func (fakeSurveys) ReportRounds(_ context.Context, u store.User) ([]figures.RoundRef, error) {
	return []figures.RoundRef{{ID: 7, SurveyID: "engagement", Title: "エンゲージメント調査", Period: "2026-11"}}, nil
}

func (fakeSurveys) ReportPage(_ context.Context, u store.User, round uint64, by, dept string) (figures.Page, error) {
	if fakeRounds[round].period == "" {
		return figures.Page{}, bot.Errorf(bot.CodeNotFound, "survey.error.no_round", "Round", round)
	}
	only := ""
	switch {
	case u.HasRole(store.RoleHR), u.HasRole(store.RoleAdmin):
	case u.HasRole(store.RoleManager):
		only = u.ManagerOf[0]
		if dept != "" {
			only = dept
		}
	default:
		return figures.Page{}, bot.Errorf(bot.CodeForbidden, "survey.error.report_forbidden")
	}
	pitems := []figures.PageItem{{ID: "enps", Kind: store.ItemScale0to10, Title: "職場を薦めたい"}}
	pitems = append(pitems, scaleItems...)
	res := fakeFigures(round)
	if by != "tenure" || only != "" {
		by = "department" // as the survey feature: a manager's page is by department
	}
	p := figures.Page{RoundID: round, Title: "エンゲージメント調査", Period: fakeRounds[round].period, K: res.K, By: by, Only: only,
		Items:  pitems,
		Result: figures.Figures{K: res.K, Org: res.Org}, Labels: map[string]string{}}
	for _, g := range res.Groups {
		if only == "" || g.Key == only {
			p.Result.Groups = append(p.Result.Groups, g)
			p.Labels[g.Key] = g.Key
		}
	}
	point := func(id uint64) figures.TrendPoint {
		r := fakeFigures(id)
		tp := figures.TrendPoint{Period: fakeRounds[id].period, Org: r.Org}
		if only == "" {
			tp.Groups = r.Groups
			for _, g := range r.Groups {
				p.Labels[g.Key] = g.Key
			}
		}
		for i := range r.Groups {
			if only != "" && r.Groups[i].Key == only {
				tp.Group = &r.Groups[i]
			}
		}
		return tp
	}
	for id := uint64(6); id <= round; id++ {
		if fakeRounds[id].period != "" {
			p.Trend = append(p.Trend, point(id))
		}
	}
	if prev := fakeRounds[round].prev; prev != 0 {
		tp := point(prev)
		p.Prev = &tp
	}
	return p, nil
}

// fakeFigures are a fake round's figures by department (figures.Publish,
// k = 4).
func fakeFigures(round uint64) figures.Figures {
	items := []figures.Item{{ID: "enps", Kind: store.ItemScale0to10}}
	for _, it := range scaleItems {
		items = append(items, figures.Item{ID: it.ID, Kind: it.Kind})
	}
	return figures.Publish(items, []string{"department"}, fakeRounds[round].cells, 4).Figures(items, "department")
}

// fakeProgramme has a fixed month.
type fakeProgramme struct{}

func (fakeProgramme) ProgrammeMonth(_ context.Context, month string) (Month, error) {
	return Month{Month: month, Opened: 12, Answered: 10, Resolved: 8, ClosedUnanswered: 1, FirstAnswers: 10,
		FirstAnswerMedian: 90 * time.Minute, FirstAnswerP90: 5 * time.Hour, Rated: 4, RatingSum: 34, RatedGood: 3,
		Topics: []Count{{Name: "キャリア", N: 7}}, Searches: 20, SearchEmpty: 3, At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}, nil
}
