package survey

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testclock"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// jst is the bot's default time zone.
var jst = time.FixedZone("JST", 9*60*60)

// org is a dozen people in three departments, 会計課 with three:
// department -> names.
var org = map[string][]string{
	"総務課": {"佐藤", "鈴木", "高橋", "田中", "伊藤"},
	"人事課": {"渡辺", "山本", "中村", "小林"},
	"会計課": {"加藤", "吉田", "山田"},
}

// newRoundEnv is the survey feature with the organisation, a manager of
// 総務課 (部長A), of 会計課 (部長B) and an hr person (人事C), on a clock
// that starts Friday 2026-11-20 10:00 in Tokyo.
func newRoundEnv(t *testing.T) (*testenv.Env, *Feature, *testclock.Clock) {
	t.Helper()
	c := testclock.New(time.Date(2026, 11, 20, 10, 0, 0, 0, jst))
	e := testenv.New(t, testenv.Options{Clock: c.Now})
	f := New(e.Kit, Options{})
	e.Register(f)
	e.OK(bottest.Command("admin", "/soudan admin department add 総務課"))
	e.OK(bottest.Command("admin", "/soudan admin department add 人事課"))
	e.OK(bottest.Command("admin", "/soudan admin department add 会計課"))
	// People join a year apart, in department order, so tenure bands (and
	// with them what linked suppression shows) are the same every run.
	year := 2025
	for _, dept := range slices.Sorted(maps.Keys(org)) {
		for _, n := range org[dept] {
			year--
			uid := e.User(n).ID
			if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
				return tx.Users().Update(uid, func(u *store.User) error { u.Department, u.JoinYear = dept, year; return nil })
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, role := range map[string][2]string{"部長A": {store.RoleManager, "総務 課"}, "部長B": {store.RoleManager, "会計課"}, "人事C": {store.RoleHR, ""}} {
		uid := e.User(name).ID
		if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
			return tx.Users().Update(uid, func(u *store.User) error {
				u.Roles, u.ManagerOf = []string{role[0]}, store.DepartmentNames{role[1]}
				return nil
			})
		}); err != nil {
			t.Fatal(err)
		}
	}
	return e, f, c
}

// button finds the button with id in a turn's replies.
func button(t *testing.T, replies []bot.Reply, id string) bot.Button {
	t.Helper()
	for _, r := range replies {
		for _, b := range r.Buttons {
			if b.ID == id {
				return b
			}
		}
	}
	t.Fatalf("no %s button in %+v", id, replies)
	return bot.Button{}
}

// answerAs presses the prompt's button as name and submits scores.
func answerAs(t *testing.T, e *testenv.Env, name string, round string, enps, five int, comment string) *bottest.Turn {
	t.Helper()
	form := testenv.FormOf(t, e.Press(name, actionAnswer, round))
	vals := map[string]string{"comment": comment}
	for _, in := range form.Inputs {
		switch {
		case in.Kind == bot.InputScale && in.Max == 10:
			vals[in.Name] = strconv.Itoa(enps)
		case in.Kind == bot.InputScale:
			vals[in.Name] = strconv.Itoa(five)
		}
	}
	return e.Do(bottest.Submit(name, testenv.DM(name), formAnswer, round, vals))
}

