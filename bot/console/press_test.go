package console_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
)

var card = bot.Reply{
	Title: "相談 #12",
	Buttons: []bot.Button{
		{ID: "consult.take", Label: "引き受ける", Value: "12", Style: bot.StylePrimary},
		{ID: "consult.answer", Label: "回答する", Value: "12"},
		{Label: "開く", URL: "https://example.com/12"},
	},
	Anchor: "12",
}

// carder answers "/soudan card [ephemeral]" with the card where the
// command was typed, "/soudan card-to WHERE" by sending it to a channel,
// and a button press with a reply in the card's thread.
func carder(a *console.Adapter) *recorder {
	return &recorder{reply: func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		var err error
		switch {
		case m.Kind == bot.KindAction:
			_, err = r.Reply(ctx, bot.Reply{Text: "pressed " + m.Action.ID + "=" + m.Action.Value, InThread: true})
		case m.Command == "card":
			c := card
			c.Ephemeral = len(m.Args) > 0
			_, err = r.Reply(ctx, c)
		case m.Command == "card-to":
			_, err = a.Send(ctx, bot.Address{Channel: m.Args[0]}, card)
		case m.Command == "plain":
			_, err = r.Reply(ctx, bot.Reply{Text: "no buttons here"})
		}
		return err
	}}
}

func pressScript(t *testing.T, script string) (*recorder, string) {
	t.Helper()
	a, out := newConsole(script)
	d := carder(a)
	if err := a.Run(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	return d, out.String()
}

// actions returns the actions dispatched.
func actions(d *recorder) []bot.Message {
	var out []bot.Message
	for _, m := range d.messages() {
		if m.Kind == bot.KindAction {
			out = append(out, m)
		}
	}
	return out
}

func TestPressInDM(t *testing.T) {
	d, out := pressScript(t, "/soudan card\n/soudan plain\n:press 2\n")
	checkOutput(t, out, lines(
		"[佐藤 → DM] /soudan card",
		"[→ DM 佐藤] m1 (#12)",
		"  ■ 相談 #12",
		"  [1] 引き受ける  [2] 回答する  [3] 開く <https://example.com/12>",
		"[佐藤 → DM] /soudan plain",
		"[→ DM 佐藤] m2",
		"  no buttons here",
		"[佐藤 → DM] ▶ [2] 回答する (m1)",
		"[→ DM 佐藤] m3",
		"  pressed consult.answer=12",
	))
	acts := actions(d)
	if len(acts) != 1 {
		t.Fatalf("got %d actions, want 1", len(acts))
	}
	m := acts[0]
	if m.Action != (bot.Action{ID: "consult.answer", Value: "12"}) || !m.Direct || !reflect.DeepEqual(m.Address, dmAddr("佐藤", "")) {
		t.Errorf("got action %+v direct %v at %+v, want consult.answer=12 in 佐藤's DM", m.Action, m.Direct, m.Address)
	}
	if m.User.ID != "佐藤" || !strings.HasPrefix(m.ID, "e-") || m.Time != now {
		t.Errorf("got user %q id %q time %v", m.User.ID, m.ID, m.Time)
	}
}

func TestPressInChannelRepliesInCardThread(t *testing.T) {
	d, out := pressScript(t, "/soudan card-to #career\n:as 鈴木\n:in #career\n:thread 12\n:press 1\n")
	want := lines(
		"[佐藤 → DM] /soudan card-to #career",
		"[→ #career] m1 (#12)",
		"  ■ 相談 #12",
		"  [1] 引き受ける  [2] 回答する  [3] 開く <https://example.com/12>",
		"[鈴木 → #career] ▶ [1] 引き受ける (m1)",
		"[→ #career › m1] m2",
		"  pressed consult.take=12",
	)
	checkOutput(t, out, want)
	if acts := actions(d); len(acts) != 1 || acts[0].Direct || !reflect.DeepEqual(acts[0].Address, chAddr("#career", "")) {
		t.Errorf("got %+v, want one action at the top of #career", acts)
	}
}

func TestPressInThreadSetsThread(t *testing.T) {
	d, _ := pressScript(t, ":in #career\nquestion\n:thread m1\n/soudan card\n:in #career\n:press 1\n")
	acts := actions(d)
	if len(acts) != 1 || !reflect.DeepEqual(acts[0].Address, chAddr("#career", "m1")) {
		t.Errorf("got %+v, want one action in the thread m1 of #career", acts)
	}
}

func TestPressURL(t *testing.T) {
	d, out := pressScript(t, "/soudan card\n:press 3\n:as bob en\n:dm\n/soudan card\n:press 3\n")
	for _, want := range []string{"! ブラウザで開いてください: https://example.com/12\n", "! open in a browser: https://example.com/12\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := len(actions(d)); n != 0 {
		t.Errorf("dispatched %d actions, want none for a URL button", n)
	}
}

func TestPressErrors(t *testing.T) {
	tests := []struct{ name, script, want string }{
		{"nothing shown", ":press 1\n", "! 押せるボタンがありません\n"},
		{"zero", "/soudan card\n:press 0\n", "! ボタンは 1〜3 の番号で指定してください: 0\n"},
		{"too big", "/soudan card\n:press 4\n", "! ボタンは 1〜3 の番号で指定してください: 4\n"},
		{"not a number", "/soudan card\n:press 引き受ける\n", "! ボタンは 1〜3 の番号で指定してください: 引き受ける\n"},
		{"two numbers", "/soudan card\n:press 1 2\n", "! 使い方: :press N\n"},
		{"another user's DM", "/soudan card\n:as 鈴木\n:press 1\n", "! 押せるボタンがありません\n"},
		{"ephemeral to another user", ":in #career\n/soudan card me\n:as 鈴木\n:in #career\n:press 1\n", "! 押せるボタンがありません\n"},
		{"another channel", "/soudan card-to #career\n:as 鈴木\n:in #random\n:press 1\n", "! 押せるボタンがありません\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, out := pressScript(t, tt.script)
			if !strings.HasSuffix(out, tt.want) {
				t.Errorf("output does not end with %q:\n%s", tt.want, out)
			}
			if n := len(actions(d)); n != 0 {
				t.Errorf("dispatched %d actions, want none", n)
			}
		})
	}
}

