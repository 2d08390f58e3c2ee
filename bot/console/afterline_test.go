package console_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
)

// TestAfterLineRunsAfterEachDispatchedLine checks that the hook runs once
// per dispatched line, after its replies and before the next line: what
// it sends is printed between the two.
func TestAfterLineRunsAfterEachDispatchedLine(t *testing.T) {
	out := &strings.Builder{}
	var a *console.Adapter
	calls := 0
	a = console.New(strings.NewReader("最初の投稿\n:as 鈴木\n/soudan mine\n"), out, console.Options{
		DefaultUser: "佐藤",
		Now:         func() time.Time { return now },
		AfterLine: func(ctx context.Context) {
			calls++
			if _, err := a.Send(ctx, bot.Address{User: "佐藤"}, bot.Reply{Text: "後から届く"}); err != nil {
				t.Error(err)
			}
		},
	})
	d := &recorder{reply: replyWith(bot.Reply{Text: "返信"})}
	if err := a.Run(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if calls != 2 {
		t.Errorf("AfterLine ran %d times, want 2 (the post and the command, not :as)", calls)
	}
	got := out.String()
	order := []string{"最初の投稿", "返信", "後から届く", "/soudan mine", "返信", "後から届く"}
	at := 0
	for _, w := range order {
		i := strings.Index(got[at:], w)
		if i < 0 {
			t.Fatalf("output lacks %q after position %d, want the order %q:\n%s", w, at, order, got)
		}
		at += i + len(w)
	}
}
