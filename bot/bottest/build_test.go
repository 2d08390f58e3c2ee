package bottest_test

import (
	"reflect"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
)

func TestBuilders(t *testing.T) {
	at := bot.Address{Platform: "test", Workspace: "w", Channel: "#career", Thread: "msg-3"}
	tests := []struct {
		name string
		m    *bot.Message
		want bot.Message
	}{
		{"command", bottest.Command("佐藤", "/soudan ask --anon キャリア 質問です"), bot.Message{
			Kind: bot.KindCommand, Text: "ask --anon キャリア 質問です", Command: "ask",
			Args: []string{"--anon", "キャリア", "質問です"}, ArgText: "--anon キャリア 質問です",
			Address: bot.Address{Platform: "test", Workspace: "w", Channel: "dm:佐藤", User: "佐藤"}, Direct: true,
		}},
		{"command without prefix", bottest.Command("佐藤", "admin grant @鈴木 mentor"), bot.Message{
			Kind: bot.KindCommand, Text: "admin grant <@鈴木> mentor", Command: "admin",
			Args: []string{"grant", "<@鈴木>", "mentor"}, ArgText: "grant <@鈴木> mentor", Mentions: []string{"鈴木"},
			Address: bot.Address{Platform: "test", Workspace: "w", Channel: "dm:佐藤", User: "佐藤"}, Direct: true,
		}},
		{"DM", bottest.DM("佐藤", "相談です"), bot.Message{
			Kind: bot.KindPost, Text: "相談です",
			Address: bot.Address{Platform: "test", Workspace: "w", Channel: "dm:佐藤", User: "佐藤"}, Direct: true,
		}},
		{"post", bottest.Post("佐藤", "#career", "@soudan @鈴木 さん、見てください"), bot.Message{
			Kind: bot.KindPost, Text: "<@鈴木> さん、見てください", Mentions: []string{"鈴木"}, BotMentioned: true,
			Address: bot.Address{Platform: "test", Workspace: "w", Channel: "#career"},
		}},
		{"thread post", bottest.ThreadPost("鈴木", "#career", "msg-3", "回答です"), bot.Message{
			Kind: bot.KindPost, Text: "回答です", Address: at,
		}},
		{"thread post in DM", bottest.ThreadPost("鈴木", "dm:鈴木", "msg-3", "続き"), bot.Message{
			Kind: bot.KindPost, Text: "続き", Direct: true,
			Address: bot.Address{Platform: "test", Workspace: "w", Channel: "dm:鈴木", Thread: "msg-3", User: "鈴木"},
		}},
		{"press", bottest.Press("鈴木", at, "consult.take", "12"), bot.Message{
			Kind: bot.KindAction, Action: bot.Action{ID: "consult.take", Value: "12"}, Address: at,
		}},
		{"press in DM", bottest.Press("鈴木", bot.Address{User: "鈴木"}, "x", ""), bot.Message{
			Kind: bot.KindAction, Action: bot.Action{ID: "x"}, Direct: true,
			Address: bot.Address{Platform: "test", Workspace: "w", Channel: "dm:鈴木", User: "鈴木"},
		}},
		{"submit", bottest.Submit("鈴木", at, "answer", "12", map[string]string{"answer": "はい"}), bot.Message{
			Kind: bot.KindFormSubmit, Action: bot.Action{ID: "answer", Value: "12"}, Form: map[string]string{"answer": "はい"}, Address: at,
		}},
		{"react", bottest.React("鈴木", at, ":white_check_mark:"), bot.Message{
			Kind: bot.KindReaction, Reaction: "white_check_mark", Address: at,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := *tt.m
			if got.Self != "" && got.Self != got.ID {
				t.Errorf("Self = %q, want the post's own id %q", got.Self, got.ID)
			}
			if got.ID == "" || got.Time.IsZero() || got.User.ID == "" || got.User.ID != got.User.Name || got.User.Locale != "ja" {
				t.Errorf("got ID %q Time %v User %+v, want an id, a time and a ja user", got.ID, got.Time, got.User)
			}
			got.ID, got.Self, got.Time, got.User = "", "", tt.want.Time, bot.User{}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestBuilderIDsAreUnique(t *testing.T) {
	a, b := bottest.DM("x", "1"), bottest.DM("x", "2")
	if a.ID == b.ID {
		t.Errorf("two messages share ID %q", a.ID)
	}
}

func TestLocale(t *testing.T) {
	if got := bottest.Locale(bottest.DM("bob", "help"), "en").User.Locale; got != "en" {
		t.Errorf("Locale = %q, want en", got)
	}
}

func TestMentions(t *testing.T) {
	for in, want := range map[string]string{
		"@佐藤 さん":         "<@佐藤> さん",
		"＠佐藤、よろしく":       "<@佐藤>、よろしく",
		"cc @sato.":      "cc <@sato>.",
		"@ alone":        "@ alone",
		"質問 @soudan です":  "質問 です",
		"@Soudan help":   "help",
		"@jean-luc @a_b": "<@jean-luc> <@a_b>",
		"(@佐藤) と「@鈴木」です": "(<@佐藤>) と「<@鈴木>」です",
	} {
		if got := bottest.DM("x", in).Text; got != want {
			t.Errorf("DM(%q).Text = %q, want %q", in, got, want)
		}
	}
}
