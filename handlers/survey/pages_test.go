package survey

import (
	"context"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
)

// TestReportPageShowsWhatEachMaySee: the page data of a closed round are
// the round's release: hr sees every department, a small one suppressed (and
// its next-smallest sibling, against differencing), a manager only their
// own department beside the organisation, anyone else nothing.
func TestReportPageShowsWhatEachMaySee(t *testing.T) {
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
