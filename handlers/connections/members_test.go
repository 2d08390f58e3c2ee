package connections

import (
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
)

// TestPauseSkipLeaveNeverGrouped: whoever paused, skips or left is in no
// group; a skip is used once; the matcher's odd person is told by DM.
func TestPauseSkipLeaveNeverGrouped(t *testing.T) {
	e := newConnEnv(t)
	e.joined("佐藤 総務課 2024", "鈴木 人事課 2010", "高橋 経理課 2023", "田中 総務課 2008", "伊藤 人事課 2020", "渡辺 経理課 2015")
	e.OK(bottest.Command("佐藤", "/soudan coffee 休止 2026-12-31まで"))
	e.OK(bottest.Command("鈴木", "/soudan coffee skip"))
	e.OK(bottest.Command("高橋", "/soudan coffee leave"))
	if e.Refused(bottest.Command("佐藤", "/soudan coffee pause until 2020-01-01")) == "" {
		t.Error("a pause ending in the past was accepted")
	}
	e.OK(bottest.Command("admin", "/soudan admin coffee add 奇数 cadence=weekly three=off"))

	prev := e.OK(bottest.Command("admin", "/soudan admin coffee preview 奇数")).Text()
	for _, want := range []string{"佐藤: お休み（休止中）", "鈴木: お休み（今回は休み）", "今回はグループなし（人数が奇数のため）"} {
		if !strings.Contains(prev, want) {
			t.Errorf("preview lacks %q:\n%s", want, prev)
		}
	}
	if strings.Contains(prev, "高橋") {
		t.Errorf("the preview names 高橋, who left:\n%s", prev)
	}
	run := e.OK(bottest.Command("admin", "/soudan admin coffee run 奇数"))
	rd := e.round("奇数")
	for _, name := range []string{"佐藤", "鈴木", "高橋"} {
		if rd.GroupOf(e.Known(name).ID) >= 0 {
			t.Errorf("%s is in a group", name)
		}
	}
	if len(rd.Groups) != 1 {
		t.Fatalf("groups = %d, want 1 pair of the three left", len(rd.Groups))
	}
	var odd string
	for _, lo := range rd.LeftOut {
		if lo.Reason == "odd" {
			u, _ := e.userByID(lo.UserID)
			odd = u.Name
		}
	}
	var told bool
	for _, d := range run.Sent {
		told = told || (d.To.User == odd && strings.Contains(d.Reply.Text, "人数が奇数のため"))
	}
	if odd == "" || !told {
		t.Errorf("the odd person (%q) was not told why: %v", odd, rd.LeftOut)
	}
	if e.member("鈴木").Skip {
		t.Error("鈴木's skip was not used up")
	}
	h := e.OK(bottest.Command("佐藤", "/soudan coffee history")).Text()
	if !strings.Contains(h, "2026-12-31 まで休止中") {
		t.Errorf("佐藤's history = %q, want the pause shown", h)
	}
}

// TestThreeIgnoredRoundsPause: a member who answers no check-in three
// rounds in a row is paused when the next round begins, with a DM whose
// button resumes them; one who answered within those rounds is not.
func TestThreeIgnoredRoundsPause(t *testing.T) {
	e := newConnEnv(t)
	e.joined("佐藤 総務課 2024", "鈴木 人事課 2010")
	e.OK(bottest.Command("admin", "/soudan admin coffee add 毎週 cadence=weekly cooldown=0"))
	var last []bottest.Delivery
	for week := 1; week <= 4; week++ {
		if week > 1 {
			e.clock.Advance(7 * 24 * time.Hour)
		}
		last = e.OK(bottest.Command("admin", "/soudan admin coffee run 毎週")).Sent
		if week == 2 {
			rd := e.round("毎週")
			e.OK(bottest.Press("佐藤", bottest.DM("佐藤", "").Address, actionCheckin, idText(rd.ID)+":"+store.AnswerPlanned))
		}
	}
	if m := e.member("鈴木"); !m.AutoPaused || m.Ignored != 3 {
		t.Errorf("鈴木 = %+v, want paused after 3 ignored rounds", m)
	}
	if m := e.member("佐藤"); m.AutoPaused || m.Ignored != 1 {
		t.Errorf("佐藤 = %+v, want 1 ignored round (the third) and no pause", m)
	}
	var resume *bottest.Delivery
	for i, d := range last {
		if d.To.User == "鈴木" && len(d.Reply.Buttons) == 1 && d.Reply.Buttons[0].ID == actionResume {
			resume = &last[i]
		}
	}
	if resume == nil {
		t.Fatalf("鈴木 got no resume button; sent: %+v", last)
	}
	if rd := e.round("毎週"); rd.GroupOf(e.Known("鈴木").ID) >= 0 {
		t.Error("鈴木 was grouped while paused")
	}
	e.OK(bottest.Press("鈴木", resume.To, resume.Reply.Buttons[0].ID, resume.Reply.Buttons[0].Value))
	if m := e.member("鈴木"); m.AutoPaused || m.Ignored != 0 {
		t.Errorf("鈴木 after resume = %+v, want active", m)
	}
}

