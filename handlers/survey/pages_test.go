package survey

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
)

// TestReportPageShowsWhatEachMaySee: the page data of a closed round are
// the round's release: hr sees every department, a small one suppressed (and
// its next-smallest sibling, against differencing), a manager only their
// own department beside the organisation, anyone else nothing.
func TestReportPageShowsWhatEachMaySee(t *testing.T) {
	t.Parallel()
	e, f, _ := newRoundEnv(t)
	ctx := context.Background()
	round, _ := openAs(t, e, "/soudan survey send engagement dept=総務課,人事課,会計課 k=4")
	if _, err := f.ReportPage(ctx, e.User("人事C"), mustID(t, round), "", ""); !isCode(err, bot.CodeConflict) {
		t.Errorf("page of an open round: got %v, want a conflict (still open)", err)
	}
	for _, names := range org {
		for _, n := range names {
			answerAs(t, e, n, round, 9, 4, "")
		}
	}
	if _, _, err := f.closeRound(ctx, mustID(t, round), store.User{}); err != nil {
		t.Fatal(err)
	}
	hr, err := f.ReportPage(ctx, e.User("人事C"), mustID(t, round), "", "")
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]bool{}
	for _, g := range hr.Result.Groups {
		shown[g.Key] = g.Shown
	}
	if want := map[string]bool{"総務課": true, "人事課": false, "会計課": false}; len(shown) != 3 || shown["総務課"] != want["総務課"] || shown["人事課"] || shown["会計課"] {
		t.Errorf("hr's groups shown: got %v, want %v", shown, want)
	}
	if !hr.Result.Org.Shown || hr.Result.Org.N != 12 || hr.Only != "" || len(hr.Trend) != 1 {
		t.Errorf("hr's organisation: got shown=%v n=%d only=%q trend=%d, want shown, 12, all, 1 round", hr.Result.Org.Shown, hr.Result.Org.N, hr.Only, len(hr.Trend))
	}
	for _, g := range hr.Result.Groups {
		if !g.Shown && (g.N != 0 || len(g.Items) != 0 && g.Items["enps"].Shown) {
			t.Errorf("suppressed group %s carries figures: %+v", g.Key, g)
		}
	}
	mgr, err := f.ReportPage(ctx, e.User("部長A"), mustID(t, round), "tenure", "")
	if err != nil {
		t.Fatal(err)
	}
	if mgr.Only != "総務課" || mgr.By != byDepartment || len(mgr.Result.Groups) != 1 || mgr.Result.Groups[0].Key != "総務課" {
		t.Errorf("manager's page: only=%q by=%q groups=%+v, want 総務課 alone by department", mgr.Only, mgr.By, mgr.Result.Groups)
	}
	if len(mgr.Trend) != 1 || mgr.Trend[0].Group == nil || mgr.Trend[0].Group.Key != "総務課" {
		t.Errorf("manager's trend: got %+v, want their department's point", mgr.Trend)
	}
	small, err := f.ReportPage(ctx, e.User("部長B"), mustID(t, round), "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(small.Result.Groups) != 1 || small.Result.Groups[0].Shown {
		t.Errorf("会計課's manager: got %+v, want their department suppressed", small.Result.Groups)
	}
	if _, err := f.ReportPage(ctx, e.User("佐藤"), mustID(t, round), "", ""); !isCode(err, bot.CodeForbidden) {
		t.Errorf("a member's page: got %v, want forbidden", err)
	}
	refs, err := f.ReportRounds(ctx, e.User("部長A"))
	if err != nil || len(refs) != 1 || refs[0].ID != mustID(t, round) || refs[0].Period != "2026-11" {
		t.Errorf("manager's rounds: got %+v, %v; want the closed round", refs, err)
	}
	if refs, _ := f.ReportRounds(ctx, e.User("佐藤")); len(refs) != 0 {
		t.Errorf("a member's rounds: got %+v, want none", refs)
	}
	_ = bottest.Command
}

// isCode reports whether err is a *bot.Error with code.
func isCode(err error, code bot.Code) bool {
	e, ok := bot.AsError(err)
	return ok && e.Code == code
}

