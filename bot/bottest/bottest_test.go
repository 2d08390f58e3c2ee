package bottest_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
)

func TestSend(t *testing.T) {
	a := bottest.New("")
	ctx := t.Context()
	ch, err := a.Send(ctx, bot.Address{Channel: "#career"}, bot.Reply{Text: "新しい相談"})
	if err != nil {
		t.Fatal(err)
	}
	th, _ := a.Send(ctx, ch, bot.Reply{Text: "スレッドへ"})
	dm, _ := a.Send(ctx, bot.Address{User: "鈴木"}, bot.Reply{Text: "DM"})
	eph, _ := a.Send(ctx, bot.Address{Channel: "#career", User: "佐藤"}, bot.Reply{Text: "内緒", Ephemeral: true})

	wantAt := []bot.Address{
		{Platform: "test", Channel: "#career", Thread: "msg-1"},
		{Platform: "test", Channel: "#career", Thread: "msg-1"},
		{Platform: "test", Channel: "dm:鈴木", Thread: "msg-3", User: "鈴木"},
		{Platform: "test", Channel: "#career", Thread: "msg-4", User: "佐藤"},
	}
	if got := []bot.Address{ch, th, dm, eph}; !reflect.DeepEqual(got, wantAt) {
		t.Errorf("addresses:\n got %+v\nwant %+v", got, wantAt)
	}
	sent := a.Sent()
	if len(sent) != 4 || sent[1].ID != "msg-2" || !reflect.DeepEqual(sent[1].To, ch) || !reflect.DeepEqual(sent[1].At, th) || sent[1].Reply.Text != "スレッドへ" {
		t.Errorf("Sent() = %+v", sent)
	}
	var texts []string
	for _, d := range a.SentTo("鈴木") {
		texts = append(texts, d.Reply.Text)
	}
	for _, d := range a.SentTo("佐藤") {
		texts = append(texts, d.Reply.Text)
	}
	if strings.Join(texts, ",") != "DM,内緒" {
		t.Errorf("SentTo 鈴木 and 佐藤 = %q, want DM,内緒", texts)
	}
}

func TestSendErrors(t *testing.T) {
	a := bottest.New("slack")
	for _, to := range []bot.Address{{}, {Platform: "teams", Channel: "c"}} {
		if _, err := a.Send(t.Context(), to, bot.Reply{}); err == nil {
			t.Errorf("Send(%+v) succeeded, want an error", to)
		}
	}
	if _, err := a.Send(t.Context(), bot.Address{Platform: "slack", Channel: "C1"}, bot.Reply{}); err != nil {
		t.Errorf("Send on its own platform: %v", err)
	}
	if n := len(a.Sent()); n != 1 {
		t.Errorf("recorded %d deliveries, want 1", n)
	}
}

func TestDo(t *testing.T) {
	a := bottest.New("")
	rt := bot.NewRouter()
	rt.Post(func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		if _, err := r.Reply(ctx, bot.Reply{Title: "受付", Text: "相談を受け付けました", InThread: true,
			Fields: []bot.Field{{Label: "番号", Value: "12"}}, Buttons: []bot.Button{{ID: "x", Label: "取り消す"}}}); err != nil {
			return err
		}
		if _, err := a.Send(ctx, bot.Address{User: "鈴木"}, bot.Reply{Text: "新しい相談"}); err != nil {
			return err
		}
		return bot.OpenForm(ctx, r, bot.Form{ID: "f", Title: "詳細", Inputs: []bot.Input{{Name: "q", Label: "質問"}}, Errors: map[string]string{"q": "必須"}})
	})
	if _, err := a.Send(t.Context(), bot.Address{Channel: "#before"}, bot.Reply{}); err != nil {
		t.Fatal(err)
	}

	m := bottest.Post("佐藤", "#career", "質問です")
	turn := a.Do(t.Context(), rt, m)
	if turn.Err != nil {
		t.Fatalf("Err = %v", turn.Err)
	}
	if len(turn.Replies) != 2 || !turn.Replies[1].Ephemeral || turn.Replies[1].Form == nil {
		t.Errorf("Replies = %+v, want a reply and an ephemeral form", turn.Replies)
	}
	wantAt := []bot.Address{
		{Platform: "test", Workspace: "w", Channel: "#career", Thread: m.ID},
		{Platform: "test", Workspace: "w", Channel: "#career", Thread: "msg-4"},
	}
	if !reflect.DeepEqual(turn.Addresses, wantAt) {
		t.Errorf("Addresses:\n got %+v\nwant %+v", turn.Addresses, wantAt)
	}
	if len(turn.Sent) != 1 || turn.Sent[0].Reply.Text != "新しい相談" {
		t.Errorf("Sent = %+v, want only the send of this turn", turn.Sent)
	}
	want := "受付\n相談を受け付けました\n番号: 12\n取り消す\n詳細\n質問\n必須\n"
	if got := turn.Text(); got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
}

