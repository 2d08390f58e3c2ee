package console_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
)

var answerForm = bot.Form{
	ID:     "consult.answer",
	Value:  "12",
	Title:  "回答",
	Intro:  "相談 #12 に回答します。",
	Submit: "送信",
	Inputs: []bot.Input{
		{Name: "answer", Label: "回答", Kind: bot.InputTextarea, Required: true, Hint: "具体的に", MaxLen: 2000},
		{Name: "anon", Label: "匿名で回答する", Kind: bot.InputCheckbox},
		{Name: "rating", Label: "自信", Kind: bot.InputScale, Min: 0, Max: 10, Value: "5"},
		{Name: "topic", Label: "トピック", Kind: bot.InputSelect, Options: []bot.Option{{Value: "career", Label: "キャリア"}, {Value: "life", Label: "生活"}}},
	},
}

// former opens answerForm on "/soudan form", and answers a submission: an
// empty answer shows the form again with an error.
func former() *recorder {
	return &recorder{reply: func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		switch {
		case m.Command == "form":
			return bot.OpenForm(ctx, r, answerForm)
		case m.Kind == bot.KindFormSubmit && m.Form["answer"] == "":
			f := answerForm
			f.Errors = map[string]string{"answer": "入力してください"}
			return bot.OpenForm(ctx, r, f)
		case m.Kind == bot.KindFormSubmit:
			_, err := r.Reply(ctx, bot.Reply{Text: "ありがとうございます"})
			return err
		}
		return nil
	}}
}

// submissions returns the form submissions dispatched.
func submissions(d *recorder) []bot.Message {
	var out []bot.Message
	for _, m := range d.messages() {
		if m.Kind == bot.KindFormSubmit {
			out = append(out, m)
		}
	}
	return out
}

func TestSubmit(t *testing.T) {
	d := former()
	out := run(t, ":in #career\n/soudan form\n:submit answer=\"長い 回答です\" anon=はい rating=9\n", d)
	checkOutput(t, out, lines(
		"[佐藤 → #career] /soudan form",
		"[→ 佐藤 only, #career] m1",
		"  📝 回答  (:submit name=value ...)",
		"    相談 #12 に回答します。",
		"    answer* (textarea, max 2000): 回答 — 具体的に",
		"    anon (checkbox): 匿名で回答する",
		"    rating (scale 0-10): 自信 = 5",
		"    topic (select: career=キャリア, life=生活): トピック",
		"[佐藤 → #career] 📝 回答 (m1)",
		"[→ #career] m2",
		"  ありがとうございます",
	))
	subs := submissions(d)
	if len(subs) != 1 {
		t.Fatalf("got %d submissions, want 1", len(subs))
	}
	m := subs[0]
	wantForm := map[string]string{"answer": "長い 回答です", "anon": "true", "rating": "9", "topic": ""}
	if !reflect.DeepEqual(m.Form, wantForm) {
		t.Errorf("Form = %q, want %q", m.Form, wantForm)
	}
	if m.Action != (bot.Action{ID: "consult.answer", Value: "12"}) || !reflect.DeepEqual(m.Address, chAddr("#career", "")) || m.Direct {
		t.Errorf("got action %+v at %+v direct %v, want consult.answer/12 in #career", m.Action, m.Address, m.Direct)
	}
}

func TestSubmitRejectedShowsErrorsAndStaysCurrent(t *testing.T) {
	d := former()
	out := run(t, "/soudan form\n:submit\n:submit answer='できました' anon=no topic=life\n", d)
	if !strings.Contains(out, "    ! answer: 入力してください\n") {
		t.Errorf("the rejected form does not show its error:\n%s", out)
	}
	subs := submissions(d)
	if len(subs) != 2 {
		t.Fatalf("got %d submissions, want 2", len(subs))
	}
	first := map[string]string{"answer": "", "anon": "false", "rating": "5", "topic": ""}
	second := map[string]string{"answer": "できました", "anon": "false", "rating": "5", "topic": "life"}
	if !reflect.DeepEqual(subs[0].Form, first) || !reflect.DeepEqual(subs[1].Form, second) {
		t.Errorf("forms:\n got %q\n     %q\nwant %q\n     %q", subs[0].Form, subs[1].Form, first, second)
	}
}

func TestSubmitCheckbox(t *testing.T) {
	for in, want := range map[string]string{
		"true": "true", "YES": "true", "on": "true", "1": "true", "はい": "true", "１": "true",
		"false": "false", "No": "false", "off": "false", "0": "false", "いいえ": "false", "": "false",
	} {
		d := former()
		run(t, "/soudan form\n:submit answer=a anon="+in+"\n", d)
		subs := submissions(d)
		if len(subs) != 1 || subs[0].Form["anon"] != want {
			t.Errorf("anon=%s: got %+v, want anon %q", in, subs, want)
		}
	}
}

func TestSubmitErrors(t *testing.T) {
	tests := []struct{ name, script, want string }{
		{"no form", ":submit answer=x\n", "! 送信できるフォームがありません\n"},
		{"not key=value", "/soudan form\n:submit 回答\n", "! 回答: 項目=値 の形で書いてください\n"},
		{"empty key", "/soudan form\n:submit =x\n", "! =x: 項目=値 の形で書いてください\n"},
		{"unknown input", "/soudan form\n:submit answer=x score=3\n", "! score: このフォームにない項目です（項目: answer, anon, rating, topic）\n"},
		{"bad checkbox", "/soudan form\n:submit anon=たぶん\n", "! anon: はい／いいえ（true/false）で答えてください: たぶん\n"},
		{"open quote", "/soudan form\n:submit answer=\"未完\n", "! 引用符が閉じていません: answer=\"未完\n"},
		{"english", ":as bob en\n/soudan form\n:submit nope\n", "! nope: write name=value\n"},
		{"another user's form", ":in #career\n/soudan form\n:as 鈴木\n:in #career\n:submit answer=x\n", "! 送信できるフォームがありません\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := former()
			out := run(t, tt.script, d)
			if !strings.HasSuffix(out, tt.want) {
				t.Errorf("output does not end with %q:\n%s", tt.want, out)
			}
			if n := len(submissions(d)); n != 0 {
				t.Errorf("dispatched %d submissions, want none", n)
			}
		})
	}
}
