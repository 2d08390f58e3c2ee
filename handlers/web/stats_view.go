package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// statsMonths is how many months the programme page's charts show.
const statsMonths = 6

// Month is the programme's figures of one month, as the statistics
// feature computes them (cmd adapts its report to this).
type Month struct {
	Month                                        string // "2026-11"
	At                                           time.Time
	Opened, Answered, Resolved, ClosedUnanswered int
	AnsweredOfOpened                             int // of Opened, answered within the month
	FirstAnswers                                 int // first answers measured
	FirstAnswerMedian, FirstAnswerP90            time.Duration
	Rated, RatingSum, RatedGood                  int // ratings of 0-10; good is 8 or more
	ActiveMentors                                int
	Topics                                       []Count   // most questions first
	Unanswered                                   []Waiting // oldest first, as of At
	TipsAdded, Searches, SearchEmpty, Deflected  int
	TopSearches, EmptySearches                   []Count // the month's queries: most searched, and found nothing
	Surveys                                      []Rate
	SurveysMissing                               bool // the survey rates could not be read
}

// Count is a name and a number.
type Count struct {
	Name string
	N    int
}

// Waiting is a question with no answer yet (never who asked it).
type Waiting struct {
	ID       uint64
	Topic    string
	Since    time.Time
	Business time.Duration
}

// Rate is a survey round's response rate.
type Rate struct {
	Name            string
	Sent, Responded int
	Hidden          bool // too few answered to show any count
}

// statsView is the programme page.
type statsView struct {
	Month      string
	Prev, Next string
	Charts     []chart
	Topics     table
	Unanswered table
	Knowledge  table
	Searched   table // the month's most searched queries
	NotFound   table // the month's queries that found nothing
	Surveys    table
	HasSurveys bool
}

// validMonth reports whether a page of month s exists by parseMonth.
func validMonth(s string, loc *time.Location) bool {
	_, ok := parseMonth(s, loc)
	return ok
}

// parseMonth reads a page's month, "2006-01", by the rule of
// handlers.ParseMonth (so /report/stats/1900-01 is refused as /soudan
// stats 1900-01 is).
func parseMonth(s string, loc *time.Location) (time.Time, bool) {
	m, ok := handlers.ParseMonth(s)
	if !ok || m != s {
		return time.Time{}, false // the page's address is its canonical month
	}
	t, err := time.ParseInLocation(handlers.MonthLayout, m, loc)
	return t, err == nil
}

// statsPage answers /report/stats/{month}: admins only.
func (a *Feature) statsPage(w http.ResponseWriter, r *http.Request, u store.User) {
	lang := a.Lang(u)
	if !u.HasRole(store.RoleAdmin) {
		a.refuse(w, r, lang, "web.refused.admins_only")
		return
	}
	if a.opt.Programme == nil {
		a.refuseStatus(w, r, lang, http.StatusNotFound, "web.refused.not_found")
		return
	}
	loc := a.Config.Location
	month, ok := parseMonth(r.PathValue("month"), loc)
	now := a.Now().In(loc)
	current := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	if !ok || month.After(current) {
		a.refuseStatus(w, r, lang, http.StatusNotFound, "web.refused.bad_month")
		return
	}
	var months []Month
	for i := statsMonths - 1; i >= 0; i-- {
		m, err := a.opt.Programme.ProgrammeMonth(r.Context(), month.AddDate(0, -i, 0).Format("2006-01"))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		months = append(months, m)
	}
	v := a.viewFor(u, "", nil)
	sv := buildStats(v, months)
	if prev := month.AddDate(0, -1, 0).Format("2006-01"); validMonth(prev, loc) {
		sv.Prev = prev
	}
	if month.Before(current) {
		sv.Next = month.AddDate(0, 1, 0).Format("2006-01")
	}
	v.Title, v.Page = v.Tr("web.stats.title", "Month", sv.Month), sv
	a.render(w, r, http.StatusOK, "stats", v)
}

