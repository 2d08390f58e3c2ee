package console_test

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
)

// echo is a tiny Dispatcher: it answers "/soudan ask" with a card about
// consultation 12, a post with an echo in its thread, a press with an
// ephemeral note and a form submission with its values.
type echo struct{ send bot.Sender }

func (e echo) Dispatch(ctx context.Context, m *bot.Message, r bot.Responder) error {
	var err error
	switch m.Kind {
	case bot.KindCommand:
		_, err = r.Reply(ctx, bot.Reply{Text: "受け付けました: " + m.ArgText, Ephemeral: true, Anchor: "12"})
		if err == nil {
			_, err = e.send.Send(ctx, bot.Address{Channel: "#career"}, bot.Reply{
				Title:   "相談 #12",
				Text:    m.ArgText,
				Fields:  []bot.Field{{Label: "相談者", Value: bot.Mention(m.User.ID)}},
				Buttons: []bot.Button{{ID: "take", Label: "引き受ける", Value: "12"}, {ID: "answer", Label: "回答する", Value: "12"}},
				Anchor:  "12",
			})
		}
	case bot.KindPost:
		_, err = r.Reply(ctx, bot.Reply{Text: "echo: " + m.Text, InThread: true})
	case bot.KindAction:
		err = bot.OpenForm(ctx, r, bot.Form{ID: "answer", Value: m.Action.Value, Title: "回答", Inputs: []bot.Input{
			{Name: "answer", Label: "回答", Kind: bot.InputTextarea, Required: true},
			{Name: "anon", Label: "匿名", Kind: bot.InputCheckbox},
		}})
	case bot.KindFormSubmit:
		_, err = r.Reply(ctx, bot.Reply{Text: "answer=" + m.Form["answer"] + " anon=" + m.Form["anon"], InThread: true})
	}
	return err
}

func Example() {
	script := `:# 佐藤 asks, 鈴木 answers
:as 佐藤
/soudan ask キャリアについて相談したいです
:as 鈴木
:in #career
:thread 12
@佐藤さん 詳しく聞かせてください
:press 2
:submit answer="まず 上司と話しましょう" anon=はい
:quit
`
	a := console.New(strings.NewReader(script), os.Stdout, console.Options{
		DefaultUser: "user",
		Now:         func() time.Time { return time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC) },
	})
	if err := a.Run(context.Background(), echo{send: a}); err != nil {
		panic(err)
	}
	// Output:
	// [佐藤 → DM] /soudan ask キャリアについて相談したいです
	// [→ 佐藤 only, DM] m1 (#12)
	//   受け付けました: キャリアについて相談したいです
	// [→ #career] m2 (#12)
	//   ■ 相談 #12
	//   キャリアについて相談したいです
	//   ・相談者: @佐藤
	//   [1] 引き受ける  [2] 回答する
	// [鈴木 → #career › m2] m3
	//   @佐藤さん 詳しく聞かせてください
	// [→ #career › m2] m4
	//   echo: @佐藤さん 詳しく聞かせてください
	// [鈴木 → #career] ▶ [2] 回答する (m2)
	// [→ 鈴木 only, #career] m5
	//   📝 回答  (:submit name=value ...)
	//     answer* (textarea): 回答
	//     anon (checkbox): 匿名
	// [鈴木 → #career] 📝 回答 (m5)
	// [→ #career] m6
	//   answer=まず 上司と話しましょう anon=true
}
