package console_test

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/soudan/soudan/bot"
)

func TestSend(t *testing.T) {
	tests := []struct {
		name string
		to   bot.Address
		r    bot.Reply
		out  string
		at   bot.Address
	}{
		{"channel", bot.Address{Platform: "console", Channel: "#career"}, bot.Reply{Text: "新しい相談"},
			lines("[→ #career] m1", "  新しい相談"), chAddr("#career", "m1")},
		{"channel without #", bot.Address{Channel: "career"}, bot.Reply{Text: "x"},
			lines("[→ #career] m1", "  x"), chAddr("#career", "m1")},
		{"thread", bot.Address{Channel: "#career", Thread: "m7"}, bot.Reply{Text: "回答がありました", Anchor: "12"},
			lines("[→ #career › m7] m1 (#12)", "  回答がありました"), chAddr("#career", "m7")},
		{"DM by user", bot.Address{User: "鈴木"}, bot.Reply{Text: "リマインド"},
			lines("[→ DM 鈴木] m1", "  リマインド"), dmAddr("鈴木", "m1")},
		{"DM by channel", bot.Address{Channel: "dm:鈴木", Thread: "m3"}, bot.Reply{Text: "続き"},
			lines("[→ DM 鈴木 › m3] m1", "  続き"), dmAddr("鈴木", "m3")},
		{"ephemeral in channel", bot.Address{Channel: "#career", User: "鈴木"}, bot.Reply{Text: "内緒", Ephemeral: true},
			lines("[→ 鈴木 only, #career] m1", "  内緒"), chAddr("#career", "m1")},
		{"ephemeral without a user", bot.Address{Channel: "#career"}, bot.Reply{Text: "全員へ", Ephemeral: true},
			lines("[→ #career] m1", "  全員へ"), chAddr("#career", "m1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, out := newConsole("")
			at, err := a.Send(t.Context(), tt.to, tt.r)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			checkOutput(t, out.String(), tt.out)
			if !reflect.DeepEqual(at, tt.at) {
				t.Errorf("Send returned %+v, want %+v", at, tt.at)
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	a, out := newConsole("")
	for _, to := range []bot.Address{{}, {Platform: "console"}, {Channel: " "}, {Channel: "＃"}, {Platform: "slack", Channel: "C1"}} {
		if _, err := a.Send(t.Context(), to, bot.Reply{Text: "x"}); err == nil {
			t.Errorf("Send(%+v) succeeded, want an error", to)
		}
	}
	if out.Len() != 0 {
		t.Errorf("failed sends printed %q", out.String())
	}
}

// TestSendConcurrent sends from many goroutines while Run dispatches a
// script: every block must come out whole, with a unique id.
func TestSendConcurrent(t *testing.T) {
	const senders, each, posts = 8, 25, 50
	var script strings.Builder
	for i := range posts {
		fmt.Fprintf(&script, "post %d\n", i)
	}
	a, out := newConsole(script.String())
	d := newReplyAll(bot.Reply{Text: "echo", InThread: true})
	var wg sync.WaitGroup
	for g := range senders {
		wg.Go(func() {
			for i := range each {
				if _, err := a.Send(context.Background(), bot.Address{Channel: "#news"}, bot.Reply{Text: fmt.Sprintf("news %d-%d", g, i)}); err != nil {
					t.Errorf("Send: %v", err)
				}
			}
		})
	}
	if err := a.Run(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	wg.Wait()

	header := regexp.MustCompile(`^\[(→ #news|佐藤 → DM|→ DM 佐藤)\] m(\d+)$`)
	body := regexp.MustCompile(`^  (news \d+-\d+|post \d+|echo)$`)
	ls := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(ls) != 2*(senders*each+2*posts) {
		t.Fatalf("got %d lines, want %d", len(ls), 2*(senders*each+2*posts))
	}
	seen := map[string]bool{}
	for i := 0; i < len(ls); i += 2 {
		h := header.FindStringSubmatch(ls[i])
		if h == nil || !body.MatchString(ls[i+1]) {
			t.Fatalf("lines %d-%d are not a whole block: %q %q", i, i+1, ls[i], ls[i+1])
		}
		if seen[h[2]] {
			t.Errorf("message id m%s printed twice", h[2])
		}
		seen[h[2]] = true
	}
}

// TestSendFromAnotherGoroutineDuringDispatch fails by deadlock if the
// console held its lock while dispatching.
func TestSendFromAnotherGoroutineDuringDispatch(t *testing.T) {
	a, out := newConsole("ping\n")
	d := &recorder{reply: func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		done := make(chan error)
		go func() {
			_, err := a.Send(ctx, bot.Address{User: "鈴木"}, bot.Reply{Text: "from the scheduler"})
			done <- err
		}()
		return <-done
	}}
	if err := a.Run(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, out.String(), lines("[佐藤 → DM] m1", "  ping", "[→ DM 鈴木] m2", "  from the scheduler"))
}
