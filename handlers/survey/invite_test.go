package survey

import (
	"context"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestInviteLateJoinersToAnOpenRound: someone who joins a department
// after its round opened is invited by /soudan survey invite (one DM),
// their answer counts like everyone's, a second invite finds nobody new,
// and a closed round is refused.
func TestInviteLateJoinersToAnOpenRound(t *testing.T) {
	t.Parallel()
	e, f, _ := newRoundEnv(t)
	round, _ := openAs(t, e, "/soudan survey send engagement dept=総務課,人事課 k=3")
	late := e.User("新人")
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(late.ID, func(u *store.User) error { u.Department, u.JoinYear = "総務 課", 2026; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	e.User("会計の人") // not in the audience
	if got := e.Press("新人", actionAnswer, round).Text(); !strings.Contains(got, e.Kit.TL("ja", "survey.error.not_invited")) {
		t.Fatalf("the late joiner before the invite: %q, want not invited", got)
	}
	turn := e.OK(bottest.Command("admin", "/soudan survey invite "+round))
	testenv.WantReply(t, turn, e.Kit.TL("ja", "survey.invited", "ID", mustID(t, round), "Period", "2026-11", "Count", 1, "Invited", 10, "Audience", "部署: 総務課、人事課"))
	if len(turn.Sent) != 1 || turn.Sent[0].To.User != "新人" || len(turn.Sent[0].Reply.Buttons) != 1 {
		t.Fatalf("sent %+v, want one prompt to 新人", turn.Sent)
	}
	answerAs(t, e, "新人", round, 9, 5, "")
	var r store.SurveyRound
	err := e.St.View(func(tx *store.Tx) (err error) { r, err = tx.Surveys().Round(mustID(t, round)); return err })
	if err != nil || r.Invited != 10 || r.Responded != 1 {
		t.Errorf("round = %+v, %v; want 10 invited, 1 responded", r, err)
	}
	testenv.WantReply(t, e.OK(bottest.Command("admin", "/soudan survey 招待 engagement")),
		e.Kit.TL("ja", "survey.invited_none", "ID", mustID(t, round), "Period", "2026-11", "Invited", 10, "Audience", "部署: 総務課、人事課"))
	if _, _, err := f.closeRound(context.Background(), mustID(t, round), store.User{}); err != nil {
		t.Fatal(err)
	}
	e.Refused(bottest.Command("admin", "/soudan survey invite "+round))
	if got := e.Cmd("山田", "/soudan survey invite "+round).Text(); !strings.Contains(got, e.Kit.TL("ja", "error.forbidden")) {
		t.Errorf("a member's invite: %q, want forbidden", got)
	}
}

// TestReportSaysWhatIsWrongWithItsArguments: an unknown survey is named
// as such (not "never sent"), a month that is none as such (not "no
// rounds"), and a month typed another way is read.
func TestReportSaysWhatIsWrongWithItsArguments(t *testing.T) {
	t.Parallel()
	e, f, _ := newRoundEnv(t)
	for _, c := range []struct{ line, want string }{
		{"/soudan survey report nosuch", e.Kit.TL("ja", "survey.error.unknown", "Survey", "nosuch")},
		{"/soudan survey report engagement", e.Kit.TL("ja", "survey.error.no_rounds", "Survey", "engagement")},
		{"/soudan survey report engagement 2026-13", e.Kit.TL("ja", "survey.error.bad_month", "Arg", "2026-13")},
		{"/soudan survey export engagement 1900-01", e.Kit.TL("ja", "survey.error.bad_month", "Arg", "1900-01")},
	} {
		if got := e.Refused(bottest.Command("人事C", c.line)); !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want %q", c.line, got, c.want)
		}
	}
	round, _ := openAs(t, e, "/soudan survey send engagement dept=総務課 k=3")
	if _, _, err := f.closeRound(context.Background(), mustID(t, round), store.User{}); err != nil {
		t.Fatal(err)
	}
	if got := e.Refused(bottest.Command("人事C", "/soudan survey report engagement 2026-10")); !strings.Contains(got, e.Kit.TL("ja", "survey.error.no_round_in", "Survey", "engagement", "Period", "2026-10")) {
		t.Errorf("another month: %q, want no round in 2026-10", got)
	}
	e.OK(bottest.Command("人事C", "/soudan survey report engagement ２０２６年１１月"))
}

// TestChatReportSaysWhyAGroupIsHidden: a group of k or more hidden so that
// a smaller one cannot be worked out reads as hidden against differencing
// too (as the report page's title says), not as "too few respondents";
// eNPS reads as the page writes it (+8, 0, -8; never ±0).
func TestChatReportSaysWhyAGroupIsHidden(t *testing.T) {
	t.Parallel()
	e, f, _ := newRoundEnv(t)
	round, _ := openAs(t, e, "/soudan survey send engagement dept=総務課,人事課,会計課 k=4")
	for dept, names := range org {
		for _, n := range names {
			enps := 9
			if dept == "総務課" || n == "渡辺" {
				enps = 3 // 6 detractors, 6 promoters: eNPS 0
			}
			answerAs(t, e, n, round, enps, 4, "")
		}
	}
	if _, _, err := f.closeRound(context.Background(), mustID(t, round), store.User{}); err != nil {
		t.Fatal(err)
	}
	turn := e.OK(bottest.Command("人事C", "/soudan survey report engagement"))
	var jinji, org string
	for _, fl := range turn.Replies[0].Fields {
		switch fl.Label {
		case "人事課": // 4 respondents, hidden so that 会計課's 3 cannot be worked out
			jinji = fl.Value
		case "全体":
			org = fl.Value
		}
	}
	if !strings.Contains(jinji, "逆算できないように") {
		t.Errorf("人事課 (hidden against differencing) = %q, want the reason said", jinji)
	}
	if !strings.Contains(org, "eNPS 0（") || strings.Contains(org, "±") {
		t.Errorf("organisation = %q, want eNPS 0", org)
	}
}
