package broadcast

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// broadcastNow is the fixed time of the broadcast tests: 2026-05-11 10:00 JST.
var broadcastNow = time.Date(2026, 5, 11, 1, 0, 0, 0, time.UTC)

// refusingSender refuses, permanently, every message to one user: a
// deactivated account.
type refusingSender struct {
	*bottest.Adapter
	user string
}

func (s refusingSender) Send(ctx context.Context, to bot.Address, r bot.Reply) (bot.Address, error) {
	if to.User == s.user {
		return bot.Address{}, &bot.SendError{Err: errors.New("user_disabled")}
	}
	return s.Adapter.Send(ctx, to, r)
}

// newBroadcastEnv is a people env whose users 佐藤 and 鈴木 work in 人事課,
// joined 2015 and 2020, and 退職者 is refused by the platform.
func newBroadcastEnv(t *testing.T) *testenv.Env {
	t.Helper()
	e := testenv.New(t, testenv.Options{Now: broadcastNow, Sender: func(ad *bottest.Adapter) bot.Sender { return refusingSender{ad, "退職者"} }})
	e.Register(New(e.Kit))
	e.DefaultTopic()
	e.Cmd("admin", "/soudan help")
	for _, p := range []struct {
		name, dept string
		year       int
	}{{"佐藤", "人事課", 2015}, {"鈴木", "人事課", 2020}, {"田中", "会計課", 2015}, {"退職者", "人事課", 2010}} {
		u, _, err := storetest.Write2(e.St, func(tx *store.Tx) (store.User, bool, error) {
			return tx.Users().Ensure(store.UserKey{Platform: "test", Workspace: bottest.Workspace, PlatformID: p.name}, p.name, "ja")
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
			return tx.Users().Update(u.ID, func(u *store.User) error { u.Department, u.JoinYear = p.dept, p.year; return nil })
		}); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func TestBroadcastShowsTheAudienceThenSendsAndReports(t *testing.T) {
	e := newBroadcastEnv(t)
	if f := e.Cmd("admin", "/soudan admin broadcast").Replies; len(f) != 1 || f[0].Form == nil || f[0].Form.ID != formBroadcast {
		t.Fatalf("/soudan admin broadcast = %+v, want the broadcast form", f)
	}
	turn := e.Submit("admin", formBroadcast, map[string]string{"message": "年末の窓口は12/28までです @channel", "audience": audDepartment, "target": "人事課"})
	if len(turn.Sent) != 0 {
		t.Fatalf("sent %d before the confirmation, want none", len(turn.Sent))
	}
	confirm := turn.Text()
	for _, want := range []string{"一斉送信 #1 の確認", "部署: 人事課", "送信数: 3件", "送信日時: すぐ", "送信する", "やめる"} {
		if !strings.Contains(confirm, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, confirm)
		}
	}
	if s := e.Submit("佐藤", formBroadcast, map[string]string{"message": "x", "audience": audEveryone}).Text(); !strings.Contains(s, "管理者のみ") {
		t.Errorf("a member's broadcast form: %q, want refused", s)
	}
	if s := e.Press("佐藤", actionBroadcastSend, "1").Text(); !strings.Contains(s, "管理者のみ") {
		t.Errorf("a member pressing send: %q, want refused", s)
	}

	turn = e.Press("admin", actionBroadcastSend, "1")
	if !strings.Contains(turn.Text(), "送信を始めました") {
		t.Errorf("send = %q", turn.Text())
	}
	got := map[string]string{}
	var report string
	for _, d := range turn.Sent {
		if d.To.User == "admin" {
			report = deliveredTextOf(d)
			continue
		}
		got[d.To.User] = d.Reply.Title + " " + d.Reply.Text
	}
	if len(got) != 2 || !strings.HasPrefix(got["佐藤"], "📢 お知らせ 年末の窓口は12/28までです") || got["鈴木"] == "" {
		t.Errorf("delivered %v, want 佐藤 and 鈴木 (人事課)", got)
	}
	if strings.Contains(got["佐藤"], "@channel") {
		t.Errorf("the broadcast carries a live @channel: %q", got["佐藤"])
	}
	for _, want := range []string{"一斉送信 #1 の配信結果（完了）", "送信済み: 2", "失敗: 1", "退職者さん: send failed (permanent): user_disabled"} {
		if !strings.Contains(report, want) {
			t.Errorf("report to the sender lacks %q:\n%s", want, report)
		}
	}
	if s := e.Press("admin", actionBroadcastSend, "1").Text(); !strings.Contains(s, "確認待ちではありません") {
		t.Errorf("second send = %q, want refused: nothing is sent twice", s)
	}
	if status := e.Cmd("admin", "/soudan admin broadcast status").Text(); !strings.Contains(status, "#1 [完了] 2/3件") {
		t.Errorf("status = %q", status)
	}
}

func TestBroadcastFormRefusesBadInput(t *testing.T) {
	e := newBroadcastEnv(t)
	for _, tc := range []struct {
		form  map[string]string
		field string
	}{
		{map[string]string{"message": " ", "audience": audEveryone}, "message"},
		{map[string]string{"message": "x", "audience": audJoinYear, "target": "昔"}, "target"},
		{map[string]string{"message": "x", "audience": audDepartment, "target": "広報課"}, "target"},
		{map[string]string{"message": "x", "audience": audTopic, "target": "ない"}, "target"},
		{map[string]string{"message": "x", "audience": "all"}, "audience"},
		{map[string]string{"message": "x", "audience": audEveryone, "schedule": "2026-05-01 09:00"}, "schedule"},
		{map[string]string{"message": "x", "audience": audEveryone, "schedule": "明日"}, "schedule"},
	} {
		turn := e.Submit("admin", formBroadcast, tc.form)
		if len(turn.Replies) != 1 || turn.Replies[0].Form == nil || turn.Replies[0].Form.Errors[tc.field] == "" {
			t.Errorf("%v: replies %+v, want the form again with an error on %s", tc.form, turn.Replies, tc.field)
		}
	}
	if bs, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.OutboxBatch, error) { return tx.Outbox().Batches(batchBroadcast, 10) }); len(bs) != 0 {
		t.Errorf("refused forms stored %d broadcasts, want 0", len(bs))
	}
}

