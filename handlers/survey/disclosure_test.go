package survey

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers/figures/figurestest"
	"github.com/soudan/soudan/internal/testclock"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

var surveyDisclosureOrgs = flag.Int("survey.orgs", 3, "random organisations TestDisclosureThroughTheFeature runs")

// TestDisclosureThroughTheFeature runs random organisations (departments
// of 1-12, random tenure, k from 3 to 6) through the survey feature, and
// judges by linear algebra (figurestest.Isolated) everything the roles
// obtain of a round: the live status (hr), the CSV export (admins and hr:
// every breakdown, counts and each item), the report pages by department
// and by tenure (hr, managers): no sum or difference of what is shown
// isolates 1 to k-1 invitees (who answered: the status and the export
// together), respondents (the export's figures) or answers to an item. The
// judge knows the truth (who is where and who answered) from the test,
// not from the feature. Run more with -survey.orgs=20.
func TestDisclosureThroughTheFeature(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(18, 2))
	for i := range *surveyDisclosureOrgs {
		t.Run(fmt.Sprint(i), func(t *testing.T) { discloseOnce(t, r) })
	}
}

// member is one invitee of a random round, as the test knows them.
type member struct {
	name, dept, band string
	answered         bool
}

func discloseOnce(t *testing.T, r *rand.Rand) {
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, jst)
	c := testclock.New(now)
	e := testenv.New(t, testenv.Options{Clock: c.Now})
	f := New(e.Kit, Options{})
	e.Register(f)
	uid := e.User("人事C").ID
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(uid, func(u *store.User) error { u.Roles = []string{store.RoleHR}; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	var people []member
	var depts []string
	for d := range 2 + r.IntN(3) {
		dept := fmt.Sprintf("部署%d", d)
		depts = append(depts, dept)
		e.OK(bottest.Command("admin", "/soudan admin department add "+dept))
		for i := range 1 + r.IntN(12) {
			m := member{name: fmt.Sprintf("p%d_%d", d, i), dept: dept}
			year := 2014 + r.IntN(12)
			m.band = tenureBand(year, now)
			uid := e.User(m.name).ID
			if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
				return tx.Users().Update(uid, func(u *store.User) error { u.Department, u.JoinYear = dept, year; return nil })
			}); err != nil {
				t.Fatal(err)
			}
			people = append(people, m)
		}
		mgr := "部長" + dept
		uid := e.User(mgr).ID
		if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
			return tx.Users().Update(uid, func(u *store.User) error {
				u.Roles, u.ManagerOf = []string{store.RoleManager}, store.DepartmentNames{dept}
				return nil
			})
		}); err != nil {
			t.Fatal(err)
		}
	}
	k := 3 + r.IntN(4)
	round, _ := openAs(t, e, fmt.Sprintf("/soudan survey send engagement dept=%s k=%d", strings.Join(depts, ","), k))
	rate := 0.3 + 0.7*r.Float64()
	for i := range people {
		if r.Float64() < rate {
			people[i].answered = true
			answerAs(t, e, people[i].name, round, r.IntN(11), 1+r.IntN(5), "")
		}
	}

	// The truth: cells of (department, band).
	type cellKey struct{ dept, band string }
	var cells []cellKey
	invited, answered := map[cellKey]int{}, map[cellKey]int{}
	for _, p := range people {
		ck := cellKey{p.dept, p.band}
		if invited[ck] == 0 {
			cells = append(cells, ck)
		}
		invited[ck]++
		if p.answered {
			answered[ck]++
		}
	}
	// A shown group, as "department:X", "tenure:Y" or "organisation:".
	vector := func(group string) []bool {
		kind, key, _ := strings.Cut(group, ":")
		v := make([]bool, len(cells))
		for i, ck := range cells {
			v[i] = kind == "organisation" || (kind == byDepartment && ck.dept == key) || (kind == byTenure && ck.band == key)
		}
		return v
	}
	weights := func(m map[cellKey]int) []int {
		w := make([]int, len(cells))
		for i, ck := range cells {
			w[i] = m[ck]
		}
		return w
	}
	judge := func(who string, groups []string, m map[cellKey]int, what string) {
		t.Helper()
		var vs [][]bool
		for _, g := range groups {
			vs = append(vs, vector(g))
		}
		s, ok := figurestest.Isolated(vs, weights(m), k, 1<<14)
		if !ok {
			t.Fatalf("%s: too many small unions to try", who)
		}
		if s != nil {
			var named []string
			for _, i := range s {
				named = append(named, fmt.Sprintf("%v:%d", cells[i], m[cells[i]]))
			}
			t.Errorf("%s (k=%d) shows %v: %s of %v isolated", who, k, groups, what, named)
		}
	}

	// The live status (hr), just before the close: no answer comes in
	// between, so it joins what the close shows.
	var counts []string
	tooFew := e.Kit.TL("ja", "survey.report.too_few")
	for _, rep := range e.OK(bottest.Command("人事C", "/soudan survey status")).Replies {
		for i, fl := range rep.Fields {
			if fl.Value == tooFew {
				continue
			}
			if i == 0 {
				counts = append(counts, "organisation:")
			} else {
				counts = append(counts, byDepartment+":"+fl.Label)
			}
		}
	}
	if _, _, err := f.closeRound(ctx, mustID(t, round), store.User{}); err != nil {
		t.Fatal(err)
	}
	// The CSV export (admins and hr): a group is shown when its invited
	// count is, an item when its respondents are.
	csv := e.OK(bottest.Command("admin", "/soudan survey export engagement")).Text()
	groups := map[string]bool{}
	items := map[string][]string{}
	for _, line := range strings.Split(csv, "\n") {
		cols := strings.Split(line, ",")
		if len(cols) < 7 || cols[0] != "engagement" {
			continue
		}
		g := cols[2] + ":" + cols[3]
		if cols[6] != hiddenCell {
			groups[g] = true
		}
		if cols[5] != hiddenCell {
			items[cols[4]] = append(items[cols[4]], g)
		}
	}
	all := slices.Sorted(maps.Keys(groups))
	for _, g := range counts {
		if !groups[g] {
			all = append(all, g)
		}
	}
	// The status shows counts, never answers: with the export, it must
	// not tell the answering of fewer than k invitees. What was answered
	// shows in the export alone (and the pages, a part of it).
	judge("hr (status and export)", all, invited, "invitees")
	judge("hr (export)", slices.Sorted(maps.Keys(groups)), answered, "respondents")
	for item, gs := range items {
		judge("hr (export), item "+item, gs, answered, "answers")
	}
	// The pages show nothing the export hides; a manager sees a part.
	for _, who := range append([]string{"人事C"}, func() []string {
		var m []string
		for _, d := range depts {
			m = append(m, "部長"+d)
		}
		return m
	}()...) {
		for _, by := range []string{byDepartment, byTenure} {
			p, err := f.ReportPage(ctx, e.User(who), mustID(t, round), by, "")
			if err != nil {
				t.Fatal(err)
			}
			if p.Result.Org.Shown != groups["organisation:"] {
				t.Errorf("%s's page by %s: organisation shown %v, export %v", who, by, p.Result.Org.Shown, groups["organisation:"])
			}
			for _, g := range p.Result.Groups {
				if g.Shown && !groups[p.By+":"+g.Key] {
					t.Errorf("%s's page by %s shows %s, which the export hides", who, p.By, g.Key)
				}
			}
		}
	}
}