func TestDoRecordsError(t *testing.T) {
	a := bottest.New("")
	turn := a.Do(t.Context(), bot.NewRouter(), bottest.Command("佐藤", "/soudan nope"))
	if e, ok := bot.AsError(turn.Err); !ok || e.Code != bot.CodeUnknownCommand {
		t.Errorf("Err = %v, want %s", turn.Err, bot.CodeUnknownCommand)
	}
}

func TestDoReplyInDMThread(t *testing.T) {
	a := bottest.New("")
	d := dispatcherFunc(func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		_, err := r.Reply(ctx, bot.Reply{Text: "x", InThread: true})
		return err
	})
	turn := a.Do(t.Context(), d, bottest.DM("佐藤", "hi"))
	if got := turn.Addresses[0]; got.Channel != "dm:佐藤" || got.Thread != "msg-1" {
		t.Errorf("reply in a DM went to %+v, want the DM at top level", got)
	}
}

type dispatcherFunc func(context.Context, *bot.Message, bot.Responder) error

func (f dispatcherFunc) Dispatch(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return f(ctx, m, r)
}

func TestConcurrentSends(t *testing.T) {
	a := bottest.New("")
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			for range 10 {
				if _, err := a.Send(context.Background(), bot.Address{User: "u"}, bot.Reply{}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	ids := map[string]bool{}
	for _, d := range a.SentTo("u") {
		ids[d.ID] = true
	}
	if len(ids) != 100 {
		t.Errorf("got %d distinct ids, want 100", len(ids))
	}
}

func TestUsersAndLinks(t *testing.T) {
	a := bottest.New("")
	want := bot.User{ID: "U1", Name: "佐藤", Locale: "ja", TZ: "Asia/Tokyo"}
	a.AddUser(want)
	if got, err := a.LookupUser(t.Context(), "U1"); err != nil || got != want {
		t.Errorf("LookupUser = %+v, %v; want %+v", got, err, want)
	}
	if _, err := a.LookupUser(t.Context(), "U2"); !errors.Is(err, bottest.ErrUnknownUser) {
		t.Errorf("LookupUser(unknown) error = %v, want ErrUnknownUser", err)
	}
	for _, tt := range []struct {
		at   bot.Address
		want string
	}{
		{bot.Address{Channel: "#career", Thread: "msg-1"}, "test://#career/msg-1"},
		{bot.Address{Channel: "#career"}, "test://#career"},
		{bot.Address{User: "U1"}, "test://dm:U1"},
	} {
		if got, err := a.Permalink(t.Context(), tt.at); err != nil || got != tt.want {
			t.Errorf("Permalink(%+v) = %q, %v; want %q", tt.at, got, err, tt.want)
		}
	}
	if _, err := a.Permalink(t.Context(), bot.Address{}); err == nil {
		t.Error("Permalink(empty) succeeded, want an error")
	}
	if got, _ := a.UserLink(t.Context(), "U1"); got != "test://user/U1" {
		t.Errorf("UserLink = %q", got)
	}
	if _, err := a.UserLink(t.Context(), ""); err == nil {
		t.Error("UserLink(\"\") succeeded, want an error")
	}
}

func TestRunWaitsForContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := bottest.New("").Run(ctx, bot.NewRouter()); !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}
	if got := bottest.New("").Platform(); got != "test" {
		t.Errorf("Platform() = %q, want test", got)
	}
}
