package console_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/soudan/soudan/bot"
)

// replyAll answers every message with each of rs and records the
// addresses Reply returned.
type replyAll struct {
	recorder
	rs    []bot.Reply
	addrs []bot.Address
}

func newReplyAll(rs ...bot.Reply) *replyAll {
	d := &replyAll{rs: rs}
	d.reply = func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		for _, rep := range d.rs {
			at, err := r.Reply(ctx, rep)
			if err != nil {
				return err
			}
			d.addrs = append(d.addrs, at)
		}
		return nil
	}
	return d
}

func dmAddr(user, thread string) bot.Address {
	return bot.Address{Platform: "console", Workspace: "console", Channel: "dm:" + user, User: user, Thread: thread}
}

func chAddr(channel, thread string) bot.Address {
	return bot.Address{Platform: "console", Workspace: "console", Channel: channel, Thread: thread}
}

func TestReply(t *testing.T) {
	tests := []struct {
		name   string
		script string
		reply  bot.Reply
		out    string
		at     bot.Address
	}{
		{"DM post", "相談です\n", bot.Reply{Text: "受け付けました"},
			lines("[佐藤 → DM] m1", "  相談です", "[→ DM 佐藤] m2", "  受け付けました"), dmAddr("佐藤", "m2")},
		{"DM post in thread asks no thread", "相談です\n", bot.Reply{Text: "はい", InThread: true},
			lines("[佐藤 → DM] m1", "  相談です", "[→ DM 佐藤] m2", "  はい"), dmAddr("佐藤", "m2")},
		{"channel post", ":in #career\n質問\n", bot.Reply{Text: "はい"},
			lines("[佐藤 → #career] m1", "  質問", "[→ #career] m2", "  はい"), chAddr("#career", "m2")},
		{"channel post in thread", ":in #career\n質問\n", bot.Reply{Text: "はい", InThread: true, Anchor: "12"},
			lines("[佐藤 → #career] m1", "  質問", "[→ #career › m1] m2 (#12)", "  はい"), chAddr("#career", "m1")},
		{"post in a thread", ":in #career\n質問\n:thread m1\n補足\n", bot.Reply{Text: "はい", Anchor: "#7"},
			lines("[佐藤 → #career] m1", "  質問", "[→ #career] m2 (#7)", "  はい",
				"[佐藤 → #career › m1] m3", "  補足", "[→ #career › m1] m4 (#7)", "  はい"), chAddr("#career", "m1")},
		{"command in thread asks no thread", ":in #career\n/soudan mine\n", bot.Reply{Text: "一覧", InThread: true},
			lines("[佐藤 → #career] /soudan mine", "[→ #career] m1", "  一覧"), chAddr("#career", "m1")},
		{"ephemeral in channel", ":in #career\n/soudan mine\n", bot.Reply{Text: "あなただけ", Ephemeral: true},
			lines("[佐藤 → #career] /soudan mine", "[→ 佐藤 only, #career] m1", "  あなただけ"), chAddr("#career", "m1")},
		{"ephemeral in DM", "/soudan mine\n", bot.Reply{Text: "あなただけ", Ephemeral: true},
			lines("[佐藤 → DM] /soudan mine", "[→ 佐藤 only, DM] m1", "  あなただけ"), dmAddr("佐藤", "m1")},
		{"ephemeral in thread", ":in #career\nq\n:thread m1\n/soudan mine\n", bot.Reply{Text: "x", Ephemeral: true},
			lines("[佐藤 → #career] m1", "  q", "[→ 佐藤 only, #career] m2", "  x",
				"[佐藤 → #career › m1] /soudan mine", "[→ 佐藤 only, #career › m1] m3", "  x"), chAddr("#career", "m1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newReplyAll(tt.reply)
			checkOutput(t, run(t, tt.script, d), tt.out)
			if len(d.addrs) == 0 {
				t.Fatal("Reply was never called")
			}
			if got := d.addrs[len(d.addrs)-1]; !reflect.DeepEqual(got, tt.at) {
				t.Errorf("Reply returned %+v, want %+v", got, tt.at)
			}
		})
	}
}

func TestReplyThenSendIntoItsThread(t *testing.T) {
	d := &recorder{}
	a, out := newConsole(":in #career\n質問\n")
	d.reply = func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		at, err := r.Reply(ctx, bot.Reply{Text: "受付", InThread: true})
		if err != nil {
			return err
		}
		_, err = a.Send(ctx, at, bot.Reply{Text: "メンターが見ています"})
		return err
	}
	if err := a.Run(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, out.String(), lines(
		"[佐藤 → #career] m1", "  質問",
		"[→ #career › m1] m2", "  受付",
		"[→ #career › m1] m3", "  メンターが見ています",
	))
}

func TestDispatchErrorIsPrinted(t *testing.T) {
	d := &recorder{reply: func(context.Context, *bot.Message, bot.Responder) error {
		return bot.Errorf(bot.CodeForbidden, "error.forbidden")
	}}
	out := run(t, "/soudan stats\n/soudan stats\n", d)
	checkOutput(t, out, lines(
		"[佐藤 → DM] /soudan stats", "! error: forbidden",
		"[佐藤 → DM] /soudan stats", "! error: forbidden",
	))
}
