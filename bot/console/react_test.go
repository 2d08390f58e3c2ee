package console_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
)

// TestReactReadsTheThread: ":react books m1" on a thread's root dispatches
// a books reaction naming the message, with its text, and ReadThread gives
// the people's posts of that thread, oldest first.
func TestReactReadsTheThread(t *testing.T) {
	a, out := newConsole(lines(
		":as 田中", ":in #it", "VPN がつながりません",
		":as 佐藤", ":thread m1", "@田中 クライアントを更新してください",
		":as 鈴木", ":in #it", "別の話題",
		":react 📚 m1",
		":react books",
		":react books m99",
	))
	var got []bot.Posted
	var reaction *bot.Message
	d := &recorder{reply: func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		if m.Kind != bot.KindReaction {
			return nil
		}
		reaction = m
		var err error
		got, err = a.ReadThread(ctx, m.Address, m.Action.Value)
		return err
	}}
	if err := a.Run(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if reaction == nil || reaction.Reaction != "books" || reaction.Action.Value != "m1" || reaction.Text != "VPN がつながりません" || reaction.User.ID != "鈴木" {
		t.Fatalf("reaction = %+v, want books on m1 by 鈴木 with its text", reaction)
	}
	want := []bot.Posted{
		{ID: "m1", User: "田中", Name: "田中", Text: "VPN がつながりません"},
		{ID: "m2", User: "佐藤", Name: "佐藤", Text: "@田中 クライアントを更新してください"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadThread = %+v, want %+v", got, want)
	}
	for _, w := range []string{"使い方: :react NAME m12", "メッセージが見つかりません: m99"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
}
