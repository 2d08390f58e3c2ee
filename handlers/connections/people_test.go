package connections

import (
	"regexp"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
)

// TestOneOnOneLog: either person logs a 1on1 once (the other's log of
// the same day counts once), a manager of the department logs two of
// theirs, anyone else is refused, and a future day too.
func TestOneOnOneLog(t *testing.T) {
	e := newConnEnv(t)
	e.person("田中", "総務課", 2022)
	e.person("課長", "総務課", 2000)
	e.person("佐藤", "総務課", 2024)
	e.person("部外者", "人事課", 2010)
	boss := e.Known("課長").ID
	if err := e.St.Update(func(tx *store.Tx) error {
		_, err := tx.Users().Update(boss, func(u *store.User) error {
			u.Roles, u.ManagerOf = []string{store.RoleManager}, store.DepartmentNames{"総務課"}
			return nil
		})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if s := e.OK(bottest.Command("田中", "/soudan 1on1 log @課長 2026-11-27")).Text(); !strings.Contains(s, "記録しました") || !strings.Contains(s, "2026-Q4") {
		t.Errorf("log = %q", s)
	}
	if s := e.OK(bottest.Command("課長", "/soudan 1on1 記録 @田中 2026/11/27")).Text(); !strings.Contains(s, "記録済み") {
		t.Errorf("the other person's log of the same day = %q, want counted once", s)
	}
	if s := e.OK(bottest.Command("課長", "/soudan 1on1 log @田中 @佐藤 昨日")).Text(); !strings.Contains(s, "2026-11-29") {
		t.Errorf("the manager's log of two of theirs = %q", s)
	}
	e.Refused(bottest.Command("部外者", "/soudan 1on1 log @田中 @佐藤"))
	e.Refused(bottest.Command("田中", "/soudan 1on1 log @課長 2026-12-24"))
	e.Refused(bottest.Command("田中", "/soudan 1on1 log @田中"))
	os, err := handlersRead(e, func(tx *store.Tx) ([]store.OneOnOne, error) { return tx.Connections().OneOnOnesInQuarter("2026-Q4") })
	if err != nil || len(os) != 2 {
		t.Errorf("1on1s = %d (%v), want 2", len(os), err)
	}
}

// handlersRead reads one value in a read transaction.
func handlersRead[T any](e *connEnv, fn func(tx *store.Tx) (T, error)) (T, error) {
	var v T
	err := e.St.View(func(tx *store.Tx) (err error) { v, err = fn(tx); return err })
	return v, err
}

// TestStatsKRule: the quarter's figures show the organisation and each
// department with at least k people behind them, and hide a department
// below k together with another, so that no difference isolates it.
func TestStatsKRule(t *testing.T) {
	e := newConnEnv(t)
	for _, p := range []string{"a1 総務課 2020", "a2 総務課 2021", "a3 総務課 2022", "a4 総務課 2023",
		"b1 人事課 2020", "b2 人事課 2021", "b3 人事課 2022", "b4 人事課 2010",
		"c1 経理課 2019"} {
		f := strings.Fields(p)
		e.person(f[0], f[1], 2020)
	}
	for _, l := range []string{"a1 /soudan 1on1 log @a2", "a3 /soudan 1on1 log @a4", "b1 /soudan 1on1 log @b2", "b3 /soudan 1on1 log @b4", "c1 /soudan 1on1 log @a1"} {
		who, line, _ := strings.Cut(l, " ")
		e.OK(bottest.Command(who, line))
	}
	if s := e.Refused(bottest.Command("a1", "/soudan coffee stats")); !strings.Contains(s, "管理者・人事") { // admins, hr and managers only
		t.Errorf("a member's stats = %q, want refused", s)
	}
	a2 := e.Known("a2").ID
	if err := e.St.Update(func(tx *store.Tx) error {
		_, err := tx.Users().Update(a2, func(u *store.User) error {
			u.Roles, u.ManagerOf = []string{store.RoleManager}, store.DepartmentNames{"総務課"}
			return nil
		})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// A manager: the organisation and their department, decided in the
	// same release as the admins' (k=3: 総務課 shown or hidden alike).
	mine := e.OK(bottest.Command("a2", "/soudan coffee stats 2026-Q4 k=3")).Text()
	if !strings.Contains(mine, "・全体: 1on1 5件") || !strings.Contains(mine, "・総務課") || strings.Contains(mine, "人事課") || strings.Contains(mine, "経理課") {
		t.Errorf("the manager's stats show other departments, or not theirs:\n%s", mine)
	}
	s := e.OK(bottest.Command("admin", "/soudan coffee stats 2026-Q4 k=3")).Text()
	if line := regexp.MustCompile(`・総務課[^\n]*`).FindString(s); !strings.Contains(mine, line) {
		t.Errorf("the manager's 総務課 line differs from the admin's %q:\n%s", line, mine)
	}
	if !strings.Contains(s, "・経理課: 非表示") {
		t.Errorf("経理課 (one person) is shown:\n%s", s)
	}
	if !strings.Contains(s, "・全体: 1on1 5件") {
		t.Errorf("the organisation's figures are missing:\n%s", s)
	}
	// 全体 - 総務課 - 人事課 would be 経理課: one of them must be hidden too.
	if strings.Contains(s, "・総務課: 1on1") && strings.Contains(s, "・人事課: 1on1") {
		t.Errorf("every department but 経理課 is shown; 経理課 is their difference:\n%s", s)
	}
	if s := e.Refused(bottest.Command("admin", "/soudan coffee stats k=1")); !strings.Contains(s, "3〜50") {
		t.Errorf("k=1 = %q, want refused", s)
	}
}

// TestMentorTermApproval: a mentor programme proposes, for each new
// hire, a mentor of another department matching their wish; nothing is
// sent until an admin approves, then both get an introduction once.
func TestMentorTermApproval(t *testing.T) {
	e := newConnEnv(t)
	e.person("新人", "総務課", 2026)
	same := e.person("同部署", "総務課", 2010)
	far := e.person("海外経験", "人事課", 2008)
	near := e.person("国内", "経理課", 2009)
	if err := e.St.Update(func(tx *store.Tx) error {
		for _, m := range []store.Mentor{
			{UserID: same.ID, Message: "何でも", Posting: store.PostingOverseas, PostingPlace: "在米国大使館"},
			{UserID: far.ID, Message: "海外赴任の話ができます", Posting: store.PostingOverseas, PostingPlace: "在英国大使館"},
			{UserID: near.ID, Message: "予算の話ができます", Posting: store.PostingHQ},
		} {
			if _, err := tx.Mentors().Put(m); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e.OK(bottest.Command("新人", "/soudan coffee prefer 海外"))
	e.OK(bottest.Command("admin", "/soudan admin coffee add 新人メンター kind=mentor years=2026-2026 term=6 capacity=1"))
	if s := e.OK(bottest.Command("admin", "/soudan admin coffee preview 新人メンター")).Text(); !strings.Contains(s, "メンター 海外経験") || !strings.Contains(s, "本人の希望に合う") {
		t.Errorf("preview = %q, want 海外経験 proposed for the wish", s)
	}
	run := e.OK(bottest.Command("admin", "/soudan admin coffee run 新人メンター"))
	if len(run.Sent) != 0 {
		t.Errorf("proposing sent %d messages before approval", len(run.Sent))
	}
	var approve *bottestButton
	for _, r := range run.Replies {
		if len(r.Buttons) == 2 && r.Buttons[0].ID == actionTermApprove {
			approve = &bottestButton{r.Buttons[0].ID, r.Buttons[0].Value}
		}
	}
	if approve == nil {
		t.Fatalf("no approve button in %q", run.Text())
	}
	e.Refused(bottest.Press("新人", bottest.DM("新人", "").Address, approve.id, approve.value))
	ok := e.OK(bottest.Press("admin", bottest.DM("admin", "").Address, approve.id, approve.value))
	if !strings.Contains(ok.Text(), "2026-11-30〜2027-05-29") {
		t.Errorf("approval = %q, want the six-month term", ok.Text())
	}
	got := map[string]int{}
	for _, d := range ok.Sent {
		got[d.To.User]++
	}
	if got["新人"] != 1 || got["海外経験"] != 1 || len(got) != 2 {
		t.Errorf("introductions = %v, want one each to 新人 and 海外経験", got)
	}
	e.Refused(bottest.Press("admin", bottest.DM("admin", "").Address, approve.id, approve.value))
	// Capacity 1: the mentor is taken; nobody else waits.
	if s := e.OK(bottest.Command("admin", "/soudan admin coffee preview 新人メンター")).Text(); !strings.Contains(s, "待っている新人はいません") {
		t.Errorf("preview after approval = %q", s)
	}
	qf, err := handlersRead(e, func(tx *store.Tx) (quarterFigures, error) { return e.f.count(tx, "2026-Q4") })
	if err != nil || qf.org.mentored != 1 || qf.org.newHires != 1 || qf.depts["総務課"].mentored != 1 {
		t.Errorf("coverage = %+v (%v), want the new hire of 総務課 covered", qf.org, err)
	}
	// Two people behind the figures: under k=3 even the organisation's
	// coverage is hidden.
	if s := e.OK(bottest.Command("admin", "/soudan coffee stats k=3")).Text(); strings.Contains(s, "1/1") {
		t.Errorf("stats show the coverage of two people:\n%s", s)
	}
}

// bottestButton is a button to press again.
type bottestButton struct{ id, value string }

// TestMentorApprovalRechecks: a proposal is checked again when approved.
// Two new hires were proposed the one mentor under capacity 2; the admin
// then lowers the capacity to 1, so the second approval is refused with
// the reason, and the mentor's pause refuses the next one.
func TestMentorApprovalRechecks(t *testing.T) {
	e := newConnEnv(t)
	e.person("新人A", "総務課", 2026)
	e.person("新人B", "経理課", 2026)
	mentor := e.person("先輩", "人事課", 2008)
	if err := e.St.Update(func(tx *store.Tx) error {
		_, err := tx.Mentors().Put(store.Mentor{UserID: mentor.ID, Message: "何でも"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	e.OK(bottest.Command("admin", "/soudan admin coffee add 新人メンター kind=mentor years=2026-2026 capacity=2"))
	run := e.OK(bottest.Command("admin", "/soudan admin coffee run 新人メンター"))
	var approvals []bottestButton
	for _, r := range run.Replies {
		if len(r.Buttons) == 2 && r.Buttons[0].ID == actionTermApprove {
			approvals = append(approvals, bottestButton{r.Buttons[0].ID, r.Buttons[0].Value})
		}
	}
	if len(approvals) != 2 {
		t.Fatalf("%d proposals, want 2 (capacity 2):\n%s", len(approvals), run.Text())
	}
	e.OK(bottest.Command("admin", "/soudan admin coffee set 新人メンター capacity=1"))
	press := func(b bottestButton) *bot.Message {
		return bottest.Press("admin", bottest.DM("admin", "").Address, b.id, b.value)
	}
	if s := e.OK(press(approvals[0])).Text(); !strings.Contains(s, "承認しました") {
		t.Fatalf("first approval = %q", s)
	}
	if s := e.Refused(press(approvals[1])); !strings.Contains(s, "定員（1 人）") {
		t.Errorf("second approval over capacity = %q, want refused for the capacity", s)
	}
	e.OK(bottest.Command("admin", "/soudan admin coffee set 新人メンター capacity=2"))
	if err := e.St.Update(func(tx *store.Tx) error {
		_, err := tx.Mentors().Update(mentor.ID, func(m *store.Mentor) error { m.Paused = true; return nil })
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if s := e.Refused(press(approvals[1])); !strings.Contains(s, "休止中") {
		t.Errorf("approval of a paused mentor = %q, want refused", s)
	}
}
