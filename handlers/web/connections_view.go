package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// connQuarters is how many quarters the connections page's trend shows.
const connQuarters = 4

// Connections gives the connections pages; cmd adapts the connections
// feature to it.
type Connections interface {
	// ConnectionsQuarter is quarter q's ("2026-Q4") figures as u may see
	// them, decided by the k rule over every department at once; a
	// refusal (u may see none) is a *bot.Error.
	ConnectionsQuarter(ctx context.Context, u store.User, q string) (ConnQuarter, error)
}

// ConnQuarter is a quarter's connections: the organisation and the
// departments the viewer may read.
type ConnQuarter struct {
	Quarter, From, To string
	K                 int
	Org               ConnRow
	Departments       []ConnRow
}

// ConnRow is one group's connections; a row not Shown has only a Name.
type ConnRow struct {
	Name                   string
	Shown                  bool
	People, Active         int
	OneOnOnes, Groups, Met int
	// MentorsShown: the mentor figures passed their own k rule.
	MentorsShown       bool
	NewHires, Mentored int
}

// quarterPathRE is a connections page's quarter, canonical only.
var quarterPathRE = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)

// parseQuarter reads "2026-Q4" as the quarter's first day in loc.
func parseQuarter(s string, loc *time.Location) (time.Time, bool) {
	m := quarterPathRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	n, _ := strconv.Atoi(m[2])
	if y < 2000 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(3*(n-1)+1), 1, 0, 0, 0, 0, loc), true
}

// validQuarter reports whether a page of quarter s exists by
// parseQuarter.
func validQuarter(s string, loc *time.Location) bool {
	_, ok := parseQuarter(s, loc)
	return ok
}

// quarterName is the quarter of t, "2026-Q4".
func quarterName(t time.Time) string { return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1) }

// ConnectionsPath is the connections page of a quarter ("2026-Q4").
func ConnectionsPath(q string) string { return pathConnections + q }

// connView is the connections page.
type connView struct {
	Quarter, From, To string
	Prev, Next        string
	K                 int
	Charts            []chart
	Table             table // by department, when no department is drawn
	Coverage          table
}

// connectionsPage answers /report/connections/{quarter}: admins and hr
// see every department, a manager theirs; the feature decides.
func (a *Feature) connectionsPage(w http.ResponseWriter, r *http.Request, u store.User) {
	lang := a.Lang(u)
	if a.opt.Connections == nil {
		a.refuseStatus(w, r, lang, http.StatusNotFound, "web.refused.not_found")
		return
	}
	loc := a.Config.Location
	start, ok := parseQuarter(r.PathValue("quarter"), loc)
	now := a.Now().In(loc)
	if !ok || start.After(now) {
		a.refuseStatus(w, r, lang, http.StatusNotFound, "web.refused.bad_quarter")
		return
	}
	var qs []ConnQuarter
	for i := connQuarters - 1; i >= 0; i-- {
		q, err := a.opt.Connections.ConnectionsQuarter(r.Context(), u, quarterName(start.AddDate(0, -3*i, 0)))
		if err != nil {
			a.refuseError(w, r, u, err)
			return
		}
		qs = append(qs, q)
	}
	v := a.viewFor(u, "", nil)
	cv := buildConnections(v, qs)
	if prev := quarterName(start.AddDate(0, -3, 0)); validQuarter(prev, loc) {
		cv.Prev = prev
	}
	if next := start.AddDate(0, 3, 0); !next.After(now) {
		cv.Next = quarterName(next)
	}
	v.Title, v.Page, v.K = v.Tr("web.conn.title", "Quarter", cv.Quarter), cv, cv.K
	a.render(w, r, http.StatusOK, "connections", v)
}