func TestScheduledBroadcastCanBeCancelled(t *testing.T) {
	e := newBroadcastEnv(t)
	// peopleNow is 2026-05-11 10:00 in Tokyo.
	turn := e.Submit("admin", formBroadcast, map[string]string{"message": "研修のお知らせ", "audience": audJoinYear, "target": "２０１５", "schedule": "2026/05/11 15:00"})
	if !strings.Contains(turn.Text(), "入職年: 2015〜2015") || !strings.Contains(turn.Text(), "送信数: 2件") || !strings.Contains(turn.Text(), "2026-05-11 15:00") {
		t.Fatalf("confirmation = %q, want 2 who joined in 2015 at 15:00", turn.Text())
	}
	turn = e.Press("admin", actionBroadcastSend, "1")
	if !strings.Contains(turn.Text(), "2026-05-11 15:00 に送信します") || len(turn.Sent) != 0 {
		t.Fatalf("send = %q with %d sent, want scheduled and nothing sent yet", turn.Text(), len(turn.Sent))
	}
	turn = e.Cmd("admin", "/soudan admin broadcast cancel 1")
	if !strings.Contains(turn.Text(), "未送信 2件を取り消し") || !strings.Contains(turn.Text(), "中止: 2") {
		t.Errorf("cancel = %q", turn.Text())
	}
	if b, _ := storetest.Read(e.St, func(tx *store.Tx) (store.OutboxBatch, error) { return tx.Outbox().Batch(1) }); b.Status != store.BatchCancelled || b.Counts.Cancelled != 2 {
		t.Errorf("batch = %+v, want cancelled", b)
	}
	if s := e.Cmd("admin", "/soudan admin broadcast cancel 9").Text(); !strings.Contains(s, "一斉送信 #9 はありません") {
		t.Errorf("cancel 9 = %q, want refused", s)
	}
}

func TestBroadcastToAChannelOrATopicsMentors(t *testing.T) {
	e := newBroadcastEnv(t)
	e.Topic("キャリア")
	sato, _ := storetest.Read(e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().ByKey(store.UserKey{Platform: "test", Workspace: bottest.Workspace, PlatformID: "佐藤"})
	})
	tp, _ := storetest.Read(e.St, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("キャリア") })
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.Mentor, error) {
		return tx.Mentors().Put(store.Mentor{UserID: sato.ID, Topics: []uint64{tp.ID}})
	}); err != nil {
		t.Fatal(err)
	}
	if s := e.Submit("admin", formBroadcast, map[string]string{"message": "メンター会議", "audience": audTopic, "target": "キャリア"}).Text(); !strings.Contains(s, "テーマ「キャリア」のメンター") || !strings.Contains(s, "送信数: 1件") {
		t.Errorf("topic audience: %q", s)
	}
	if s := e.Submit("admin", formBroadcast, map[string]string{"message": "全体連絡", "audience": audChannel, "target": "#general"}).Text(); !strings.Contains(s, "チャンネル #general") || !strings.Contains(s, "送信数: 1件") {
		t.Errorf("channel audience: %q", s)
	}
	turn := e.Press("admin", actionBroadcastSend, "2")
	var inChannel bool
	for _, d := range turn.Sent {
		inChannel = inChannel || d.To.Channel == "#general" && d.Reply.Text == "全体連絡"
	}
	if !inChannel {
		t.Errorf("channel broadcast went to %v, want #general", testenv.Recipients(turn.Sent))
	}
	e.Press("admin", actionBroadcastDiscard, "1")
	if b, _ := storetest.Read(e.St, func(tx *store.Tx) (store.OutboxBatch, error) { return tx.Outbox().Batch(1) }); b.Status != store.BatchCancelled {
		t.Errorf("discarded draft is %s, want cancelled", b.Status)
	}
}

// deliveredTextOf is one delivery's words.
func deliveredTextOf(d bottest.Delivery) string { return testenv.DeliveredText([]bottest.Delivery{d}) }

// TestBroadcastToADepartmentAlias: a department named by an alias reaches
// its members, whether their profile names it or the alias, and the
// confirmation names it canonically; a name of no listed department is
// refused as such.
func TestBroadcastToADepartmentAlias(t *testing.T) {
	e := newBroadcastEnv(t)
	if err := e.St.Update(func(tx *store.Tx) error {
		_, err := tx.Departments().Create(store.Department{Name: "人事課", Aliases: []string{"人事"}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	uid := e.User("鈴木").ID
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(uid, func(u *store.User) error { u.Department = "人事"; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	turn := e.Submit("admin", formBroadcast, map[string]string{"message": "お知らせ", "audience": audDepartment, "target": "人事"})
	confirm := turn.Text()
	for _, want := range []string{"部署: 人事課", "送信数: 3件"} {
		if !strings.Contains(confirm, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, confirm)
		}
	}
	turn = e.Submit("admin", formBroadcast, map[string]string{"message": "x", "audience": audDepartment, "target": "広報課"})
	if len(turn.Replies) != 1 || turn.Replies[0].Form == nil || turn.Replies[0].Form.Errors["target"] != e.Kit.TL("ja", "broadcast.error.no_department", "Name", "広報課") {
		t.Errorf("an unknown department: got %+v, want the form saying there is no such department", turn.Replies)
	}
}
