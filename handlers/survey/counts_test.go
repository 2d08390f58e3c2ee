package survey

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testclock"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// newLinkedEnv is the organisation: Solo (one person, joined 2025),
// Bravo (9, joined 2020) and Charlie (9, joined 2025), so that by tenure
// years 1-2 are Solo's person and Charlie, years 3-5 Bravo exactly.
func newLinkedEnv(t *testing.T) (*testenv.Env, *Feature) {
	t.Helper()
	c := testclock.New(time.Date(2026, 11, 20, 10, 0, 0, 0, jst))
	e := testenv.New(t, testenv.Options{Clock: c.Now})
	f := New(e.Kit, Options{})
	e.Register(f)
	for _, d := range []string{"Solo", "Bravo", "Charlie"} {
		e.OK(bottest.Command("admin", "/soudan admin department add "+d))
	}
	set := func(name, dept string, year int) {
		uid := e.User(name).ID
		if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
			return tx.Users().Update(uid, func(u *store.User) error { u.Department, u.JoinYear = dept, year; return nil })
		}); err != nil {
			t.Fatal(err)
		}
	}
	set("solo1", "Solo", 2025)
	for i := range 9 {
		set(fmt.Sprintf("bravo%d", i), "Bravo", 2022)
		set(fmt.Sprintf("charlie%d", i), "Charlie", 2025)
	}
	uid := e.User("人事C").ID
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(uid, func(u *store.User) error { u.Roles = []string{store.RoleHR}; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return e, f
}

// TestStatusCountsTellNotWhetherSoloAnswered: while the round is open, the
// status shows the organisation and departments' counts. With Solo
// hidden, the organisation minus Bravo and Charlie would tell whether
// Solo's one member answered (and, asked again, when): one of Bravo and
// Charlie is hidden too, before and after Solo's member answers.
func TestStatusCountsTellNotWhetherSoloAnswered(t *testing.T) {
	t.Parallel()
	e, _ := newLinkedEnv(t)
	round, _ := openAs(t, e, "/soudan survey send engagement dept=Solo,Bravo,Charlie k=5")
	for i := range 9 {
		answerAs(t, e, fmt.Sprintf("bravo%d", i), round, 9, 4, "")
		answerAs(t, e, fmt.Sprintf("charlie%d", i), round, 9, 4, "")
	}
	tooFew := e.Kit.TL("ja", "survey.report.too_few")
	check := func(when string) string {
		t.Helper()
		status := e.OK(bottest.Command("人事C", "/soudan survey status")).Text()
		if got := strings.Count(status, tooFew); got != 2 {
			t.Errorf("%s: status = %q, want Solo and one of Bravo and Charlie too few (%d)", when, status, got)
		}
		shown := strings.Count(status, "回答 9/9人")
		if shown != 1 {
			t.Errorf("%s: status = %q, want one department's count", when, status)
		}
		return status
	}
	before := check("before Solo answers")
	answerAs(t, e, "solo1", round, 0, 1, "")
	after := check("after Solo answers")
	// The same groups are shown either way: only the organisation's total
	// (19 people) moved.
	if !strings.Contains(before, "回答 18/19人") || !strings.Contains(after, "回答 19/19人") {
		t.Errorf("status before %q, after %q; want the organisation's 18/19 then 19/19", before, after)
	}
}

// TestSmallRoundShowsNoCountAnywhere: a round with fewer than k
// respondents shows no count: not the status, the close reply, the
// admins' notice, the audit log nor the programme statistics.
func TestSmallRoundShowsNoCountAnywhere(t *testing.T) {
	t.Parallel()
	e, f := newLinkedEnv(t)
	round, _ := openAs(t, e, "/soudan survey send engagement dept=Solo,Bravo k=5")
	answerAs(t, e, "solo1", round, 0, 1, "")
	answerAs(t, e, "bravo0", round, 9, 4, "")
	status := e.OK(bottest.Command("人事C", "/soudan survey status")).Text()
	if strings.Contains(status, "/10") || strings.Contains(status, "2/") {
		t.Errorf("status of a round with 2 answers, k=5: %q, want no count", status)
	}
	rates, err := f.RoundRates(context.Background(), "2026-11")
	if err != nil || len(rates) != 1 || !rates[0].Hidden || rates[0].Sent != 0 || rates[0].Responded != 0 {
		t.Errorf("statistics' rates of the open round: %+v, %v; want hidden, no count", rates, err)
	}
	before := len(e.Ad.Sent())
	reply := e.OK(bottest.Command("admin", "/soudan survey close engagement")).Text()
	if strings.Contains(reply, "2/10") || !strings.Contains(reply, "5 人未満") {
		t.Errorf("close reply = %q, want no count", reply)
	}
	e.Flush()
	for _, d := range e.Ad.Sent()[before:] {
		if text := testenv.DeliveredText([]bottest.Delivery{d}); strings.Contains(text, "2/10") || strings.Contains(text, "2/") {
			t.Errorf("%s got a count: %q", d.To.User, text)
		}
	}
	es := storetest.View(t, e.St, func(tx *store.Tx) ([]store.AuditEntry, error) { return tx.AuditLog(5) })
	for _, x := range es {
		if x.Action == auditClose && (strings.Contains(x.Detail, "2 of 10") || !strings.Contains(x.Detail, "fewer than 5")) {
			t.Errorf("audit of the close = %q, want no count", x.Detail)
		}
	}
	rates, err = f.RoundRates(context.Background(), "2026-11")
	if err != nil || len(rates) != 1 || !rates[0].Hidden || rates[0].Sent != 0 || rates[0].Responded != 0 {
		t.Errorf("statistics' rates of the closed round: %+v, %v; want hidden, no count", rates, err)
	}
	_ = mustID(t, round)
}

// TestLinkedBreakdownsDoNotGiveSoloAway is the case end to end:
// by department Solo (1) is hidden; if Charlie and years 1-2 were both
// shown, "years 1-2 minus Charlie" would be Solo's person's answers. No
// output shows both: not the CSV, the reports by department and tenure,
// nor the pages.
func TestLinkedBreakdownsDoNotGiveSoloAway(t *testing.T) {
	t.Parallel()
	e, f := newLinkedEnv(t)
	ctx := context.Background()
	round, _ := openAs(t, e, "/soudan survey send engagement dept=Solo,Bravo,Charlie k=5")
	answerAs(t, e, "solo1", round, 0, 1, "")
	for i := range 9 {
		answerAs(t, e, fmt.Sprintf("bravo%d", i), round, 9, 4, "")
		answerAs(t, e, fmt.Sprintf("charlie%d", i), round, 8, 5, "")
	}
	if _, _, err := f.closeRound(ctx, mustID(t, round), store.User{}); err != nil {
		t.Fatal(err)
	}
	csv := e.OK(bottest.Command("人事C", "/soudan survey export engagement")).Text()
	shown := map[string]bool{}
	for _, line := range strings.Split(csv, "\n") {
		cols := strings.Split(line, ",")
		if len(cols) > 5 && cols[5] != hiddenCell && (cols[2] == "department" || cols[2] == "tenure") {
			shown[cols[2]+":"+cols[3]] = true
		}
	}
	if shown["department:Solo"] || (shown["department:Charlie"] && shown["tenure:1-2"]) || (shown["department:Bravo"] && shown["department:Charlie"]) {
		t.Errorf("export shows %v: Solo's answers follow by differencing\n%s", shown, csv)
	}
	if len(shown) == 0 {
		t.Errorf("export shows no group at all:\n%s", csv)
	}
	byDept := e.OK(bottest.Command("人事C", "/soudan survey report engagement")).Text()
	byTenure := e.OK(bottest.Command("人事C", "/soudan survey report engagement --by tenure")).Text()
	tooFew := e.Kit.TL("ja", "survey.report.too_few")
	charlie := !strings.Contains(byDept, "Charlie: "+tooFew) && !strings.Contains(byDept, "Charlie\n"+tooFew)
	band := e.Kit.TL("ja", "survey.band.1-2")
	years12 := !strings.Contains(byTenure, band+": "+tooFew) && !strings.Contains(byTenure, band+"\n"+tooFew)
	if charlie && years12 {
		t.Errorf("reports show both Charlie and %s:\n%s\n%s", band, byDept, byTenure)
	}
	for _, by := range []string{"", byTenure} {
		p, err := f.ReportPage(ctx, e.User("人事C"), mustID(t, round), by, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range p.Result.Groups {
			if g.Shown && !shown[p.By+":"+g.Key] {
				t.Errorf("page by %s shows %s, which the export hides", p.By, g.Key)
			}
		}
	}
}