func TestPressFullWidthAndEphemeralAnywhere(t *testing.T) {
	// An ephemeral card in #career stays pressable from the DM.
	d, _ := pressScript(t, ":in #career\n/soudan card me\n:dm\n:press １\n")
	acts := actions(d)
	if len(acts) != 1 || acts[0].Action.ID != "consult.take" || acts[0].Address.Channel != "#career" {
		t.Errorf("got %+v, want consult.take pressed in #career", acts)
	}
}

func TestPressByMessageID(t *testing.T) {
	// m1's card is no longer the last one with buttons: m2's is.
	d, out := pressScript(t, "/soudan card\n/soudan card-to #career\n:press m1 2\n:press M2 1\n:press ｍ１ 1\n")
	checkOutput(t, out, lines(
		"[佐藤 → DM] /soudan card",
		"[→ DM 佐藤] m1 (#12)",
		"  ■ 相談 #12",
		"  [1] 引き受ける  [2] 回答する  [3] 開く <https://example.com/12>",
		"[佐藤 → DM] /soudan card-to #career",
		"[→ #career] m2 (#12)",
		"  ■ 相談 #12",
		"  [1] 引き受ける  [2] 回答する  [3] 開く <https://example.com/12>",
		"[佐藤 → DM] ▶ [2] 回答する (m1)",
		"[→ DM 佐藤] m3",
		"  pressed consult.answer=12",
		"[佐藤 → #career] ▶ [1] 引き受ける (m2)",
		"[→ #career › m2] m4",
		"  pressed consult.take=12",
		"[佐藤 → DM] ▶ [1] 引き受ける (m1)",
		"[→ DM 佐藤] m5",
		"  pressed consult.take=12",
	))
	acts := actions(d)
	if len(acts) != 3 || acts[0].Action.ID != "consult.answer" || acts[1].Address.Channel != "#career" || acts[2].Address.Channel != "dm:佐藤" {
		t.Errorf("got %+v, want consult.answer in the DM, consult.take in #career, then in the DM", acts)
	}
}

func TestPressByMessageIDErrors(t *testing.T) {
	tests := []struct{ name, script, want string }{
		{"unknown", "/soudan card\n:press m9 1\n", "! メッセージが見つかりません: m9\n"},
		{"another user's DM", "/soudan card\n:as 鈴木\n:press m1 1\n", "! メッセージが見つかりません: m1\n"},
		{"no buttons", "/soudan plain\n:press m1 1\n", "! m1 には押せるボタンがありません\n"},
		{"bad number", "/soudan card\n:press m1 4\n", "! ボタンは 1〜3 の番号で指定してください: 4\n"},
		{"three words", "/soudan card\n:press m1 1 2\n", "! 使い方: :press m12 N\n"},
		{"en", ":as bob en\n/soudan plain\n:press m1 1\n", "! m1 has no buttons to press\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, out := pressScript(t, tt.script)
			if !strings.HasSuffix(out, tt.want) {
				t.Errorf("output does not end with %q:\n%s", tt.want, out)
			}
			if n := len(actions(d)); n != 0 {
				t.Errorf("dispatched %d actions, want none", n)
			}
		})
	}
}
