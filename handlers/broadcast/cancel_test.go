package broadcast

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// english switches the admin's language to English.
func english(t *testing.T, e *testenv.Env) {
	t.Helper()
	uid := e.Known("admin").ID
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(uid, func(u *store.User) error { u.Locale = "en"; return nil })
	}); err != nil {
		t.Fatal(err)
	}
}

func TestScheduledBroadcastShowsItsTime(t *testing.T) {
	e := newBroadcastEnv(t)
	e.Submit("admin", formBroadcast, map[string]string{"message": "研修のお知らせ", "audience": audJoinYear, "target": "2015", "schedule": "2026/05/11 15:00"})
	e.Press("admin", actionBroadcastSend, "1")
	if s := e.Cmd("admin", "/soudan admin broadcast status").Text(); !strings.Contains(s, "#1 [予約 2026-05-11 15:00]") || strings.Contains(s, "送信中") {
		t.Errorf("status = %q, want #1 [予約 2026-05-11 15:00]", s)
	}
	if s := e.Cmd("admin", "/soudan admin broadcast status 1").Text(); !strings.Contains(s, "予約 2026-05-11 15:00") {
		t.Errorf("status 1 = %q, want the scheduled time", s)
	}
	english(t, e)
	if s := e.CmdEN("admin", "/soudan admin broadcast status").Text(); !strings.Contains(s, "scheduled for 2026-05-11 15:00") {
		t.Errorf("English status = %q, want scheduled for the time", s)
	}
}

func TestCancellingAFinishedBroadcastSaysSoAndAuditsNothing(t *testing.T) {
	e := newBroadcastEnv(t)
	audits := func() int {
		t.Helper()
		es := storetest.View(t, e.St, func(tx *store.Tx) ([]store.AuditEntry, error) { return tx.AuditLog(100) })
		return len(es)
	}
	// #1 is sent and done; #2 is scheduled, then cancelled.
	e.Submit("admin", formBroadcast, map[string]string{"message": "お知らせ", "audience": audDepartment, "target": "会計課"})
	e.Press("admin", actionBroadcastSend, "1")
	e.Submit("admin", formBroadcast, map[string]string{"message": "研修", "audience": audJoinYear, "target": "2015", "schedule": "2026/05/11 15:00"})
	e.Press("admin", actionBroadcastSend, "2")
	if s := e.Cmd("admin", "/soudan admin broadcast cancel 2").Text(); !strings.Contains(s, "中止しました") {
		t.Fatalf("cancel 2 = %q, want cancelled", s)
	}
	before := audits()

	for _, tc := range []struct{ lang, line, want string }{
		{"ja", "/soudan admin broadcast cancel 1", "一斉送信 #1 はすでに送信が完了しています"},
		{"ja", "/soudan admin broadcast cancel 2", "一斉送信 #2 はすでに中止されています"},
		{"en", "/soudan admin broadcast cancel 1", "Broadcast #1 is already complete"},
		{"en", "/soudan admin broadcast cancel 2", "Broadcast #2 is already cancelled"},
	} {
		if tc.lang == "en" {
			english(t, e)
		}
		turn := e.Cmd("admin", tc.line)
		if s := turn.Text(); !strings.Contains(s, tc.want) || strings.Contains(s, "中止しました") || strings.Contains(s, "stopped") {
			t.Errorf("%s %q = %q, want %q", tc.lang, tc.line, s, tc.want)
		}
	}
	if n := audits(); n != before {
		t.Errorf("audit log grew from %d to %d lines, want no line for cancelling what was finished", before, n)
	}
}
