package slack

import (
	"context"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

// reactionRun sends a reaction_added on the message ts in channel through
// the adapter, and returns the dispatched message; its handler replies
// InThread.
func reactionRun(t *testing.T, a *Adapter, eventID, channel, ts string) *bot.Message {
	t.Helper()
	got := make(chan *bot.Message, 1)
	d := dispatcherFunc(func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		_, err := r.Reply(ctx, bot.Reply{Text: "👀 見ました", InThread: true})
		got <- m
		return err
	})
	ev := callback(t, eventID, map[string]any{
		"type": "reaction_added", "user": "U1", "reaction": "eyes", "event_ts": "1700000009.000000",
		"item": map[string]any{"type": "message", "channel": channel, "ts": ts},
	})
	a.onEvent(context.Background(), d, ev, 0, func(error) {})
	select {
	case m := <-got:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("the reaction was not dispatched")
		return nil
	}
}

// TestReactionOnThreadReply: a reaction on a reply is addressed to the
// thread's root, names the reply in Action.Value, and is answered in that
// thread; the root is looked up once.
func TestReactionOnThreadReply(t *testing.T) {
	const root, reply = "1700000000.000100", "1700000000.000200"
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	f.AddReply("C1", reply, root)

	for i, id := range []string{"Ev1", "Ev2"} {
		m := reactionRun(t, a, id, "C1", reply)
		if m.Address.Thread != root || m.Action.Value != reply || m.Reaction != "eyes" {
			t.Errorf("reaction %d: got thread %q, value %q, reaction %q; want thread %q, value %q, eyes", i, m.Address.Thread, m.Action.Value, m.Reaction, root, reply)
		}
		posts := f.WaitCalls("chat.postMessage", i+1)
		if got := posts[i].Form.Get("thread_ts"); got != root {
			t.Errorf("reaction %d: reply in thread %q, want %q", i, got, root)
		}
	}
	calls := f.CallsOf("conversations.replies")
	if len(calls) != 1 {
		t.Fatalf("conversations.replies calls: got %d, want 1 (then cached)", len(calls))
	}
	if got := calls[0].Form; got.Get("channel") != "C1" || got.Get("ts") != reply || got.Get("limit") != "1" {
		t.Errorf("conversations.replies: got %v, want channel C1, ts %s, limit 1", got, reply)
	}
}

// TestReactionOnTopLevel: a reaction on a top-level message keeps it as
// the thread, and on a message the bot posted in a thread needs no
// lookup; a failed lookup keeps the reacted message as the thread.
func TestReactionOnTopLevel(t *testing.T) {
	const top = "1700000000.000100"
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)

	m := reactionRun(t, a, "Ev1", "C1", top)
	if m.Address.Thread != top || m.Action.Value != top {
		t.Errorf("top level: got thread %q, value %q; want %q for both", m.Address.Thread, m.Action.Value, top)
	}
	if got := f.WaitCalls("chat.postMessage", 1)[0].Form.Get("thread_ts"); got != top {
		t.Errorf("top level: reply in thread %q, want %q", got, top)
	}

	at, err := a.Send(context.Background(), bot.Address{Channel: "C2", Thread: top}, bot.Reply{Text: "スレッドで"})
	if err != nil {
		t.Fatal(err)
	}
	before := len(f.CallsOf("conversations.replies"))
	posts := f.CallsOf("chat.postMessage")
	own := posts[len(posts)-1].TS
	if m := reactionRun(t, a, "Ev2", "C2", own); m.Address.Thread != at.Thread || m.Action.Value != own {
		t.Errorf("the bot's reply: got thread %q, value %q; want %q, %q", m.Address.Thread, m.Action.Value, at.Thread, own)
	}
	if got := len(f.CallsOf("conversations.replies")); got != before {
		t.Errorf("conversations.replies calls for the bot's own reply: got %d, want none", got-before)
	}

	f.Refuse("conversations.replies", 1, "missing_scope")
	if m := reactionRun(t, a, "Ev3", "C3", top); m.Address.Thread != top {
		t.Errorf("failed lookup: got thread %q, want %q", m.Address.Thread, top)
	}
}