func TestSurveyRoundFromSendToReports(t *testing.T) {
	t.Parallel()
	e, f, c := newRoundEnv(t)
	ctx := context.Background()

	// The admin sees the audience size first, then confirms.
	turn := e.OK(bottest.Command("admin", "/soudan survey send engagement dept=総務課,人事課,会計課 k=4"))
	if txt := turn.Text(); !strings.Contains(txt, "12人") || !strings.Contains(txt, "匿名") {
		t.Fatalf("confirmation = %q, want 12 people, anonymous", txt)
	}
	if len(turn.Sent) != 0 {
		t.Fatalf("prompts sent before confirming: %d", len(turn.Sent))
	}
	send := button(t, turn.Replies, actionSend)
	turn = e.OK(bottest.Press("admin", testenv.DM("admin"), actionSend, send.Value))
	if got := testenv.Recipients(turn.Sent); len(got) != 12 {
		t.Fatalf("prompts went to %v, want the 12 people", got)
	}
	for _, d := range turn.Sent {
		if len(d.Reply.Buttons) != 1 || d.Reply.Buttons[0].ID != actionAnswer {
			t.Fatalf("prompt %+v has no answer button", d.Reply)
		}
	}
	round := turn.Sent[0].Reply.Buttons[0].Value
	if got := auditActions(t, e); got[0] != auditSend {
		t.Errorf("audit = %v, want %s first", got, auditSend)
	}
	// One round per survey per period, even when confirmed twice.
	e.Refused(bottest.Press("admin", testenv.DM("admin"), actionSend, send.Value))
	e.Refused(bottest.Command("admin", "/soudan survey send engagement 全員"))
	// Only admins send.
	e.Refused(bottest.Command("人事C", "/soudan survey send engagement 全員"))

	// The form says which mode applies and who sees what.
	form := testenv.FormOf(t, e.Press("佐藤", actionAnswer, round))
	if !strings.Contains(form.Intro, "匿名") || !strings.Contains(form.Intro, "4人未満") {
		t.Errorf("form intro = %q, want the anonymous rules with k=4", form.Intro)
	}
	// Bad input changes nothing and says why.
	bad := e.Do(bottest.Submit("佐藤", testenv.DM("佐藤"), formAnswer, round, map[string]string{"enps": "11"}))
	if f := testenv.FormOf(t, bad); len(f.Errors) == 0 {
		t.Fatalf("an out-of-range answer was accepted")
	}
	// Someone not asked cannot answer.
	e.Refused(bottest.Press("部長A", testenv.DM("部長A"), actionAnswer, round))

	// 総務課 all answer (佐藤 twice: the second replaces the first),
	// 人事課 all four, 会計課 two of three.
	for _, n := range org["総務課"] {
		testenv.WantReply(t, answerAs(t, e, n, round, 9, 4, "やりがいがある"), e.Kit.TL("ja", "survey.answered", "Deadline", "2026-12-04 23:59"))
	}
	answerAs(t, e, "佐藤", round, 3, 2, "")
	for _, n := range org["人事課"] {
		answerAs(t, e, n, round, 7, 3, "")
	}
	answerAs(t, e, "加藤", round, 0, 1, "会計課はつらい")
	answerAs(t, e, "吉田", round, 1, 1, "")

	// Status: live response rate; 会計課 (2) is too small and 人事課 is
	// hidden with it, so that the total minus 総務課 gives nothing small.
	status := e.OK(bottest.Command("admin", "/soudan survey status")).Text()
	if !strings.Contains(status, "回答 11/12人") || !strings.Contains(status, "回答 5/5人") {
		t.Errorf("status = %q, want 11/12 overall and 5/5 for 総務課", status)
	}
	if strings.Count(status, e.Kit.TL("ja", "survey.report.too_few")) != 2 {
		t.Errorf("status = %q, want 人事課 and 会計課 too small", status)
	}
	// No results while the round is open.
	e.Refused(bottest.Command("admin", "/soudan survey report engagement"))

	// Reminders on the third business day after opening, to the one who
	// has not answered, once.
	c.Set(time.Date(2026, 11, 25, 10, 0, 0, 0, jst))
	if err := f.Daily(ctx, c.Now()); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	if err := f.Daily(ctx, c.Now()); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	reminded := 0
	for _, d := range e.Ad.Sent() {
		if strings.Contains(d.Reply.Title, "リマインド") {
			reminded++
			if d.To.User != "山田" {
				t.Errorf("reminder went to %s, who answered", d.To.User)
			}
		}
	}
	if reminded != 1 {
		t.Errorf("reminders = %d, want 1 (山田, once)", reminded)
	}

	// The deadline passes: the round closes once, and its reports go out.
	c.Set(time.Date(2026, 12, 5, 0, 15, 0, 0, jst))
	before := len(e.Ad.Sent())
	if err := f.CloseDue(ctx, c.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.CloseDue(ctx, c.Now()); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	reports := e.Ad.Sent()[before:]
	byUser := map[string]string{}
	for _, d := range reports {
		byUser[d.To.User] += testenv.DeliveredText([]bottest.Delivery{d})
	}
	if len(reports) != 4 {
		t.Fatalf("reports went to %v, want 部長A, 部長B, 人事C and admin once each", testenv.Recipients(reports))
	}
	// 総務課: eNPS of 9,9,9,9,3 = 80% promoters - 20% detractors = +60.
	if a := byUser["部長A"]; !strings.Contains(a, "総務課") || !strings.Contains(a, "eNPS +60") || strings.Contains(a, "人事課") || strings.Contains(a, "会計課") {
		t.Errorf("部長A's report = %q, want 総務課 (eNPS +60) and the organisation only", a)
	}
	if b := byUser["部長B"]; !strings.Contains(b, "会計課") || !strings.Contains(b, e.Kit.TL("ja", "survey.report.too_few")) {
		t.Errorf("部長B's report = %q, want 会計課 too small to show", b)
	}
	hr := byUser["人事C"]
	tooFew := e.Kit.TL("ja", "survey.report.too_few")
	for _, dept := range []string{"人事課", "会計課"} {
		if !strings.Contains(hr, dept+"\n"+tooFew) && !strings.Contains(hr, dept+": "+tooFew) {
			t.Errorf("hr's report = %q, want %s too small", hr, dept)
		}
	}
	if !strings.Contains(hr, "総務課") || !strings.Contains(hr, "eNPS +60") {
		t.Errorf("hr's report = %q, want 総務課 with eNPS +60", hr)
	}
	// 会計課's figures (eNPS of 0 and 1: -100) appear nowhere.
	for who, text := range byUser {
		if strings.Contains(text, "-100") {
			t.Errorf("%s's report holds 会計課's eNPS: %q", who, text)
		}
	}
	// Comments need 10 respondents: there are 11, so hr sees them,
	// organisation-wide; managers do not.
	if !strings.Contains(hr, "会計課はつらい") || !strings.Contains(hr, "やりがいがある") {
		t.Errorf("hr's report has no comments: %q", hr)
	}
	if strings.Contains(byUser["部長A"], "やりがいがある") {
		t.Errorf("a manager's report holds comments: %q", byUser["部長A"])
	}
	if got := auditActions(t, e); got[0] != auditClose {
		t.Errorf("audit = %v, want %s first", got, auditClose)
	}

	// After close: no more answers; the report command follows roles.
	e.Refused(bottest.Press("山田", testenv.DM("山田"), actionAnswer, round))
	mgr := e.OK(bottest.Command("部長A", "/soudan survey report engagement")).Text()
	if !strings.Contains(mgr, "総務課") || strings.Contains(mgr, "人事課") {
		t.Errorf("manager's report = %q", mgr)
	}
	e.Refused(bottest.Command("佐藤", "/soudan survey report engagement"))
	tenure := e.OK(bottest.Command("人事C", "/soudan survey report engagement --by tenure")).Text()
	if !strings.Contains(tenure, "年目") {
		t.Errorf("report by tenure = %q, want tenure bands", tenure)
	}

	// Export: figures for admins, guarded; no raw rows of an anonymous round.
	csv := e.OK(bottest.Command("admin", "/soudan survey export engagement")).Text()
	for _, line := range strings.Split(csv, "\n") {
		if strings.Contains(line, "会計課") && !strings.Contains(line, hiddenCell) {
			t.Errorf("export row %q shows 会計課", line)
		}
	}
	e.Refused(bottest.Command("人事C", "/soudan survey export engagement raw"))
}

func TestSafeCell(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"=1+1": "'=1+1", "+81": "'+81", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx", "総務課": "総務課", "": ""} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}
