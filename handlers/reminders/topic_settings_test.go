package reminders

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestAdminTopicSetReminders(t *testing.T) {
	e := newRemindersEnv(t)
	turn := e.OK(bottest.Command("admin", "/soudan admin topic set キャリア remind=4 ｃｌｏｓｅ=30"))
	if !strings.Contains(turn.Text(), "4時間後にリマインド") || !strings.Contains(turn.Text(), "30日で自動終了") {
		t.Errorf("reply = %q, want the settings in effect", turn.Text())
	}
	tp, err := storetest.Read(e.St, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("キャリア") })
	if err != nil || tp.RemindAfterHours != 4 || tp.CloseAfterDays != 30 || tp.EscalateAfterHours != 0 {
		t.Errorf("topic = %+v, %v; want remind 4, close 30, escalate default", tp, err)
	}
	for _, bad := range []string{"キャリア remind=-1", "キャリア soon=3", "キャリア", "ない remind=3"} {
		e.Refused(bottest.Command("admin", "/soudan admin topic set "+bad))
	}
	// A number out of range names the range, not "cannot read".
	for _, c := range []struct{ arg, key, unit string }{
		{"remind=99999", "remind", "calendar.unit.hours"},
		{"close=1001", "close", "calendar.unit.days"},
		{"remind=-1", "remind", "calendar.unit.hours"},
		{"escalate=99999999999999999999", "escalate", "calendar.unit.hours"},
	} {
		want := e.Kit.TL("ja", "calendar.error.setting_range", "Setting", c.arg, "Key", c.key, "Max", 1000, "Unit", e.Kit.TL("ja", c.unit))
		if got := e.Refused(bottest.Command("admin", "/soudan admin topic set キャリア "+c.arg)); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", c.arg, got, want)
		}
	}
	if got := e.Refused(bottest.Command("admin", "/soudan admin topic set キャリア remind=soon")); !strings.Contains(got, e.Kit.TL("ja", "calendar.error.bad_setting", "Setting", "remind=soon")) {
		t.Errorf("remind=soon: %q, want cannot read", got)
	}
	e.OK(bottest.Command("admin", "/soudan admin topic set キャリア remind=0"))
	if tp, _ := storetest.Read(e.St, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("キャリア") }); tp.RemindAfterHours != 0 || tp.CloseAfterDays != 30 {
		t.Errorf("after remind=0: %+v, want remind back to the default, close kept", tp)
	}
}
