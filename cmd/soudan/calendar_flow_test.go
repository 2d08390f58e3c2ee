package main

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
)

func TestAdminClosedDays(t *testing.T) {
	e := newReminderEnv(t)
	turn := e.OK(bottest.Command("admin", "/soudan admin closed add ２０２６/12/29..2027-01-03 年末年始"))
	if !strings.Contains(turn.Text(), "2026-12-29..2027-01-03（6日）") {
		t.Errorf("reply = %q, want the span and 6 days", turn.Text())
	}
	days, err := e.St.ClosedDays()
	if err != nil || len(days) != 6 || days[0].Note != "年末年始" {
		t.Fatalf("closed days = %+v, %v; want 6 with the note", days, err)
	}
	for _, bad := range []string{"12/29", "2026-12-29..2027-03-01", "2027-01-03..2026-12-29"} {
		e.Refused(bottest.Command("admin", "/soudan admin closed add "+bad))
	}
	if s := e.Refused(bottest.Command("田中", "/soudan admin closed add 2026-12-28")); !strings.Contains(s, "管理者のみ") {
		t.Errorf("a member adding a closed day: %q, want refused for lack of the role", s)
	}
	e.OK(bottest.Command("admin", "/soudan admin closed remove 2027-01-02..2027-01-03"))
	list := e.OK(bottest.Command("admin", "/soudan admin closed list")).Text()
	if !strings.Contains(list, "2026-12-29 年末年始") || strings.Contains(list, "2027-01-02") || !strings.Contains(list, "（今日以降 4日）") {
		t.Errorf("list = %q, want 4 days left", list)
	}
	e.Refused(bottest.Command("admin", "/soudan admin closed remove 2027-01-02"))
	if audit := e.OK(bottest.Command("admin", "/soudan admin audit")).Text(); !strings.Contains(audit, "休業日の追加") || !strings.Contains(audit, "休業日の取消") {
		t.Errorf("audit = %q, want both closed-day actions named", audit)
	}
}

func TestClosedDayPostponesEscalation(t *testing.T) {
	e := newReminderEnv(t)
	e.Mentor("佐藤", "キャリア")
	e.OK(bottest.DM("田中", "キャリアの相談です"))
	// Without Tuesday 11-24, 24 working hours end on Thursday at 16:00.
	e.OK(bottest.Command("admin", "/soudan admin closed add 2026-11-24 創立記念日"))
	for _, d := range e.remind(jstAt(11, 25, 16)) {
		if d.To.User == "admin" {
			t.Errorf("escalated on Wednesday despite the closed Tuesday")
		}
	}
	var escalated bool
	for _, d := range e.remind(jstAt(11, 26, 16)) {
		escalated = escalated || d.To.User == "admin"
	}
	if !escalated {
		t.Errorf("not escalated on Thursday 16:00, after 24 working hours")
	}
}
