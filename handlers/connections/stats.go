package connections

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// quarterRE is a quarter an admin types: "2026-Q4", "2026q4".
var quarterRE = regexp.MustCompile(`^(\d{4})-?[qQ]([1-4])$`)

// deptCounts are one group's figures of a quarter.
type deptCounts struct {
	people    int // the department's headcount (the survey's invitees)
	active    int // people with any connection in the quarter (respondents)
	oneOnOnes int
	groups    int
	met       int
	newHires  int
	mentored  int
	activeIDs map[uint64]bool
}

// quarterFigures are a quarter's connections by department (canonical
// names; "" for people with no department), and the organisation's.
type quarterFigures struct {
	org   deptCounts
	depts map[string]*deptCounts
}

// quarterRange is the first and last day of quarter "2026-Q4".
func quarterRange(q string) (from, to string, ok bool) {
	m := quarterRE.FindStringSubmatch(q)
	if m == nil {
		return "", "", false
	}
	y, _ := strconv.Atoi(m[1])
	n, _ := strconv.Atoi(m[2])
	start := time.Date(y, time.Month(3*(n-1)+1), 1, 0, 0, 0, 0, time.UTC)
	return start.Format(dateFormat), start.AddDate(0, 3, -1).Format(dateFormat), true
}

// count reads a quarter's connections in tx: 1on1s, groups formed and
// those that met, and new hires with a mentor, counted in each involved
// person's current department (a group or a 1on1 across two departments
// counts once in each, once in the organisation), and who took part.
func (a *Feature) count(tx *store.Tx, q string) (quarterFigures, error) {
	from, to, _ := quarterRange(q)
	qf := quarterFigures{depts: map[string]*deptCounts{}, org: deptCounts{activeIDs: map[uint64]bool{}}}
	ps := newPeople(tx)
	users, err := ps.all()
	if err != nil {
		return qf, err
	}
	deptOf := map[uint64]string{}
	at := func(d string) *deptCounts {
		if qf.depts[d] == nil {
			qf.depts[d] = &deptCounts{activeIDs: map[uint64]bool{}}
		}
		return qf.depts[d]
	}
	for _, u := range users {
		if u.Deleted {
			continue
		}
		d := ps.dept(u.Department)
		deptOf[u.ID] = d
		at(d).people++
		qf.org.people++
	}
	// touched adds one event of the people ids to each of their
	// departments once and to the organisation once, and marks them
	// active.
	touched := func(ids []uint64, add func(*deptCounts)) {
		seen := map[string]bool{}
		for _, id := range ids {
			d, ok := deptOf[id]
			if !ok {
				continue // a forgotten person: counted in the organisation only
			}
			at(d).activeIDs[id] = true
			if !seen[d] {
				seen[d] = true
				add(at(d))
			}
		}
		for _, id := range ids {
			if _, ok := deptOf[id]; ok {
				qf.org.activeIDs[id] = true
			}
		}
		add(&qf.org)
	}
	c := tx.Connections()
	rounds, err := c.RoundsInQuarter(q)
	if err != nil {
		return qf, err
	}
	for _, rd := range rounds {
		for _, g := range rd.Groups {
			met := g.Met()
			touched(g.Members, func(dc *deptCounts) {
				dc.groups++
				if met {
					dc.met++
				}
			})
		}
	}
	oos, err := c.OneOnOnesInQuarter(q)
	if err != nil {
		return qf, err
	}
	for _, o := range oos {
		touched([]uint64{o.A, o.B}, func(dc *deptCounts) { dc.oneOnOnes++ })
	}
	progs, err := c.Programmes()
	if err != nil {
		return qf, err
	}
	terms, err := c.Terms()
	if err != nil {
		return qf, err
	}
	covered := activeTerms(terms, from, to)
	mentorOf := map[uint64]uint64{}
	for _, t := range terms {
		if covered[t.MenteeID] && (t.State == store.TermApproved || t.State == store.TermEnded) {
			mentorOf[t.MenteeID] = t.MentorID
		}
	}
	for _, u := range users {
		if u.Deleted {
			continue
		}
		mem, _ := c.Member(u.ID)
		newHire := false
		for _, p := range progs {
			if _, isMentor := ps.mentor(u.ID); p.Kind == store.ConnMentor && !isMentor && a.inAudience(ps, p, u, mem) {
				newHire = true
			}
		}
		if !newHire && !covered[u.ID] {
			continue
		}
		ids := []uint64{u.ID}
		if covered[u.ID] {
			ids = append(ids, mentorOf[u.ID])
		}
		// A new hire counts among the people behind the figures whether
		// or not they have a mentor: the coverage counts them.
		d := deptOf[u.ID]
		at(d).newHires++
		qf.org.newHires++
		if covered[u.ID] {
			at(d).mentored++
			qf.org.mentored++
		}
		for _, id := range ids {
			if dd, ok := deptOf[id]; ok {
				at(dd).activeIDs[id] = true
				qf.org.activeIDs[id] = true
			}
		}
	}
	for _, dc := range qf.depts {
		dc.active = len(dc.activeIDs)
	}
	qf.org.active = len(qf.org.activeIDs)
	return qf, nil
}