// buildStats lays out the programme page: charts over months (the last
// is the page's month) and that month's lists.
func buildStats(v view, months []Month) statsView {
	last := months[len(months)-1]
	sv := statsView{Month: last.Month}
	none := v.Tr("web.none")
	var cats []string
	for _, m := range months {
		cats = append(cats, m.Month)
	}
	col := func(f func(Month) float64) []float64 {
		out := make([]float64, len(months))
		for i, m := range months {
			out[i] = f(m)
		}
		return out
	}
	numbers := func(title string, ss []series, fmtv func(float64) string, extra ...string) table {
		tb := table{Caption: title, Head: append([]string{v.Tr("web.month")}, extra...)}
		for _, s := range ss {
			tb.Head = append(tb.Head, s.Name)
		}
		for i, c := range cats {
			row := []cell{{Text: c}}
			for _, s := range ss {
				if math.IsNaN(s.Values[i]) {
					row = append(row, cell{Text: none})
				} else {
					row = append(row, cell{Text: fmtv(s.Values[i])})
				}
			}
			tb.Rows = append(tb.Rows, row)
		}
		return tb
	}
	ints := func(x float64) string { return strconv.Itoa(int(x)) }
	counts := []series{
		{Name: v.Tr("web.stats.opened"), Values: col(func(m Month) float64 { return float64(m.Opened) })},
		{Name: v.Tr("web.stats.answered"), Values: col(func(m Month) float64 { return float64(m.Answered) })},
		{Name: v.Tr("web.stats.resolved"), Values: col(func(m Month) float64 { return float64(m.Resolved) })},
		{Name: v.Tr("web.stats.closed_unanswered"), Values: col(func(m Month) float64 { return float64(m.ClosedUnanswered) })},
	}
	title := v.Tr("web.stats.consultations")
	sv.Charts = append(sv.Charts, chart{SVG: groupedBars(title, cats, counts), Table: numbers(title, counts, ints)})
	hours := func(d time.Duration) float64 { return math.Round(d.Hours()*10) / 10 }
	waits := []series{
		{Name: v.Tr("web.stats.median"), Values: col(func(m Month) float64 { return nanIf(m.FirstAnswers > 0, hours(m.FirstAnswerMedian)) })},
		{Name: v.Tr("web.stats.p90"), Values: col(func(m Month) float64 { return nanIf(m.FirstAnswers > 0, hours(m.FirstAnswerP90)) })},
	}
	hi := 1.0
	for _, s := range waits {
		for _, x := range s.Values {
			if !math.IsNaN(x) {
				hi = max(hi, x)
			}
		}
	}
	title = v.Tr("web.stats.first_answer")
	sv.Charts = append(sv.Charts, chart{SVG: lineChart(title, cats, waits, 0, math.Ceil(hi), none), Table: numbers(title, waits, func(x float64) string { return v.Tr("web.hours", "Hours", fmt.Sprintf("%.1f", x)) })})
	sat := []series{
		{Name: v.Tr("web.stats.rating_avg"), Values: col(func(m Month) float64 {
			return nanIf(m.Rated > 0, float64(m.RatingSum)/float64(max(m.Rated, 1)))
		})},
	}
	good := series{Name: v.Tr("web.stats.rating_good"), Values: col(func(m Month) float64 {
		return nanIf(m.Rated > 0, 100*float64(m.RatedGood)/float64(max(m.Rated, 1)))
	})}
	title = v.Tr("web.stats.satisfaction")
	tb := numbers(title, append(sat, good), func(x float64) string { return fmt.Sprintf("%.1f", x) })
	for i, m := range months {
		tb.Rows[i] = append(tb.Rows[i], cell{Text: strconv.Itoa(m.Rated)})
	}
	tb.Head = append(tb.Head, v.Tr("web.stats.ratings"))
	sv.Charts = append(sv.Charts, chart{SVG: lineChart(title, cats, sat, 0, 10, none), Table: tb})

	sv.Topics = table{Caption: v.Tr("web.stats.topics", "Month", last.Month), Head: []string{v.Tr("web.stats.topic"), v.Tr("web.stats.questions")}}
	for _, t := range last.Topics {
		sv.Topics.Rows = append(sv.Topics.Rows, []cell{{Text: orNone(t.Name, none)}, {Text: strconv.Itoa(t.N)}})
	}
	sv.Unanswered = table{Caption: v.Tr("web.stats.unanswered", "At", last.At.Format("2006-01-02 15:04")), Head: []string{"#", v.Tr("web.stats.topic"), v.Tr("web.stats.since"), v.Tr("web.stats.waited")}}
	for _, w := range last.Unanswered {
		sv.Unanswered.Rows = append(sv.Unanswered.Rows, []cell{{Text: "#" + strconv.FormatUint(w.ID, 10)}, {Text: orNone(w.Topic, none)},
			{Text: w.Since.In(last.At.Location()).Format("2006-01-02")}, {Text: v.Tr("web.hours", "Hours", fmt.Sprintf("%.1f", w.Business.Hours()))}})
	}
	sv.Knowledge = table{Caption: v.Tr("web.stats.knowledge"), Head: []string{v.Tr("web.month"), v.Tr("web.stats.tips_added"), v.Tr("web.stats.searches"), v.Tr("web.stats.search_empty"), v.Tr("web.stats.deflected")}}
	for _, m := range months {
		sv.Knowledge.Rows = append(sv.Knowledge.Rows, []cell{{Text: m.Month}, {Text: strconv.Itoa(m.TipsAdded)}, {Text: strconv.Itoa(m.Searches)}, {Text: strconv.Itoa(m.SearchEmpty)}, {Text: strconv.Itoa(m.Deflected)}})
	}
	sv.Searched = table{Caption: v.Tr("web.stats.top_searches", "Month", last.Month), Head: []string{v.Tr("web.stats.query"), v.Tr("web.stats.times")}}
	for _, c := range last.TopSearches {
		sv.Searched.Rows = append(sv.Searched.Rows, []cell{{Text: c.Name}, {Text: strconv.Itoa(c.N)}})
	}
	sv.NotFound = table{Caption: v.Tr("web.stats.empty_searches", "Month", last.Month), Head: []string{v.Tr("web.stats.query"), v.Tr("web.stats.times")}}
	for _, c := range last.EmptySearches {
		sv.NotFound.Rows = append(sv.NotFound.Rows, []cell{{Text: c.Name}, {Text: strconv.Itoa(c.N)}})
	}
	sv.Surveys = table{Caption: v.Tr("web.stats.surveys", "Month", last.Month), Head: []string{v.Tr("web.stats.survey"), v.Tr("web.respondents"), v.Tr("web.invited"), v.Tr("web.rate")}}
	sv.HasSurveys = last.Surveys != nil || last.SurveysMissing
	for _, s := range last.Surveys {
		if s.Hidden {
			too := v.Tr("web.too_few")
			sv.Surveys.Rows = append(sv.Surveys.Rows, []cell{{Text: s.Name}, {Text: too, Hidden: true}, {Text: too, Hidden: true}, {Text: too, Hidden: true}})
			continue
		}
		rate := none
		if s.Sent > 0 {
			rate = fmt.Sprintf("%.0f%%", 100*float64(s.Responded)/float64(s.Sent))
		}
		sv.Surveys.Rows = append(sv.Surveys.Rows, []cell{{Text: s.Name}, {Text: strconv.Itoa(s.Responded)}, {Text: strconv.Itoa(s.Sent)}, {Text: rate}})
	}
	return sv
}

// orNone is s, or none when empty (a removed topic).
func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}
