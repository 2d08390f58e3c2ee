package console_test

import (
	"github.com/soudan/soudan/bot/console"
	"strings"
	"testing"
)

func TestAsSwitchesUserAndKeepsLocale(t *testing.T) {
	d := &recorder{}
	run(t, ":as 鈴木 en\nhi\n:as 田中\nやあ\n:as 鈴木\nagain\n:as 鈴木 JA\nまた\n", d)
	var got []string
	for _, m := range d.messages() {
		got = append(got, m.User.ID+"/"+m.User.Name+"/"+m.User.Locale+"/"+m.Address.Channel)
	}
	want := []string{"鈴木/鈴木/en/dm:鈴木", "田中/田中/ja/dm:田中", "鈴木/鈴木/en/dm:鈴木", "鈴木/鈴木/ja/dm:鈴木"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("users:\n got %q\nwant %q", got, want)
	}
}

func TestWherePerUser(t *testing.T) {
	d := &recorder{}
	run(t, ":in career\n:as 鈴木\n:in ＃random\n:as 佐藤\na\n:as 鈴木\nb\n:dm\nc\n:as 佐藤\nd\n", d)
	var got []string
	for _, m := range d.messages() {
		got = append(got, m.User.ID+"@"+m.Address.Channel)
	}
	want := "佐藤@#career 鈴木@#random 鈴木@dm:鈴木 佐藤@#career"
	if strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
}

func TestMetaErrors(t *testing.T) {
	tests := []struct {
		name, script, want string
	}{
		{"unknown ja", ":xyz\n", "! 不明なコマンドです: :xyz（一覧は :help）\n"},
		{"unknown en", ":as bob en\n:XYZ 1\n", "! unknown command: :xyz (see :help)\n"},
		{"bare colon", ":\n", "! 不明なコマンドです: :（一覧は :help）\n"},
		{"as usage", ":as\n", "! 使い方: :as NAME [ja|en]\n"},
		{"as too many", ":as a ja x\n", "! 使い方: :as NAME [ja|en]\n"},
		{"as the bot", ":as Soudan\n", "! その名前は使えません: Soudan\n"},
		{"as a mention", ":as @bob\n", "! その名前は使えません: @bob\n"},
		{"as a token", ":as a<b\n", "! その名前は使えません: a<b\n"},
		{"as bad locale", ":as bob 日本語\n", "! 言語は ja や en のように指定してください: 日本語\n"},
		{"in usage", ":in\n", "! 使い方: :in #CHANNEL\n"},
		{"in only hash", ":in #\n", "! 使い方: :in #CHANNEL\n"},
		{"dm usage", ":dm now\n", "! 使い方: :dm\n"},
		{"thread usage", ":thread\n", "! 使い方: :thread ID\n"},
		{"press usage", ":press\n", "! 使い方: :press N\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &recorder{}
			got := run(t, tt.script+"after\n", d)
			want := tt.want + "[" + userOf(tt.script) + " → DM] m1\n  after\n"
			checkOutput(t, got, want)
			if n := len(d.messages()); n != 1 {
				t.Errorf("dispatched %d messages, want only the post after the error", n)
			}
		})
	}
}

// userOf returns the user a script of TestMetaErrors leaves current.
func userOf(script string) string {
	if strings.HasPrefix(script, ":as bob en") {
		return "bob"
	}
	return "佐藤"
}

func TestWho(t *testing.T) {
	got := run(t, ":who\n:in career\n:who\n:as bob en-US\n:who\n", &recorder{})
	checkOutput(t, got, lines(
		"! ユーザー: 佐藤（ja）、投稿先: DM",
		"! ユーザー: 佐藤（ja）、投稿先: #career",
		"! user: bob (en-US), posting to: DM",
	))
}

func TestHelp(t *testing.T) {
	ja := run(t, ":help\n", &recorder{})
	en := run(t, ":as bob en\n:HELP\n", &recorder{})
	for _, tt := range []struct{ name, out, title string }{
		{"ja", ja, "! コンソールのコマンド:\n"},
		{"en", en, "! Console commands:\n"},
	} {
		if !strings.HasPrefix(tt.out, tt.title) {
			t.Errorf("%s help starts %q, want %q", tt.name, firstLine(tt.out), tt.title)
		}
		for _, meta := range []string{":as", ":in", ":dm", ":thread", ":press", ":submit", ":who", ":help", ":quit", ":#", "/soudan"} {
			if !strings.Contains(tt.out, "!   "+meta+" ") && !strings.Contains(tt.out, "! "+meta+" ") {
				t.Errorf("%s help does not list %s:\n%s", tt.name, meta, tt.out)
			}
		}
		for line := range strings.Lines(tt.out) {
			if !strings.HasPrefix(line, "! ") {
				t.Errorf("%s help line %q does not start with \"! \"", tt.name, line)
			}
		}
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func TestQuit(t *testing.T) {
	d := &recorder{}
	out := run(t, "before\n:quit\nafter\n", d)
	if n := len(d.messages()); n != 1 || strings.Contains(out, "after") {
		t.Errorf("got %d messages and output %q, want only the line before :quit", n, out)
	}
}

func TestAsNameLength(t *testing.T) {
	long := strings.Repeat("長", 5000)
	d := &recorder{}
	got := run(t, ":as "+long+"\n:who\n:as "+strings.Repeat("a", console.MaxNameLen)+"\n:who\n", d)
	checkOutput(t, got, lines(
		"! 名前は 50 文字までにしてください（5000 文字あります）",
		"! ユーザー: 佐藤（ja）、投稿先: DM",
		"! ユーザー: "+strings.Repeat("a", 50)+"（ja）、投稿先: DM",
	))
	if strings.Contains(got, long) {
		t.Error("the long name was printed")
	}
}