// release decides which departments' figures may be shown, by the
// survey's rule (figures.Publish): a department's headcount are its
// invitees and the people with any connection in the quarter its
// respondents, so no department, nor any sum or difference of the shown
// ones and the organisation, shows the connections of fewer than k
// people.
func (qf quarterFigures) release(k int) figures.Release {
	var cells []figures.Cell
	for _, d := range sortedKeys(qf.depts) {
		dc := qf.depts[d]
		cells = append(cells, figures.Cell{Keys: []string{d}, Tally: figures.Tally{Invited: dc.people, N: dc.active}})
	}
	return figures.Publish(nil, []string{"department"}, cells, k)
}

// mentorRelease decides the mentor programme's figures apart, by the
// same rule: a department's new hires are its invitees and those with a
// mentor its respondents, so that no shown coverage, nor any difference
// of the shown ones and the organisation's, tells whether fewer than k
// new hires have a mentor (a department of 7 people with 1 new hire
// passes the first release; its one new hire must not).
func (qf quarterFigures) mentorRelease(k int) figures.Release {
	var cells []figures.Cell
	for _, d := range sortedKeys(qf.depts) {
		dc := qf.depts[d]
		cells = append(cells, figures.Cell{Keys: []string{d}, Tally: figures.Tally{Invited: dc.newHires, N: dc.mentored}})
	}
	return figures.Publish(nil, []string{"department"}, cells, k)
}

// stats answers /soudan coffee stats [YYYY-Qn] [k=N] (admin and hr): the
// quarter's 1on1s, groups formed and met, and mentor coverage, for the
// organisation and each department the k rule lets through.
func (a *Feature) stats(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	q, k := quarterOf(a.Now().In(a.Config.Location)), a.opt.K
	for _, arg := range m.Args {
		arg = text.Normalize(arg)
		if v, ok := strings.CutPrefix(strings.ToLower(arg), "k="); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < minK || n > maxK {
				return bot.Errorf(bot.CodeInvalid, "conn.error.bad_k", "Arg", handlers.Clean(arg), "Min", minK, "Max", maxK)
			}
			k = n
			continue
		}
		mm := quarterRE.FindStringSubmatch(arg)
		if mm == nil {
			return a.UsageError(u, "usage.coffee.stats")
		}
		q = mm[1] + "-Q" + mm[2]
	}
	f, err := a.Figures(ctx, u, q, k)
	if err != nil {
		return err
	}
	lines := []string{a.T(u, "conn.stats.title", "Quarter", q, "K", k)}
	line := func(name string, fr FigureRow) string {
		if !fr.Shown {
			return a.T(u, "conn.stats.hidden", "Name", name, "K", k)
		}
		s := a.T(u, "conn.stats.line", "Name", name, "OneOnOnes", fr.OneOnOnes, "Groups", fr.Groups, "Met", fr.Met)
		if !fr.MentorsShown {
			return s + a.T(u, "conn.stats.mentors_hidden", "K", k)
		}
		return s + a.T(u, "conn.stats.mentors", "Mentored", fr.Mentored, "NewHires", fr.NewHires)
	}
	lines = append(lines, line(a.T(u, "conn.stats.org"), f.Org))
	for _, d := range f.Departments {
		lines = append(lines, line(handlers.Clean(d.Name), d))
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: strings.Join(lines, "\n")})
	return err
}