// TestAvoidStaysPrivate: a confidential "don't pair me with" keeps the
// two apart, and neither the admin's preview nor the other person learns
// of it.
func TestAvoidStaysPrivate(t *testing.T) {
	e := newConnEnv(t)
	e.joined("佐藤 総務課 2024", "鈴木 人事課 2010", "高橋 総務課 2023", "田中 人事課 2008")
	e.OK(bottest.Command("佐藤", "/soudan coffee avoid @鈴木"))
	e.OK(bottest.Command("佐藤", "/soudan coffee avoid @田中"))
	if l := e.OK(bottest.Command("佐藤", "/soudan coffee avoid")).Text(); !strings.Contains(l, "鈴木") || !strings.Contains(l, "田中") {
		t.Errorf("佐藤's own list = %q", l)
	}
	if l := e.OK(bottest.Command("鈴木", "/soudan coffee avoid")).Text(); strings.Contains(l, "佐藤") {
		t.Errorf("鈴木 sees 佐藤's list: %q", l)
	}
	e.OK(bottest.Command("admin", "/soudan admin coffee add 横断 cross=on"))
	prev := e.OK(bottest.Command("admin", "/soudan admin coffee preview 横断")).Text()
	if strings.Count(prev, "組まない") != 1 || !strings.Contains(prev, "非公開の「組まない」希望はすべて守られています") {
		t.Errorf("the preview tells more of the private lists than that they hold:\n%s", prev)
	}
	e.OK(bottest.Command("admin", "/soudan admin coffee run 横断"))
	rd := e.round("横断")
	sato := e.Known("佐藤").ID
	if g := rd.GroupOf(sato); g >= 0 {
		for _, id := range rd.Groups[g].Members {
			if id == e.Known("鈴木").ID || id == e.Known("田中").ID {
				t.Errorf("佐藤 grouped with someone on their list: %v", rd.Groups[g].Members)
			}
		}
	}
	// 佐藤 can only be paired across departments with people on the list:
	// the rule leaves them alone, and says so without naming the list.
	for _, lo := range rd.LeftOut {
		if lo.UserID == sato && lo.Reason != "no_partner" {
			t.Errorf("佐藤 left out for %q, want no_partner", lo.Reason)
		}
	}
}

// TestRunWithNobodyStoresNothing: a run with nobody taking part is
// refused and leaves the period open for people who join later.
func TestRunWithNobodyStoresNothing(t *testing.T) {
	e := newConnEnv(t)
	e.OK(bottest.Command("admin", "/soudan admin coffee add 空 cadence=weekly"))
	if s := e.Refused(bottest.Command("admin", "/soudan admin coffee run 空")); !strings.Contains(s, "グループに入れる人がいません") {
		t.Errorf("run with nobody = %q", s)
	}
	e.joined("佐藤 総務課 2024", "鈴木 人事課 2010")
	e.OK(bottest.Command("admin", "/soudan admin coffee run 空"))
	if rd := e.round("空"); rd.Number != 1 || len(rd.Groups) != 1 {
		t.Errorf("round after joins = %+v, want round 1 with one pair", rd)
	}
}
