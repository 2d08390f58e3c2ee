package console_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
)

func TestPostInDM(t *testing.T) {
	d := &recorder{}
	out := run(t, "キャリアについて相談したいです\n", d)
	checkOutput(t, out, lines(
		"[佐藤 → DM] m1",
		"  キャリアについて相談したいです",
	))
	m := only(t, d)
	want := bot.Message{
		ID:      m.ID,
		Kind:    bot.KindPost,
		Text:    "キャリアについて相談したいです",
		User:    bot.User{ID: "佐藤", Name: "佐藤", Locale: "ja"},
		Address: bot.Address{Platform: "console", Workspace: "console", Channel: "dm:佐藤", User: "佐藤"},
		Self:    "m1", // the post printed as m1: a reply in its thread names it
		Direct:  true,
		Time:    now,
		Raw:     "キャリアについて相談したいです",
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("message:\n got %+v\nwant %+v", m, want)
	}
	if !regexp.MustCompile(`^e-[0-9a-f]{8}-1$`).MatchString(m.ID) {
		t.Errorf("ID = %q, want e-<8 hex>-1", m.ID)
	}
}

func TestPostInChannel(t *testing.T) {
	d := &recorder{}
	out := run(t, ":in #career\n  質問です  \n", d)
	checkOutput(t, out, lines("[佐藤 → #career] m1", "  質問です"))
	m := only(t, d)
	if m.Direct {
		t.Errorf("Direct = true, want false in a channel")
	}
	want := bot.Address{Platform: "console", Workspace: "console", Channel: "#career"}
	if !reflect.DeepEqual(m.Address, want) {
		t.Errorf("Address = %+v, want %+v", m.Address, want)
	}
	if m.Text != "質問です" {
		t.Errorf("Text = %q, want %q", m.Text, "質問です")
	}
}

func TestCommand(t *testing.T) {
	tests := []struct {
		line    string
		kind    bot.Kind
		command string
		args    []string
		argText string
		text    string
	}{
		{"/soudan ask --anon career 転職の相談", bot.KindCommand, "ask", []string{"--anon", "career", "転職の相談"}, "--anon career 転職の相談", "ask --anon career 転職の相談"},
		{"/SOUDAN ヘルプ", bot.KindCommand, "ヘルプ", nil, "", "ヘルプ"},
		{"/soudan", bot.KindCommand, "", nil, "", ""},
		{"/soudan tip　search　面接", bot.KindCommand, "tip", []string{"search", "面接"}, "search　面接", "tip　search　面接"},
		{"/soudanx help", bot.KindPost, "", nil, "", "/soudanx help"},
		{"/giphy 猫", bot.KindPost, "", nil, "", "/giphy 猫"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			d := &recorder{}
			run(t, tt.line+"\n", d)
			m := only(t, d)
			if m.Kind != tt.kind || m.Command != tt.command || m.ArgText != tt.argText || m.Text != tt.text {
				t.Errorf("got kind %v command %q argText %q text %q, want %v %q %q %q",
					m.Kind, m.Command, m.ArgText, m.Text, tt.kind, tt.command, tt.argText, tt.text)
			}
			if len(m.Args) != len(tt.args) || len(m.Args) > 0 && !reflect.DeepEqual(m.Args, tt.args) {
				t.Errorf("Args = %q, want %q", m.Args, tt.args)
			}
		})
	}
}

func TestCommandEchoAndMentions(t *testing.T) {
	d := &recorder{}
	out := run(t, ":as 鈴木\n:as 佐藤\n:in #admin\n/soudan admin grant @鈴木 mentor\n", d)
	checkOutput(t, out, lines("[佐藤 → #admin] /soudan admin grant @鈴木 mentor"))
	m := only(t, d)
	wantArgs := []string{"grant", "<@鈴木>", "mentor"}
	if !reflect.DeepEqual(m.Args, wantArgs) || !reflect.DeepEqual(m.Mentions, []string{"鈴木"}) {
		t.Errorf("Args %q Mentions %q, want %q [鈴木]", m.Args, m.Mentions, wantArgs)
	}
}

func TestSkippedLines(t *testing.T) {
	d := &recorder{}
	out := run(t, "\ufeff:# a script comment\n\n   \n\t\r\n:#\n", d)
	if out != "" || len(d.messages()) != 0 {
		t.Errorf("got output %q and %d messages, want none", out, len(d.messages()))
	}
}

func TestCRLFAndBOM(t *testing.T) {
	d := &recorder{}
	run(t, "\ufeffこんにちは\r\n:in #random\r\nhi\r\n", d)
	msgs := d.messages()
	if len(msgs) != 2 || msgs[0].Text != "こんにちは" || msgs[1].Address.Channel != "#random" {
		t.Fatalf("got %+v, want こんにちは in the DM and hi in #random", msgs)
	}
}

func TestEventIDs(t *testing.T) {
	d1, d2 := &recorder{}, &recorder{}
	run(t, "a\n/soudan help\nb\n", d1)
	run(t, "a\n", d2)
	seen := map[string]bool{}
	for i, m := range d1.messages() {
		if seen[m.ID] {
			t.Errorf("ID %q repeats", m.ID)
		}
		seen[m.ID] = true
		if want := "-" + string(rune('1'+i)); !strings.HasSuffix(m.ID, want) {
			t.Errorf("message %d: ID %q, want it to end in %q", i, m.ID, want)
		}
	}
	if id := d2.messages()[0].ID; seen[id] {
		t.Errorf("a second console reused event id %q", id)
	}
}

func TestPlatform(t *testing.T) {
	a := console.New(strings.NewReader(""), &strings.Builder{}, console.Options{})
	if got := a.Platform(); got != bot.PlatformConsole {
		t.Errorf("Platform() = %q, want %q", got, bot.PlatformConsole)
	}
}

func TestDefaults(t *testing.T) {
	d := &recorder{}
	a := console.New(strings.NewReader("@soudan help\n/soudan help\n"), &strings.Builder{}, console.Options{})
	if err := a.Run(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	msgs := d.messages()
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}
	if u := msgs[0].User; u.ID != "user" || u.Locale != "ja" {
		t.Errorf("default user = %+v, want user/ja", u)
	}
	if !msgs[0].BotMentioned || msgs[0].Text != "help" {
		t.Errorf("@soudan: BotMentioned %v Text %q, want true, help", msgs[0].BotMentioned, msgs[0].Text)
	}
	if msgs[1].Kind != bot.KindCommand || msgs[1].Time.IsZero() {
		t.Errorf("/soudan: kind %v time %v, want a command with a time", msgs[1].Kind, msgs[1].Time)
	}
}
