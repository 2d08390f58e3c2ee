package connections

import (
	"context"
	"fmt"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// FigureRow is one group's connections in a quarter: the organisation or
// a department. A row that is not Shown has its Name only: its numbers
// are zero, never the real ones.
type FigureRow struct {
	Name  string
	Shown bool
	// People is the group's headcount and Active the people with any
	// connection in the quarter: the invitees and respondents the k rule
	// decides on.
	People, Active int
	// OneOnOnes logged, Groups formed and Met (a check-in said 会えた),
	// NewHires in a mentor programme's audience and Mentored (with a
	// mentor during the quarter), zero unless MentorsShown: they are
	// decided apart, the new hires as the invitees and the mentored as
	// the respondents, since a department's few new hires are a smaller
	// group than its people.
	OneOnOnes, Groups, Met int
	MentorsShown           bool
	NewHires, Mentored     int
}

// QuarterFigures are a quarter's connections as one person may see
// them: the organisation and the departments they may read, each shown
// or hidden by the k rule decided over every department at once (so a
// manager's view is a part of the admins', and no sum or difference of
// what anyone sees picks out fewer than K people).
type QuarterFigures struct {
	Quarter     string // "2026-Q4"
	From, To    string // its first and last day
	K           int
	Org         FigureRow
	Departments []FigureRow // in name order; a manager's own only
}

// Figures are quarter q's ("2026-Q4"; "" the current one) connections as
// u may see them: admins and hr every department, a manager the
// organisation and the departments they manage; anyone else is refused
// (a *bot.Error). k is the smallest group shown: 0 means the feature's
// K, and it is never below the command's minimum.
func (a *Feature) Figures(ctx context.Context, u store.User, q string, k int) (QuarterFigures, error) {
	var only []string
	switch {
	case u.HasRole(store.RoleAdmin), u.HasRole(store.RoleHR):
	case u.HasRole(store.RoleManager) && len(u.ManagerOf) > 0:
		only = u.ManagerOf
	default:
		return QuarterFigures{}, bot.Errorf(bot.CodeForbidden, "conn.error.figures_forbidden")
	}
	return a.figures(q, k, only)
}

// AllFigures are quarter q's figures of the organisation and every
// department, for a caller that shows them to admins only (the monthly
// statistics): the same release as Figures.
func (a *Feature) AllFigures(ctx context.Context, q string, k int) (QuarterFigures, error) {
	return a.figures(q, k, nil)
}

// figures are quarter q's figures at k of the departments in only (nil:
// all).
func (a *Feature) figures(q string, k int, only []string) (QuarterFigures, error) {
	if q == "" {
		q = quarterOf(a.Now().In(a.Config.Location))
	}
	from, to, ok := quarterRange(q)
	if !ok {
		return QuarterFigures{}, bot.Errorf(bot.CodeInvalid, "conn.error.bad_quarter", "Arg", handlers.Clean(q))
	}
	if k == 0 {
		k = a.opt.K
	}
	k = max(k, minK)
	qf, err := handlers.Read(a.Kit, func(tx *store.Tx) (quarterFigures, error) { return a.count(tx, q) })
	if err != nil {
		return QuarterFigures{}, fmt.Errorf("connections figures %s: %w", q, err)
	}
	return qf.view(q, from, to, k, only), nil
}

// view is what the release of qf at k lets show, of the departments in
// only (nil: all).
func (qf quarterFigures) view(q, from, to string, k int, only []string) QuarterFigures {
	rel, mrel := qf.release(k), qf.mentorRelease(k)
	mentorsShown := map[string]bool{}
	for _, g := range mrel.Breakdown("department") {
		mentorsShown[g.Key] = g.Shown
	}
	out := QuarterFigures{Quarter: q, From: from, To: to, K: k, Org: row("", rel.Org.Shown, mrel.Org.Shown, qf.org)}
	for _, g := range rel.Breakdown("department") {
		if g.Key == "" {
			continue // people with no department: in the organisation's figures only
		}
		if only != nil && !containsName(only, g.Key) {
			continue
		}
		out.Departments = append(out.Departments, row(g.Key, g.Shown, mentorsShown[g.Key], *qf.depts[g.Key]))
	}
	return out
}

// row is a FigureRow of dc, zero but for its name unless shown; its
// mentor figures only where mentors (their own release) are shown too.
func row(name string, shown, mentors bool, dc deptCounts) FigureRow {
	if !shown {
		return FigureRow{Name: name}
	}
	r := FigureRow{Name: name, Shown: true, People: dc.people, Active: dc.active, OneOnOnes: dc.oneOnOnes, Groups: dc.groups, Met: dc.met}
	if mentors {
		r.MentorsShown, r.NewHires, r.Mentored = true, dc.newHires, dc.mentored
	}
	return r
}

// containsName reports whether names holds name, by the departments'
// folding rule.
func containsName(names []string, name string) bool {
	for _, n := range names {
		if text.SameName(n, name) {
			return true
		}
	}
	return false
}
