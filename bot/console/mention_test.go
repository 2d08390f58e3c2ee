package console_test

import (
	"reflect"
	"testing"
)

func TestMentions(t *testing.T) {
	// Known users: 佐藤 (the default), 鈴木, sato, 田中, 田中太郎.
	const known = ":as 鈴木\n:as sato\n:as 田中\n:as 田中太郎\n:as 佐藤\n"
	tests := []struct {
		in       string
		text     string
		mentions []string
		bot      bool
	}{
		{"@鈴木 お願いします", "<@鈴木> お願いします", []string{"鈴木"}, false},
		{"@佐藤さん、ありがとう", "<@佐藤>さん、ありがとう", []string{"佐藤"}, false},
		{"＠鈴木さん", "<@鈴木>さん", []string{"鈴木"}, false},
		{"@田中太郎 と @田中 さん", "<@田中太郎> と <@田中> さん", []string{"田中太郎", "田中"}, false},
		{"@鈴木 @佐藤 @鈴木", "<@鈴木> <@佐藤> <@鈴木>", []string{"鈴木", "佐藤"}, false},
		{"@sato hi", "<@sato> hi", []string{"sato"}, false},
		{"@sato.", "<@sato>.", []string{"sato"}, false},
		{"@satoshi hi", "@satoshi hi", nil, false},
		{"@sato-san", "@sato-san", nil, false},
		{"mail sato@sato.example", "mail sato@sato.example", nil, false},
		{"@bob は知らない人", "@bob は知らない人", nil, false},
		{"@soudan ヘルプ", "ヘルプ", nil, true},
		{"@Soudan、ヘルプ", "ヘルプ", nil, true},
		{"質問です @soudan よろしく", "質問です よろしく", nil, true},
		{"質問です@soudan", "質問です", nil, true},
		{"@soudanbot hi", "@soudanbot hi", nil, false},
		{"@soudan @鈴木 見てください", "<@鈴木> 見てください", []string{"鈴木"}, true},
		{"@", "@", nil, false},
		{"@@鈴木", "@<@鈴木>", []string{"鈴木"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d := &recorder{}
			run(t, known+tt.in+"\n", d)
			m := only(t, d)
			if m.Text != tt.text || m.BotMentioned != tt.bot || !reflect.DeepEqual(m.Mentions, tt.mentions) {
				t.Errorf("got Text %q Mentions %q BotMentioned %v, want %q %q %v",
					m.Text, m.Mentions, m.BotMentioned, tt.text, tt.mentions, tt.bot)
			}
		})
	}
}

func TestMentionNeedsASeenUser(t *testing.T) {
	d := &recorder{}
	run(t, "@鈴木 さん\n:as 鈴木\n:as 佐藤\n@鈴木 さん\n", d)
	msgs := d.messages()
	if len(msgs) != 2 || msgs[0].Text != "@鈴木 さん" || msgs[1].Text != "<@鈴木> さん" {
		t.Errorf("got %q then %q, want @鈴木 unresolved until :as 鈴木", msgs[0].Text, msgs[1].Text)
	}
}

func TestMentionEcho(t *testing.T) {
	got := run(t, ":as 鈴木\n:in #career\n@佐藤さん @soudan 見ました\n", &recorder{})
	checkOutput(t, got, lines("[鈴木 → #career] m1", "  @佐藤さん @soudan 見ました"))
}