// buildConnections lays out the page: the organisation's trend over the
// quarters (the last is the page's), the page's quarter by department
// (a hidden department in words, never a number), and mentor coverage.
func buildConnections(v view, qs []ConnQuarter) connView {
	last := qs[len(qs)-1]
	cv := connView{Quarter: last.Quarter, From: last.From, To: last.To, K: last.K}
	none, too := v.Tr("web.none"), v.Tr("web.conn.too_few")
	var cats []string
	for _, q := range qs {
		cats = append(cats, q.Quarter)
	}
	col := func(f func(ConnRow) int) []float64 {
		out := make([]float64, len(qs))
		for i, q := range qs {
			out[i] = nanIf(q.Org.Shown, float64(f(q.Org)))
		}
		return out
	}
	trend := []series{
		{Name: v.Tr("web.conn.oneonones"), Values: col(func(r ConnRow) int { return r.OneOnOnes })},
		{Name: v.Tr("web.conn.groups"), Values: col(func(r ConnRow) int { return r.Groups })},
		{Name: v.Tr("web.conn.met"), Values: col(func(r ConnRow) int { return r.Met })},
	}
	title := v.Tr("web.conn.trend")
	tb := table{Caption: title, Head: []string{v.Tr("web.conn.quarter")}}
	for _, s := range trend {
		tb.Head = append(tb.Head, s.Name)
	}
	for i, c := range cats {
		row := []cell{{Text: c}}
		for _, s := range trend {
			row = append(row, numberCell(s.Values[i], too))
		}
		tb.Rows = append(tb.Rows, row)
	}
	// A quarter whose organisation is hidden draws no bar (NaN); its
	// table row says why in words.
	cv.Charts = append(cv.Charts, chart{SVG: groupedBars(title, cats, trend), Table: tb})

	rows := append([]ConnRow{last.Org}, last.Departments...)
	rows[0].Name = v.Tr("web.conn.org")
	var depts []string
	byDept := make([]series, 3)
	for i, s := range trend {
		byDept[i].Name = s.Name
	}
	cv.Table = table{Caption: v.Tr("web.conn.by_department", "Quarter", last.Quarter), Head: []string{v.Tr("web.conn.department"),
		v.Tr("web.conn.oneonones"), v.Tr("web.conn.groups"), v.Tr("web.conn.met"), v.Tr("web.conn.active"), v.Tr("web.conn.people")}}
	cv.Coverage = table{Caption: v.Tr("web.conn.coverage", "Quarter", last.Quarter), Head: []string{v.Tr("web.conn.department"),
		v.Tr("web.conn.mentored"), v.Tr("web.conn.new_hires"), v.Tr("web.conn.share")}}
	for i, r := range rows {
		if !r.Shown {
			h := cell{Text: too, Hidden: true, Title: v.Tr("web.too_few_title", "K", last.K)}
			cv.Table.Rows = append(cv.Table.Rows, []cell{{Text: r.Name}, h, h, h, h, h})
			cv.Coverage.Rows = append(cv.Coverage.Rows, []cell{{Text: r.Name}, h, h, h})
			continue
		}
		cv.Table.Rows = append(cv.Table.Rows, []cell{{Text: r.Name}, {Text: strconv.Itoa(r.OneOnOnes)}, {Text: strconv.Itoa(r.Groups)},
			{Text: strconv.Itoa(r.Met)}, {Text: strconv.Itoa(r.Active)}, {Text: strconv.Itoa(r.People)}})
		if !r.MentorsShown {
			h := cell{Text: too, Hidden: true, Title: v.Tr("web.too_few_title", "K", last.K)}
			cv.Coverage.Rows = append(cv.Coverage.Rows, []cell{{Text: r.Name}, h, h, h})
		} else {
			share := none
			if r.NewHires > 0 {
				share = fmt.Sprintf("%.0f%%", 100*float64(r.Mentored)/float64(r.NewHires))
			}
			cv.Coverage.Rows = append(cv.Coverage.Rows, []cell{{Text: r.Name}, {Text: strconv.Itoa(r.Mentored)}, {Text: strconv.Itoa(r.NewHires)}, {Text: share}})
		}
		if i > 0 { // the chart compares departments; the organisation is the trend's
			depts = append(depts, r.Name)
			for j, x := range []int{r.OneOnOnes, r.Groups, r.Met} {
				byDept[j].Values = append(byDept[j].Values, float64(x))
			}
		}
	}
	if len(depts) > 0 {
		// The table is the chart's numbers (and the hidden departments').
		cv.Charts = append(cv.Charts, chart{SVG: groupedBars(cv.Table.Caption, depts, byDept), Table: cv.Table})
		cv.Table = table{}
	}
	return cv
}

// numberCell is v as a count, or the words for a hidden figure.
func numberCell(v float64, too string) cell {
	if math.IsNaN(v) {
		return cell{Text: too, Hidden: true}
	}
	return cell{Text: strconv.Itoa(int(v))}
}

// connectionsHome is the home page's connections link for u: the current
// quarter's page, when u may see any connections figures.
func (a *Feature) connectionsHome(ctx context.Context, u store.User) (string, error) {
	if a.opt.Connections == nil {
		return "", nil
	}
	q := quarterName(a.Now().In(a.Config.Location))
	if _, err := a.opt.Connections.ConnectionsQuarter(ctx, u, q); err != nil {
		if _, refused := bot.AsError(err); refused {
			return "", nil
		}
		return "", err
	}
	return q, nil
}