// TestReportPagePrevIsTheChatReportsPrevious: the page's previous round
// (for the headline's change) is the one the chat report compares with,
// the organisation's and a manager's department's figures of it by the
// same release; a first round has none.
func TestReportPagePrevIsTheChatReportsPrevious(t *testing.T) {
	t.Parallel()
	e, f, c := newRoundEnv(t)
	ctx := context.Background()
	run := func(enps int) uint64 {
		round, _ := openAs(t, e, "/soudan survey send engagement dept=総務課,人事課,会計課 k=4")
		for _, names := range org {
			for _, n := range names {
				answerAs(t, e, n, round, enps, 4, "")
			}
		}
		if _, _, err := f.closeRound(ctx, mustID(t, round), store.User{}); err != nil {
			t.Fatal(err)
		}
		return mustID(t, round)
	}
	first := run(8)
	c.Set(time.Date(2026, 12, 1, 10, 0, 0, 0, jst))
	second := run(9)
	p1, err := f.ReportPage(ctx, e.User("人事C"), first, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if p1.Prev != nil {
		t.Errorf("a first round's page has a previous round: %+v", p1.Prev)
	}
	p2, err := f.ReportPage(ctx, e.User("人事C"), second, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if p2.Prev == nil || p2.Prev.Period != p1.Period || !p2.Prev.Org.Shown || p2.Prev.Org.N != p1.Result.Org.N || p2.Prev.Group != nil {
		t.Fatalf("hr's previous round: got %+v, want the organisation of %s (%+v)", p2.Prev, p1.Period, p1.Result.Org)
	}
	d, ok := figures.Change(figures.Scale0to10, p2.Result.Org.Items["recommend"], p2.Prev.Org.Items["recommend"])
	if !ok || d != 100 {
		t.Errorf("eNPS change on the page: got %v %v, want +100", d, ok)
	}
	chat := e.OK(bottest.Command("人事C", "/soudan survey report engagement")).Text()
	if !strings.Contains(chat, "前回比 +100") {
		t.Errorf("the chat report's change: %q, want 前回比 +100 as the page", chat)
	}
	// A manager: the previous round of their department (named "総務 課"
	// in their record, 総務課 in the release).
	m1, err := f.ReportPage(ctx, e.User("部長A"), first, "", "")
	if err != nil {
		t.Fatal(err)
	}
	m2, err := f.ReportPage(ctx, e.User("部長A"), second, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if m2.Prev == nil || m2.Prev.Group == nil || m2.Prev.Group.Key != "総務課" || !m2.Prev.Group.Shown || m2.Prev.Group.N != m1.Result.Groups[0].N {
		t.Errorf("manager's previous round: got %+v, want 総務課 of %s", m2.Prev, m1.Period)
	}
}

// TestReportPageTrendByGroup: hr's trend carries every group of each
// round exactly as that round's own page shows it (nothing a round did
// not publish), a manager's none but their department; the items carry
// the built-in survey's short titles.
func TestReportPageTrendByGroup(t *testing.T) {
	e, f, c := newRoundEnv(t)
	ctx := context.Background()
	var ids []uint64
	for i, enps := range []int{8, 9} {
		if i > 0 {
			c.Set(time.Date(2026, 12, 1, 10, 0, 0, 0, jst))
		}
		round, _ := openAs(t, e, "/soudan survey send engagement dept=総務課,人事課,会計課 k=4")
		for _, names := range org {
			for _, n := range names {
				answerAs(t, e, n, round, enps, 4, "")
			}
		}
		if _, _, err := f.closeRound(ctx, mustID(t, round), store.User{}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, mustID(t, round))
	}
	hr, err := f.ReportPage(ctx, e.User("人事C"), ids[1], "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(hr.Trend) != 2 {
		t.Fatalf("hr's trend: %d rounds, want 2", len(hr.Trend))
	}
	for i, id := range ids {
		own, err := f.ReportPage(ctx, e.User("人事C"), id, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if got := hr.Trend[i]; got.Period != own.Period || !reflect.DeepEqual(got.Groups, own.Result.Groups) {
			t.Errorf("hr's trend point %d: %s %+v, want %s's own groups %+v", i, got.Period, got.Groups, own.Period, own.Result.Groups)
		}
		for _, g := range hr.Trend[i].Groups {
			if hr.Labels[g.Key] == "" {
				t.Errorf("trend group %q has no label", g.Key)
			}
		}
	}
	mgr, err := f.ReportPage(ctx, e.User("部長A"), ids[1], "", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range mgr.Trend {
		if tp.Groups != nil || tp.Group == nil || tp.Group.Key != "総務課" {
			t.Errorf("a manager's trend point: groups %+v, group %+v; want only 総務課", tp.Groups, tp.Group)
		}
	}
	shorts := map[string]string{}
	for _, it := range hr.Items {
		shorts[it.ID] = it.Label()
	}
	if shorts["growth"] != "成長" || shorts["recommend"] != "職場の推奨度" {
		t.Errorf("the items' labels: %v, want the built-in short titles (成長, 職場の推奨度)", shorts)
	}
}
