package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

// dispatcherFunc is a Dispatcher from a function.
type dispatcherFunc func(ctx context.Context, m *bot.Message, r bot.Responder) error

func (f dispatcherFunc) Dispatch(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return f(ctx, m, r)
}

var answerForm = bot.Form{ID: "consult.answer", Value: "7", Title: "回答", Inputs: []bot.Input{{Name: "answer", Label: "回答", Kind: bot.InputTextarea, Required: true}}}

func TestReplyWhereTheEventCameFrom(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	ctx := context.Background()
	post := &turn{a: a, o: origin{team: slackfake.Team, user: "U1", channel: "C1", source: "1700000000.000100"}}

	at, err := post.Reply(ctx, bot.Reply{Text: "受け付けました", InThread: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.CallsOf("chat.postMessage")[0].Form.Get("thread_ts"); got != "1700000000.000100" || at.Thread != got || at.Channel != "C1" {
		t.Errorf("InThread on a channel post: thread_ts %q, address %+v; want the post's thread", got, at)
	}

	at, err = post.Reply(ctx, bot.Reply{Text: "あなただけに", Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	eph := f.CallsOf("chat.postEphemeral")
	if len(eph) != 1 || eph[0].Form.Get("user") != "U1" || eph[0].Form.Get("channel") != "C1" || at.Thread != "" {
		t.Errorf("ephemeral: %d calls, address %+v; want one to U1 in C1 and no thread", len(eph), at)
	}

	dm := &turn{a: a, o: origin{team: slackfake.Team, user: "U1", channel: "D1", direct: true, source: "1700000000.000300"}}
	at, _ = dm.Reply(ctx, bot.Reply{Text: "DM では普通に", Ephemeral: true, InThread: true})
	last := f.CallsOf("chat.postMessage")
	if c := last[len(last)-1]; c.Form.Get("channel") != "D1" || c.Form.Get("thread_ts") != "" || at.Thread != c.TS {
		t.Errorf("ephemeral in a DM: posted to %q thread %q, address %+v; want a plain top-level DM", c.Form.Get("channel"), c.Form.Get("thread_ts"), at)
	}

	// A channel the bot cannot post in: the reply goes to the sender's DM.
	f.Refuse("chat.postMessage", 1, "not_in_channel")
	at, err = post.Reply(ctx, bot.Reply{Text: "届かない"})
	if err != nil || at.Channel != "D1" {
		t.Errorf("unreachable channel: address %+v, err %v; want the DM D1", at, err)
	}
}

func TestSend(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	ctx := context.Background()
	at, err := a.Send(ctx, bot.Address{Platform: bot.PlatformSlack, Workspace: slackfake.Team, User: "U7"}, bot.Reply{Text: "DM です"})
	if err != nil {
		t.Fatal(err)
	}
	c := f.CallsOf("chat.postMessage")[0]
	if c.Form.Get("channel") != "U7" || at.Channel != "D7" || at.Thread != c.TS || at.Workspace != slackfake.Team {
		t.Errorf("DM: posted to %q, address %+v; want posted to the user id, address in D7 rooted at %s", c.Form.Get("channel"), at, c.TS)
	}
	at, _ = a.Send(ctx, bot.Address{Channel: "D7", Thread: at.Thread}, bot.Reply{Text: "続き"})
	if c := f.CallsOf("chat.postMessage")[1]; c.Form.Get("thread_ts") != at.Thread || at.Channel != "D7" {
		t.Errorf("thread reply: %v -> %+v", c.Form, at)
	}
	if _, err := a.Send(ctx, bot.Address{Channel: "C1", User: "U7"}, bot.Reply{Text: "you", Ephemeral: true}); err != nil || len(f.CallsOf("chat.postEphemeral")) != 1 {
		t.Errorf("ephemeral send: %v, %d ephemeral calls", err, len(f.CallsOf("chat.postEphemeral")))
	}
	if _, err := a.Send(ctx, bot.Address{Platform: bot.PlatformTeams, User: "x"}, bot.Reply{}); err == nil {
		t.Errorf("send to a Teams address: want an error")
	}
	if _, err := a.Send(ctx, bot.Address{}, bot.Reply{}); err == nil {
		t.Errorf("send to an empty address: want an error")
	}
	if err := a.Update(ctx, bot.Address{Channel: "C1", Thread: "1700000000.000001"}, bot.Reply{Text: "更新"}); err != nil || len(f.CallsOf("chat.update")) != 1 {
		t.Errorf("update: %v", err)
	}
}

// TestFormWithoutTrigger: a form opened from a plain message is posted as
// a message with a button; pressing it opens the modal, whose submission
// replies where the form was posted.
func TestFormWithoutTrigger(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	ctx := context.Background()
	post := &turn{a: a, o: origin{team: slackfake.Team, user: "U1", channel: "C1", thread: "1700000000.000001", source: "1700000000.000002"}}
	if err := post.OpenForm(ctx, answerForm); err != nil {
		t.Fatal(err)
	}
	eph := f.CallsOf("chat.postEphemeral")
	if len(eph) != 1 || !strings.Contains(eph[0].Form.Get("blocks"), actionOpenForm) {
		t.Fatalf("want the form posted to U1 alone with an open button; got %d ephemeral posts", len(eph))
	}
	var blocks []map[string]any
	_ = json.Unmarshal([]byte(eph[0].Form.Get("blocks")), &blocks)
	key := ""
	for _, b := range blocks {
		if els, ok := b["elements"].([]any); ok {
			key = els[0].(map[string]any)["value"].(string)
		}
	}
	var dispatched []*bot.Message
	var mu sync.Mutex
	d := dispatcherFunc(func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		mu.Lock()
		dispatched = append(dispatched, m)
		mu.Unlock()
		return nil
	})
	press := slack.InteractionCallback{Type: slack.InteractionTypeBlockActions, TriggerID: "trg-9", User: slack.User{ID: "U1"}, Team: slack.Team{ID: slackfake.Team}}
	press.ActionCallback.BlockActions = []*slack.BlockAction{{ActionID: actionOpenForm, Value: key}}
	press.Container = slack.Container{Type: "message", ChannelID: "C1", MessageTs: "1700000000.000003", IsEphemeral: true}
	work := context.Background()
	if ack, _ := a.onInteraction(work, d, press); ack != nil {
		t.Errorf("ack of a press = %v, want none", ack)
	}
	opened := f.WaitCalls("views.open", 1)[0]
	var meta formMeta
	view := opened.JSON["view"].(map[string]any)
	_ = json.Unmarshal([]byte(view["private_metadata"].(string)), &meta)
	if opened.JSON["trigger_id"] != "trg-9" || meta.Form != "consult.answer" || meta.Channel != "C1" || meta.Thread != "1700000000.000001" {
		t.Errorf("modal opened with trigger %v and metadata %+v; want trg-9 and the form's origin", opened.JSON["trigger_id"], meta)
	}

	// A forgotten form (after a restart) is dispatched, for the router to
	// call it stale.
	press.TriggerID = "trg-10"
	press.ActionCallback.BlockActions = []*slack.BlockAction{{ActionID: actionOpenForm, Value: "gone"}}
	a.onInteraction(work, d, press)
	slackfake.WaitUntil(t, "stale press dispatched", func() bool { mu.Lock(); defer mu.Unlock(); return len(dispatched) == 1 })
	if dispatched[0].Action.ID != actionOpenForm {
		t.Errorf("dispatched %+v, want the open-form action", dispatched[0].Action)
	}
	a.inflight.Wait()
}

// TestOpenFormTrigger: the first form of a command opens with its trigger;
// a failed views.open or a second form falls back to a message.
func TestOpenFormTrigger(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	ctx := context.Background()
	cmd := &turn{a: a, o: origin{team: slackfake.Team, user: "U1", channel: "D1", direct: true, trigger: "trg-1"}}
	if err := cmd.OpenForm(ctx, answerForm); err != nil {
		t.Fatal(err)
	}
	if err := cmd.OpenForm(ctx, answerForm); err != nil {
		t.Fatal(err)
	}
	if n, m := len(f.CallsOf("views.open")), len(f.CallsOf("chat.postMessage")); n != 1 || m != 1 {
		t.Errorf("two forms with one trigger: %d modals and %d posts, want 1 and 1", n, m)
	}
	f.Refuse("views.open", 1, "expired_trigger_id")
	late := &turn{a: a, o: origin{team: slackfake.Team, user: "U1", channel: "D1", direct: true, trigger: "trg-2"}}
	if err := late.OpenForm(ctx, answerForm); err != nil {
		t.Fatal(err)
	}
	if m := len(f.CallsOf("chat.postMessage")); m != 2 {
		t.Errorf("expired trigger: %d posts, want the form posted (2)", m)
	}
}

// TestSubmissionAnswers: the answer a view submission is acknowledged with.
func TestSubmissionAnswers(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	// A handler that is done is acknowledged at once; one still running is
	// waited for up to viewAckWait. The two are told apart with a wide
	// margin, so a loaded machine cannot blur them.
	a.viewAckWait = 2 * time.Second
	v, _ := modal(answerForm, origin{channel: "D1", direct: true})
	submit := func(trigger string, d dispatcherFunc) any {
		ic := slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, TriggerID: trigger, User: slack.User{ID: "U1"},
			View: slack.View{CallbackID: modalCallback, PrivateMetadata: v.PrivateMetadata, State: &slack.ViewState{}}}
		reply, _ := a.onInteraction(context.Background(), d, ic)
		return reply
	}
	withErrors := answerForm
	withErrors.Errors = map[string]string{"answer": "入力してください"}
	got := submit("t1", func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		return bot.OpenForm(ctx, r, withErrors)
	})
	if resp, ok := got.(*slack.ViewSubmissionResponse); !ok || resp.ResponseAction != slack.RAErrors || resp.Errors["answer"] != "入力してください" {
		t.Errorf("same form with errors: ack %+v, want response_action errors", got)
	}
	next := bot.Form{ID: "consult.resolve", Title: "解決"}
	got = submit("t2", func(ctx context.Context, m *bot.Message, r bot.Responder) error { return bot.OpenForm(ctx, r, next) })
	if resp, ok := got.(*slack.ViewSubmissionResponse); !ok || resp.ResponseAction != slack.RAUpdate || resp.View == nil || resp.View.Title.Text != "解決" {
		t.Errorf("another form: ack %+v, want response_action update with it", got)
	}
	start := time.Now()
	if got = submit("t3", func(context.Context, *bot.Message, bot.Responder) error { return nil }); got != nil || time.Since(start) > time.Second {
		t.Errorf("handled: ack %v after %v; want none, at once", got, time.Since(start))
	}
	release := make(chan struct{})
	if got = submit("t4", func(context.Context, *bot.Message, bot.Responder) error { <-release; return nil }); got != nil {
		t.Errorf("slow handler: ack %v, want none after the wait", got)
	}
	close(release)
	if got = submit("t1", func(context.Context, *bot.Message, bot.Responder) error {
		t.Error("a repeated submission was dispatched")
		return nil
	}); got != nil {
		t.Errorf("repeated submission: ack %v, want none", got)
	}
	a.inflight.Wait()
}

func TestHomeTurnPublishes(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	home := &turn{a: a, o: origin{team: slackfake.Team, user: "U1", channel: "D1", direct: true, home: true}}
	if _, err := home.Reply(context.Background(), bot.Reply{Title: "ホーム", Buttons: []bot.Button{{ID: "home.ask", Label: "相談する"}}}); err != nil {
		t.Fatal(err)
	}
	pub := f.CallsOf("views.publish")
	if len(pub) != 1 || pub[0].JSON["user_id"] != "U1" || len(f.CallsOf("chat.postMessage")) != 0 {
		t.Fatalf("home reply: %d publishes, %d posts; want one publish to U1 and no post", len(pub), len(f.CallsOf("chat.postMessage")))
	}
	if b, _ := json.Marshal(pub[0].JSON["view"]); !strings.Contains(string(b), `"action_id":"home.ask"`) {
		t.Errorf("home view lacks its button: %s", b)
	}
}

func TestLinksAndUsers(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	ctx := context.Background()
	if got, err := a.UserLink(ctx, "U5"); err != nil || got != "https://soudan-test.slack.com/team/U5" {
		t.Errorf("UserLink = %q, %v", got, err)
	}
	if got, err := a.Permalink(ctx, bot.Address{Channel: "C1", Thread: "1700000000.000100"}); err != nil || got != "https://soudan-test.slack.com/archives/C1/p1700000000000100" {
		t.Errorf("Permalink = %q, %v", got, err)
	}
	if got, _ := a.Permalink(ctx, bot.Address{Channel: "C1"}); got != "https://soudan-test.slack.com/archives/C1" {
		t.Errorf("Permalink of a channel = %q", got)
	}
	f.AddUser("U5", "鈴木", "ja-JP", "Asia/Tokyo")
	f.AddUser("U6", "Smith", "en-GB", "Europe/London")
	for range 3 {
		u, err := a.LookupUser(ctx, "U5")
		if err != nil || u != (bot.User{ID: "U5", Name: "鈴木", Locale: "ja", TZ: "Asia/Tokyo"}) {
			t.Errorf("LookupUser(U5) = %+v, %v", u, err)
		}
	}
	if u, _ := a.LookupUser(ctx, "U6"); u.Locale != "en" || u.Name != "Smith" {
		t.Errorf("LookupUser(U6) = %+v, want locale en", u)
	}
	if n := len(f.CallsOf("users.info")); n != 2 {
		t.Errorf("users.info called %d times, want 2 (cached)", n)
	}
	if _, err := a.LookupUser(ctx, "U404"); err == nil {
		t.Errorf("unknown user: want an error")
	}
}

// TestDelivered: a message sent with a delivery key is found again in its
// conversation (top level and thread), one never sent is not.
func TestDelivered(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	ctx := context.Background()
	dm, err := a.Send(ctx, bot.Address{User: "U7"}, bot.Reply{Text: "カード", Key: "k-1"})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := a.Send(ctx, bot.Address{Channel: dm.Channel, Thread: dm.Thread}, bot.Reply{Text: "スレッド内", Key: "k-2"})
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := newTestAdapter(t, f) // a restarted bot: no DM channels remembered
	tests := []struct {
		name  string
		to    bot.Address
		key   string
		want  bot.Address
		found bool
	}{
		{"DM by user", bot.Address{User: "U7"}, "k-1", dm, true},
		{"thread reply", bot.Address{Channel: dm.Channel, Thread: dm.Thread}, "k-2", reply, true},
		{"never sent", bot.Address{User: "U7"}, "k-3", bot.Address{}, false},
		{"no key", bot.Address{User: "U7"}, "", bot.Address{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, found, err := fresh.Delivered(ctx, tt.to, tt.key)
			if err != nil || found != tt.found || at.Channel != tt.want.Channel || at.Thread != tt.want.Thread {
				t.Errorf("Delivered = %+v, %t, %v; want %+v, %t", at, found, err, tt.want, tt.found)
			}
		})
	}
	if n := len(f.CallsOf("conversations.open")); n != 1 {
		t.Errorf("conversations.open called %d times, want 1 (then remembered)", n)
	}
}

// TestDeliveredBehindManyMessages: a message in doubt is found behind
// more messages than one page of history holds (the conversation went on
// before the check: other streams, people). One page of 100 missed it,
// and the outbox posted it again.
func TestDeliveredBehindManyMessages(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	ctx := context.Background()
	card, err := a.Send(ctx, bot.Address{User: "U7"}, bot.Reply{Text: "カード", Key: "in-doubt"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 450 {
		if _, err := a.Send(ctx, bot.Address{User: "U7"}, bot.Reply{Text: fmt.Sprintf("次 %d", i), Key: fmt.Sprintf("next-%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	fresh, _ := newTestAdapter(t, f)
	at, found, err := fresh.Delivered(ctx, bot.Address{User: "U7"}, "in-doubt")
	if err != nil || !found || at.Channel != card.Channel || at.Thread != card.Thread {
		t.Errorf("Delivered(behind 450 messages) = %+v, %t, %v; want %+v, true", at, found, err, card)
	}
	if _, found, err := fresh.Delivered(ctx, bot.Address{User: "U7"}, "never"); found || err != nil {
		t.Errorf("Delivered(never sent) = %t, %v; want false, nil", found, err)
	}
	if n := len(f.CallsOf("conversations.history")); n != 3+3 {
		t.Errorf("conversations.history called %d times, want 3 pages per look", n)
	}
}

// TestSendErrors: refusals are permanent send errors; a rate limit that
// outlasts the send's context is a temporary one with its Retry-After.
func TestSendErrors(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	f.Refuse("chat.postMessage", 1, "channel_not_found")
	_, err := a.Send(context.Background(), bot.Address{Channel: "C404"}, bot.Reply{Text: "x"})
	if se, ok := bot.AsSendError(err); !ok || se.Temporary {
		t.Errorf("channel_not_found: %v, want a permanent SendError", err)
	}
	f.Fail("chat.postMessage", 5, 429, "7")
	ctx, cancel := context.WithCancel(context.Background())
	a.sleep = func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }
	_, err = a.Send(ctx, bot.Address{Channel: "C1"}, bot.Reply{Text: "x"})
	if se, ok := bot.AsSendError(err); !ok || !se.Temporary || se.RetryAfter != 7*time.Second {
		t.Errorf("rate limited past the context: %v, want a temporary SendError after 7s", err)
	}
}
