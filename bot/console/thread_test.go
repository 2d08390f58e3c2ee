package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
)

// poster answers "/soudan post WHERE ANCHOR [ephemeral]" by sending a
// message anchored to ANCHOR: WHERE is a channel, "dm" (the sender's DM)
// or "dm:NAME". Posts get an anchored reply in their thread.
func poster(a *console.Adapter) *recorder {
	return &recorder{reply: func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		if m.Kind == bot.KindPost {
			_, err := r.Reply(ctx, bot.Reply{Text: "ack", InThread: true, Anchor: "20"})
			return err
		}
		if m.Kind != bot.KindCommand || m.Command != "post" {
			return nil
		}
		to := bot.Address{Channel: m.Args[0]}
		if m.Args[0] == "dm" {
			to = bot.Address{User: m.User.ID}
		}
		if len(m.Args) > 2 {
			to.User = m.User.ID
		}
		_, err := a.Send(ctx, to, bot.Reply{Text: "card", Anchor: m.Args[1], Ephemeral: len(m.Args) > 2})
		return err
	}}
}

// threadScript runs a script with poster and returns where each post went,
// as "channel›thread".
func threadScript(t *testing.T, script string) (where []string, out string) {
	t.Helper()
	a, buf := newConsole(script)
	d := poster(a)
	if err := a.Run(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	for _, m := range d.messages() {
		if m.Kind == bot.KindPost {
			where = append(where, m.Address.Channel+"›"+m.Address.Thread)
		}
	}
	return where, buf.String()
}

func TestThreadByAnchor(t *testing.T) {
	where, out := threadScript(t, strings.Join([]string{
		":as 鈴木", ":as 田中", ":as 佐藤",
		"/soudan post #career 12", // m1
		"/soudan post #other 12",  // m2
		"/soudan post dm 12",      // m3, 佐藤's DM
		"/soudan post dm:鈴木 12",   // m4, 鈴木's DM
		":in #career", ":thread 12", "in the current channel",
		":in #random", ":thread 12", "in my DM",
		":as 田中", ":thread #12", "in any channel, newest",
		":as 鈴木", ":in #random", ":thread ＃１２", "in 鈴木's DM",
	}, "\n")+"\n")
	want := []string{"#career›m1", "dm:佐藤›m3", "#other›m2", "dm:鈴木›m4"}
	if strings.Join(where, " ") != strings.Join(want, " ") {
		t.Errorf("posts went to %q, want %q\n%s", where, want, out)
	}
}

func TestThreadByID(t *testing.T) {
	where, out := threadScript(t, strings.Join([]string{
		":in #career",
		"question", // m1, answered in its thread by m2 (#20)
		":thread m2", "to the root of m2's thread",
		":thread M1", "by the root itself",
		":thread 20", "by the anchor of the answer",
		":in #career", "top level again",
		":thread m2", ":dm", "DM again",
	}, "\n")+"\n")
	want := []string{"#career›", "#career›m1", "#career›m1", "#career›m1", "#career›", "dm:佐藤›"}
	if strings.Join(where, " ") != strings.Join(want, " ") {
		t.Errorf("posts went to %q, want %q\n%s", where, want, out)
	}
	if !strings.Contains(out, "[佐藤 → #career › m1] m3\n  to the root of m2's thread\n") {
		t.Errorf("no echo of the post in the thread:\n%s", out)
	}
}

func TestThreadNotFound(t *testing.T) {
	tests := []struct{ name, script, arg string }{
		{"unknown id", "", "m9"},
		{"unknown anchor", "/soudan post #career 12\n", "13"},
		{"another user's DM", ":as 鈴木\n/soudan post dm 12\n:as 佐藤\n", "m1"},
		{"anchor only in another user's DM", ":as 鈴木\n/soudan post dm 12\n:as 佐藤\n", "12"},
		{"ephemeral at top level", "/soudan post #career 12 ephemeral\n", "m1"},
		{"anchor only on an ephemeral", "/soudan post #career 12 ephemeral\n", "12"},
		{"bare hash", "", "#"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			where, out := threadScript(t, tt.script+":thread "+tt.arg+"\nstill here\n")
			wantErr := "! スレッドが見つかりません: " + tt.arg + "（"
			if !strings.Contains(out, wantErr) {
				t.Errorf("output lacks %q:\n%s", wantErr, out)
			}
			if len(where) != 1 || strings.Contains(where[0], "›m") {
				t.Errorf("post went to %q, want the user's unchanged conversation, not a thread", where)
			}
		})
	}
}
