package survey

import (
	"context"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
)

// TestMergedAwayManagerSeesNotTheOtherDepartment: after 総務課 is merged
// into 人事課, 総務課's manager (部長A), whose department is now an alias of
// 人事課, must not read 人事課's past rounds, on the pages or by command;
// they still read their own department's.
func TestMergedAwayManagerSeesNotTheOtherDepartment(t *testing.T) {
	t.Parallel()
	e, f, _ := newRoundEnv(t)
	ctx := context.Background()
	round, _ := openAs(t, e, "/soudan survey send engagement dept=総務課,人事課 k=3")
	for _, n := range org["総務課"] {
		answerAs(t, e, n, round, 9, 5, "")
	}
	for _, n := range org["人事課"] {
		answerAs(t, e, n, round, 2, 1, "")
	}
	if _, _, err := f.closeRound(ctx, mustID(t, round), store.User{}); err != nil {
		t.Fatal(err)
	}
	e.OK(bottest.Command("admin", "/soudan admin department merge 総務課 人事課"))

	page, err := f.ReportPage(ctx, e.User("部長A"), mustID(t, round), "", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range page.Result.Groups {
		if g.Key == "人事課" {
			t.Errorf("総務課's manager's page holds 人事課 after the merge: %+v", page.Result.Groups)
		}
	}
	if page.Only == "人事課" {
		t.Errorf("総務課's manager's page is restricted to 人事課, want 総務課")
	}
	rep := e.OK(bottest.Command("部長A", "/soudan survey report engagement")).Text()
	if strings.Contains(rep, "人事課") {
		t.Errorf("総務課's manager's report holds 人事課 after the merge: %q", rep)
	}
	if !strings.Contains(rep, "総務課") {
		t.Errorf("総務課's manager's report = %q, want their own department's past round", rep)
	}
}
