package survey

import (
	"context"
	"slices"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestManagerOfSeveralDepartments: a 部長 over two 課 reads both in the chat
// report and the closing notice, one at a time on the report page (the
// first by default, the other by name), and no department they do not
// manage.
func TestManagerOfSeveralDepartments(t *testing.T) {
	t.Parallel()
	e, f, _ := newRoundEnv(t)
	ctx := context.Background()
	d := e.User("部長D")
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(d.ID, func(u *store.User) error {
			u.Roles, u.ManagerOf = []string{store.RoleManager}, store.DepartmentNames{"総務課", "会計 課"}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	round, _ := openAs(t, e, "/soudan survey send engagement dept=総務課,人事課,会計課 k=3")
	for _, names := range org {
		for _, n := range names {
			answerAs(t, e, n, round, 9, 4, "")
		}
	}
	if _, _, err := f.closeRound(ctx, mustID(t, round), store.User{}); err != nil {
		t.Fatal(err)
	}
	var out []handlers.Outgoing
	if err := e.St.View(func(tx *store.Tx) error {
		r, err := tx.Surveys().Round(mustID(t, round))
		if err == nil {
			out, err = f.closingReports(tx, r)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	labels := func(rep bot.Reply) []string {
		var ls []string
		for _, fl := range rep.Fields {
			ls = append(ls, fl.Label)
		}
		return ls
	}
	want := []string{"全体", "会計課", "総務課"}
	var notice []string
	for _, o := range out {
		if o.To.User == d.PlatformID {
			notice = labels(o.Reply)
		}
	}
	if !slices.Equal(notice, want) {
		t.Errorf("部長D's closing notice groups: got %q, want %q", notice, want)
	}
	turn := e.OK(bottest.Command("部長D", "/soudan survey report engagement"))
	if len(turn.Replies) != 1 || !slices.Equal(labels(turn.Replies[0]), want) {
		t.Errorf("部長D's report groups: got %q, want %q", testRepliesLabels(turn, labels), want)
	}
	for _, c := range []struct{ dept, want string }{{"", "総務課"}, {"会計課", "会計課"}, {"会計", ""}, {"人事課", ""}} {
		p, err := f.ReportPage(ctx, e.User("部長D"), mustID(t, round), "", c.dept)
		if c.want == "" {
			if !isCode(err, bot.CodeForbidden) {
				t.Errorf("page of %q: got %v, want forbidden", c.dept, err)
			}
			continue
		}
		if err != nil || p.Only != c.want || len(p.Result.Groups) != 1 || p.Result.Groups[0].Key != c.want {
			t.Errorf("page of %q: got only %q groups %+v, %v; want %s", c.dept, p.Only, p.Result.Groups, err, c.want)
		}
	}
}

func testRepliesLabels(turn *bottest.Turn, labels func(bot.Reply) []string) [][]string {
	var out [][]string
	for _, r := range turn.Replies {
		out = append(out, labels(r))
	}
	return out
}
