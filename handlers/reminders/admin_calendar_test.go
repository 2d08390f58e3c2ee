package reminders

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
)

func TestAdminClosedDays(t *testing.T) {
	e := newReminderEnv(t)
	turn := e.ok(bottest.Command("admin", "/soudan admin closed add ２０２６/12/29..2027-01-03 年末年始"))
	if !strings.Contains(turn.Text(), "2026-12-29..2027-01-03（6日）") {
		t.Errorf("reply = %q, want the span and 6 days", turn.Text())
	}
	days, err := e.st.ClosedDays()
	if err != nil || len(days) != 6 || days[0].Note != "年末年始" {
		t.Fatalf("closed days = %+v, %v; want 6 with the note", days, err)
	}
	for _, bad := range []string{"12/29", "2026-12-29..2027-03-01", "2027-01-03..2026-12-29"} {
		e.refused(bottest.Command("admin", "/soudan admin closed add "+bad))
	}
	if s := e.refused(bottest.Command("田中", "/soudan admin closed add 2026-12-28")); !strings.Contains(s, "管理者のみ") {
		t.Errorf("a member adding a closed day: %q, want refused for lack of the role", s)
	}
	e.ok(bottest.Command("admin", "/soudan admin closed remove 2027-01-02..2027-01-03"))
	list := e.ok(bottest.Command("admin", "/soudan admin closed list")).Text()
	if !strings.Contains(list, "2026-12-29 年末年始") || strings.Contains(list, "2027-01-02") || !strings.Contains(list, "（今日以降 4日）") {
		t.Errorf("list = %q, want 4 days left", list)
	}
	e.refused(bottest.Command("admin", "/soudan admin closed remove 2027-01-02"))
	if audit := e.ok(bottest.Command("admin", "/soudan admin audit")).Text(); !strings.Contains(audit, "休業日の追加") || !strings.Contains(audit, "休業日の取消") {
		t.Errorf("audit = %q, want both closed-day actions named", audit)
	}
}

func TestClosedDayPostponesEscalation(t *testing.T) {
	e := newReminderEnv(t)
	e.mentor("佐藤", "キャリア")
	e.ok(bottest.DM("田中", "キャリアの相談です"))
	// Without Tuesday 11-24, 24 working hours end on Thursday at 16:00.
	e.ok(bottest.Command("admin", "/soudan admin closed add 2026-11-24 創立記念日"))
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

func TestAdminTopicSetReminders(t *testing.T) {
	e := newConsultEnv(t, 3)
	turn := e.ok(bottest.Command("admin", "/soudan admin topic set キャリア remind=4 ｃｌｏｓｅ=30"))
	if !strings.Contains(turn.Text(), "4時間後にリマインド") || !strings.Contains(turn.Text(), "30日で自動終了") {
		t.Errorf("reply = %q, want the settings in effect", turn.Text())
	}
	tp, err := e.st.TopicByName("キャリア")
	if err != nil || tp.RemindAfterHours != 4 || tp.CloseAfterDays != 30 || tp.EscalateAfterHours != 0 {
		t.Errorf("topic = %+v, %v; want remind 4, close 30, escalate default", tp, err)
	}
	for _, bad := range []string{"キャリア remind=-1", "キャリア soon=3", "キャリア", "ない remind=3"} {
		e.refused(bottest.Command("admin", "/soudan admin topic set "+bad))
	}
	e.ok(bottest.Command("admin", "/soudan admin topic set キャリア remind=0"))
	if tp, _ := e.st.TopicByName("キャリア"); tp.RemindAfterHours != 0 || tp.CloseAfterDays != 30 {
		t.Errorf("after remind=0: %+v, want remind back to the default, close kept", tp)
	}
}
