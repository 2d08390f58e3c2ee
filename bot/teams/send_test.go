package teams

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/teams/teamsfake"
)

// TestSendDMCreatesConversation: a user who never wrote to the bot is
// reached by creating the 1:1 conversation with the tenant, once.
func TestSendDMCreatesConversation(t *testing.T) {
	e := newEnv(t, &recorder{})
	ctx := context.Background()
	at, err := e.a.Send(ctx, bot.Address{Platform: "teams", Workspace: teamsfake.Tenant, User: "29:new"}, bot.Reply{Text: "新しい相談です"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	calls := e.bf.Calls()
	if len(calls) != 2 {
		t.Fatalf("connector calls: got %d, want create + send: %+v", len(calls), calls)
	}
	create := calls[0]
	if create.Method != http.MethodPost || create.Path != "/v3/conversations" {
		t.Errorf("first call %s %s, want POST /v3/conversations", create.Method, create.Path)
	}
	if create.Body["tenantId"] != teamsfake.Tenant || create.Body["isGroup"] != false {
		t.Errorf("create body %+v: want the tenant, not a group", create.Body)
	}
	if bot := create.Body["bot"].(map[string]any); bot["id"] != teamsfake.BotID {
		t.Errorf("create bot %+v, want %s", bot, teamsfake.BotID)
	}
	if m := create.Body["members"].([]any); len(m) != 1 || m[0].(map[string]any)["id"] != "29:new" {
		t.Errorf("create members %+v, want 29:new", m)
	}
	if calls[1].Path != "/v3/conversations/a:dm-29:new/activities" || calls[1].Auth != "Bearer tok-1" {
		t.Errorf("send %s (auth %q), want the new DM with the token", calls[1].Path, calls[1].Auth)
	}
	if at.Channel != "a:dm-29:new" || at.Thread == "" || at.User != "29:new" || at.Workspace != teamsfake.Tenant {
		t.Errorf("address %+v", at)
	}
	if ref, ok := decodeRef(at.Ref); !ok || ref.Conversation.ConversationType != convPersonal || ref.User.ID != "29:new" {
		t.Errorf("ref %+v (ok %v), want the new personal conversation", ref, ok)
	}
	if _, err := e.a.Send(ctx, bot.Address{Platform: "teams", Workspace: teamsfake.Tenant, User: "29:new"}, bot.Reply{Text: "二通目"}); err != nil {
		t.Fatal(err)
	}
	if calls := e.bf.Calls(); len(calls) != 3 || calls[2].Path != "/v3/conversations/a:dm-29:new/activities" {
		t.Errorf("second DM: calls %+v, want one more send and no create", calls[2:])
	}
}

// TestSendDMWithStoredRef: after a restart, a reference kept by handlers
// (Address.Ref of a DM) reaches the user without creating anything.
func TestSendDMWithStoredRef(t *testing.T) {
	rc := &recorder{}
	e := newEnv(t, rc)
	m := e.one(rc, e.bf.DMActivity("d1", "29:tanaka", "田中", "hello"))
	fresh, err := New(e.a.opt) // a restarted adapter: nothing remembered
	if err != nil {
		t.Fatal(err)
	}
	at, err := fresh.Send(context.Background(), bot.Address{Platform: "teams", Workspace: teamsfake.Tenant, User: "29:tanaka", Ref: m.Address.Ref}, bot.Reply{Text: "リマインダー"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	calls := e.bf.Calls()
	if len(calls) != 1 || calls[0].Path != "/v3/conversations/a:dm-29:tanaka/activities" {
		t.Errorf("calls %+v, want one send into the stored DM", calls)
	}
	if at.Channel != "a:dm-29:tanaka" {
		t.Errorf("address channel %q", at.Channel)
	}
}

// TestSendChannel: a channel without a thread gets a new post (its id is
// the thread); a thread gets a reply in it.
func TestSendChannel(t *testing.T) {
	e := newEnv(t, &recorder{})
	ctx := context.Background()
	at, err := e.a.Send(ctx, bot.Address{Platform: "teams", Workspace: teamsfake.Tenant, Channel: teamsfake.Channel}, bot.Reply{Title: "お知らせ", Text: "本文"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	calls := e.bf.Calls()
	if len(calls) != 1 || calls[0].Path != "/v3/conversations" {
		t.Fatalf("calls %+v, want create conversation", calls)
	}
	if ch := calls[0].Body["channelData"].(map[string]any)["channel"].(map[string]any); ch["id"] != teamsfake.Channel {
		t.Errorf("channelData %+v", ch)
	}
	if calls[0].Body["activity"] == nil {
		t.Errorf("create conversation without the activity: %+v", calls[0].Body)
	}
	if at.Channel != teamsfake.Channel || at.Thread != "p1" {
		t.Errorf("address %+v, want thread p1", at)
	}
	at2, err := e.a.Send(ctx, bot.Address{Platform: "teams", Workspace: teamsfake.Tenant, Channel: teamsfake.Channel, Thread: at.Thread}, bot.Reply{Text: "続き"})
	if err != nil {
		t.Fatal(err)
	}
	calls = e.bf.Calls()
	if got, want := calls[1].Path, "/v3/conversations/"+teamsfake.Channel+";messageid=p1/activities"; got != want {
		t.Errorf("thread reply path %q, want %q", got, want)
	}
	if at2.Thread != "p1" {
		t.Errorf("thread reply address %+v, want thread p1", at2)
	}
}

// TestReplyInChannel: InThread on a top-level post replies in its thread;
// an ephemeral reply goes to the user's DM.
func TestReplyInChannel(t *testing.T) {
	var got []bot.Address
	rc := &recorder{fn: func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		a1, err := r.Reply(ctx, bot.Reply{Text: "受け付けました", InThread: true})
		if err != nil {
			return err
		}
		a2, err := r.Reply(ctx, bot.Reply{Text: "あなただけに", Ephemeral: true})
		got = append(got, a1, a2)
		return err
	}}
	e := newEnv(t, rc)
	e.one(rc, e.bf.ChannelActivity("c1", "", "29:tanaka", "田中", "相談です"))
	calls := e.bf.Calls()
	if len(calls) != 3 {
		t.Fatalf("calls %+v, want thread reply, create DM, DM", calls)
	}
	if want := "/v3/conversations/" + teamsfake.Channel + ";messageid=c1/activities"; calls[0].Path != want {
		t.Errorf("thread reply %q, want %q", calls[0].Path, want)
	}
	if got[0].Thread != "c1" || got[0].Channel != teamsfake.Channel {
		t.Errorf("thread reply address %+v", got[0])
	}
	if calls[1].Path != "/v3/conversations" || calls[2].Path != "/v3/conversations/a:dm-29:tanaka/activities" {
		t.Errorf("ephemeral: calls %s, %s; want a DM", calls[1].Path, calls[2].Path)
	}
	if got[1].Channel != "a:dm-29:tanaka" {
		t.Errorf("ephemeral address %+v, want the DM", got[1])
	}
}

// TestRetry429: a 429 is retried after Retry-After, then succeeds.
func TestRetry429(t *testing.T) {
	e := newEnv(t, &recorder{})
	e.bf.Throttle(2, "1")
	start := time.Now()
	if _, err := e.a.Send(context.Background(), bot.Address{Platform: "teams", Channel: "a:dm-29:x", Workspace: teamsfake.Tenant}, bot.Reply{Text: "x"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if took := time.Since(start); took < 2*time.Second {
		t.Errorf("took %v; want at least the 2×1s Retry-After asked", took)
	}
	if n := len(e.bf.Calls()); n != 3 {
		t.Errorf("connector calls: got %d, want 3 (two 429s, then success)", n)
	}
}

// TestRetry5xxAndGiveUp: 5xx answers are retried with backoff; when every
// try fails the error reaches the caller (nothing is dropped silently).
func TestRetry5xxAndGiveUp(t *testing.T) {
	e := newEnv(t, &recorder{}, func(o *Options) { o.Retry.Attempts = 3 })
	to := bot.Address{Platform: "teams", Channel: "a:dm-29:x", Workspace: teamsfake.Tenant}
	e.bf.Fail5xx(2)
	if _, err := e.a.Send(context.Background(), to, bot.Reply{Text: "x"}); err != nil {
		t.Fatalf("Send after two 502s: %v", err)
	}
	e.bf.Fail5xx(3)
	_, err := e.a.Send(context.Background(), to, bot.Reply{Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "502") {
		t.Errorf("Send after three 502s: got %v, want the 502", err)
	}
	if se, ok := bot.AsSendError(err); !ok || !se.Temporary {
		t.Errorf("Send after three 502s: got %#v, want a temporary SendError", err)
	}
	if n := len(e.bf.Calls()); n != 6 {
		t.Errorf("connector calls: got %d, want 3 + 3", n)
	}
}

// TestSendErrors: long Retry-After waits and refusals come back at once,
// as temporary (with the wait) and permanent SendErrors.
func TestSendErrors(t *testing.T) {
	e := newEnv(t, &recorder{})
	e.bf.Throttle(1, "3600")
	_, err := e.a.Send(context.Background(), bot.Address{Platform: "teams", Channel: "a:dm-29:x"}, bot.Reply{Text: "x"})
	if se, ok := bot.AsSendError(err); !ok || !se.Temporary || se.RetryAfter != time.Hour {
		t.Errorf("a 429 asking for an hour: got %#v, want temporary, retry after 1h", err)
	}
	_, err = e.a.Send(context.Background(), bot.Address{Platform: "teams", Channel: "a:dm-29:x", Thread: "m1"}, bot.Reply{Text: "x"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	_, err = e.a.Send(context.Background(), bot.Address{Platform: "slack", Channel: "C1"}, bot.Reply{Text: "x"})
	if se, ok := bot.AsSendError(err); !ok || se.Temporary {
		t.Errorf("a Slack address: got %#v, want a permanent SendError", err)
	}
	e.bf.ForgetMembers()
	_, err = e.a.LookupUser(context.Background(), "29:nobody")
	if !errors.Is(err, ErrUnknownUser) {
		t.Errorf("LookupUser of a stranger: got %v, want ErrUnknownUser", err)
	}
}

// TestTokenRefreshOn401: a 401 from the connector fetches a new token once.
func TestTokenRefreshOn401(t *testing.T) {
	e := newEnv(t, &recorder{})
	e.bf.Refuse401(1)
	if _, err := e.a.Send(context.Background(), bot.Address{Platform: "teams", Channel: "a:dm-29:x"}, bot.Reply{Text: "x"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	calls := e.bf.Calls()
	if len(calls) != 2 || calls[0].Auth != "Bearer tok-1" || calls[1].Auth != "Bearer tok-2" {
		t.Errorf("calls %+v, want a retry with a new token", calls)
	}
}

// TestTokenEndpointDown: with the token endpoint failing or unreachable a
// send fails with an error, never a panic, and works once it is back.
func TestTokenEndpointDown(t *testing.T) {
	e := newEnv(t, &recorder{}, func(o *Options) { o.Retry.Attempts = 2 })
	to := bot.Address{Platform: "teams", Channel: "a:dm-29:x"}
	e.bf.SetTokenDown(true)
	if _, err := e.a.Send(context.Background(), to, bot.Reply{Text: "x"}); err == nil || !strings.Contains(err.Error(), "token") {
		t.Errorf("Send with the token endpoint down: got %v, want a token error", err)
	}
	e.bf.SetTokenDown(false)
	if _, err := e.a.Send(context.Background(), to, bot.Reply{Text: "x"}); err != nil {
		t.Errorf("Send after the endpoint came back: %v", err)
	}
	unreachable := newEnv(t, &recorder{}, func(o *Options) {
		o.Endpoints.Token = "http://127.0.0.1:1/token"
		o.Retry.Attempts = 2
	})
	if _, err := unreachable.a.Send(context.Background(), to, bot.Reply{Text: "x"}); err == nil {
		t.Error("Send with an unreachable token endpoint: got no error")
	}
}

func TestRetryAfter(t *testing.T) {
	h := http.Header{}
	for _, tc := range []struct {
		v    string
		want time.Duration
	}{
		{"", 0}, {"3", 3 * time.Second}, {"-1", 0}, {"soon", 0},
		{teamsfake.Now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{teamsfake.Now.Add(-time.Hour).Format(http.TimeFormat), 0},
	} {
		h.Set("Retry-After", tc.v)
		if got := retryAfter(h, teamsfake.Now); got != tc.want {
			t.Errorf("Retry-After %q: got %v, want %v", tc.v, got, tc.want)
		}
	}
}

// TestUpdate replaces a message by its address.
func TestUpdate(t *testing.T) {
	e := newEnv(t, &recorder{})
	ctx := context.Background()
	at, err := e.a.Send(ctx, bot.Address{Platform: "teams", Workspace: teamsfake.Tenant, User: "29:u"}, bot.Reply{Text: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.a.Update(ctx, at, bot.Reply{Text: "v2"}); err != nil {
		t.Fatal(err)
	}
	calls := e.bf.Calls()
	last := calls[len(calls)-1]
	if last.Method != http.MethodPut || last.Path != "/v3/conversations/a:dm-29:u/activities/"+at.Thread {
		t.Errorf("update call %s %s", last.Method, last.Path)
	}
}
