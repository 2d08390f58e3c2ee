package main

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestAdminClosedDays(t *testing.T) {
	t.Parallel()
	e := newReminderEnv(t)
	turn := e.OK(bottest.Command("admin", "/soudan admin closed add ２０２６/12/29..2027-01-03 年末年始"))
	if !strings.Contains(turn.Text(), "2026-12-29..2027-01-03（6日）") {
		t.Errorf("reply = %q, want the span and 6 days", turn.Text())
	}
	days, err := storetest.Read(e.St, func(tx *store.Tx) ([]store.ClosedDay, error) { return tx.ClosedDays() })
	if err != nil || len(days) != 6 || days[0].Note != "年末年始" {
		t.Fatalf("closed days = %+v, %v; want 6 with the note", days, err)
	}
	for _, bad := range []string{"12/29", "2026-12-29..2027-03-01", "2027-01-03..2026-12-29", "1999-01-01", "9999-12-31", "2026-11-19", "2028-11-21"} {
		e.Refused(bottest.Command("admin", "/soudan admin closed add "+bad))
	}
	if s := e.Refused(bottest.Command("admin", "/soudan admin closed add 1999-01-01")); !strings.Contains(s, "2026-11-20（今日）から2028-11-20まで") {
		t.Errorf("a past day: %q, want the range allowed", s)
	}
	// Adding days again keeps their note and says nothing changed; a
	// range with new days adds only those.
	if s := e.OK(bottest.Command("admin", "/soudan admin closed add 2026-12-29..2026-12-30 別のメモ")).Text(); !strings.Contains(s, "すでに休業日です。変更はありません") {
		t.Errorf("adding closed days again: %q, want nothing changed", s)
	}
	if s := e.OK(bottest.Command("admin", "/soudan admin closed add 2026-12-28..2026-12-29 仕事納め")).Text(); !strings.Contains(s, "のうち1日を休業日にしました（1日はすでに休業日") {
		t.Errorf("adding a range with one new day: %q, want 1 added, 1 already", s)
	}
	days, _ = storetest.Read(e.St, func(tx *store.Tx) ([]store.ClosedDay, error) { return tx.ClosedDays() })
	if len(days) != 7 || days[0].Note != "仕事納め" || days[1].Note != "年末年始" || days[2].Note != "年末年始" {
		t.Errorf("closed days = %+v, want 12-28 仕事納め and the rest 年末年始", days)
	}
	e.OK(bottest.Command("admin", "/soudan admin closed remove 2026-12-28"))
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
	t.Parallel()
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
