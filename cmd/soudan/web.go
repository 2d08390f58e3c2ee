package main

import (
	"context"
	"net"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers/stats"
	"github.com/soudan/soudan/handlers/web"
	"github.com/soudan/soudan/store"
)

// reportBase is where the report pages' links point: -report-url, else
// http:// and the address -listen is bound to (a wildcard host read as
// localhost); "" when nothing listens.
func (m *Main) reportBase() string {
	if m.Config.ReportURL != "" {
		return m.Config.ReportURL
	}
	addr := m.ListenAddr()
	if addr == nil {
		return ""
	}
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// programme gives the report pages the statistics of a month.
type programme struct {
	s   *stats.Feature
	now func() time.Time
}

func (p programme) ProgrammeMonth(ctx context.Context, month string) (web.Month, error) {
	r, err := p.s.Build(ctx, month, p.now())
	if err != nil {
		return web.Month{}, err
	}
	out := web.Month{
		Month: r.Month, At: r.At.In(r.From.Location()),
		Opened: r.Opened, Answered: r.Answered, Resolved: r.Resolved, ClosedUnanswered: r.ClosedUnanswered, AnsweredOfOpened: r.AnsweredOfOpened,
		FirstAnswers: r.FirstAnswer.Count, FirstAnswerMedian: r.FirstAnswer.Median, FirstAnswerP90: r.FirstAnswer.P90,
		Rated: r.Rated, RatingSum: r.RatingSum, RatedGood: r.RatedGood, ActiveMentors: r.ActiveMentors,
		TipsAdded: r.Knowledge.TipsAdded, Searches: r.Knowledge.Searches, SearchEmpty: r.Knowledge.SearchEmpty, Deflected: r.Knowledge.Deflected,
		SurveysMissing: r.SurveysErr != nil,
	}
	for _, t := range r.Topics {
		out.Topics = append(out.Topics, web.Count{Name: t.Name, N: t.Opened})
	}
	for _, t := range r.Knowledge.TopSearches {
		out.TopSearches = append(out.TopSearches, web.Count{Name: t.Query, N: t.Searches})
	}
	for _, t := range r.Knowledge.EmptySearches {
		out.EmptySearches = append(out.EmptySearches, web.Count{Name: t.Query, N: t.Empty})
	}
	for _, w := range r.Unanswered {
		out.Unanswered = append(out.Unanswered, web.Waiting{ID: w.ID, Topic: w.Topic, Since: w.Since, Business: w.Business})
	}
	if r.Surveys != nil {
		out.Surveys = []web.Rate{}
	}
	for _, s := range r.Surveys {
		out.Surveys = append(out.Surveys, web.Rate{Name: s.Name, Sent: s.Sent, Responded: s.Responded, Hidden: s.Hidden})
	}
	return out, nil
}

// reportLinks makes the buttons of the monthly messages: a signed link to
// the recipient's page. The pages are built after the features that send
// those messages, so pages is set once they are.
type reportLinks struct{ pages *web.Feature }

// SurveyButton is a button to a survey round's page for u.
func (l *reportLinks) SurveyButton(u store.User, round uint64) (bot.Button, bool) {
	if l.pages == nil {
		return bot.Button{}, false
	}
	return l.pages.Button(u, web.SurveyPath(round))
}

// StatsButton is a button to the programme page of month for u.
func (l *reportLinks) StatsButton(u store.User, month string) (bot.Button, bool) {
	if l.pages == nil {
		return bot.Button{}, false
	}
	return l.pages.Button(u, web.StatsPath(month))
}
