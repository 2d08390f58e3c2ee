package reminders

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
)

func TestAdminTopicSetReminders(t *testing.T) {
	e := newRemindersEnv(t)
	turn := e.OK(bottest.Command("admin", "/soudan admin topic set キャリア remind=4 ｃｌｏｓｅ=30"))
	if !strings.Contains(turn.Text(), "4時間後にリマインド") || !strings.Contains(turn.Text(), "30日で自動終了") {
		t.Errorf("reply = %q, want the settings in effect", turn.Text())
	}
	tp, err := e.St.TopicByName("キャリア")
	if err != nil || tp.RemindAfterHours != 4 || tp.CloseAfterDays != 30 || tp.EscalateAfterHours != 0 {
		t.Errorf("topic = %+v, %v; want remind 4, close 30, escalate default", tp, err)
	}
	for _, bad := range []string{"キャリア remind=-1", "キャリア soon=3", "キャリア", "ない remind=3"} {
		e.Refused(bottest.Command("admin", "/soudan admin topic set "+bad))
	}
	e.OK(bottest.Command("admin", "/soudan admin topic set キャリア remind=0"))
	if tp, _ := e.St.TopicByName("キャリア"); tp.RemindAfterHours != 0 || tp.CloseAfterDays != 30 {
		t.Errorf("after remind=0: %+v, want remind back to the default, close kept", tp)
	}
}
