package console_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
)

// now is the fixed clock of the tests.
var now = time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC)

// recorder is a Dispatcher that records every message and answers with
// its reply function, if set.
type recorder struct {
	mu    sync.Mutex
	msgs  []bot.Message
	reply func(ctx context.Context, m *bot.Message, r bot.Responder) error
}

func (d *recorder) Dispatch(ctx context.Context, m *bot.Message, r bot.Responder) error {
	d.mu.Lock()
	d.msgs = append(d.msgs, *m)
	d.mu.Unlock()
	if d.reply != nil {
		return d.reply(ctx, m, r)
	}
	return nil
}

// messages returns the messages dispatched so far.
func (d *recorder) messages() []bot.Message {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]bot.Message(nil), d.msgs...)
}

// replyWith returns a reply function that answers every message with r.
func replyWith(r bot.Reply) func(context.Context, *bot.Message, bot.Responder) error {
	return func(ctx context.Context, _ *bot.Message, rs bot.Responder) error {
		_, err := rs.Reply(ctx, r)
		return err
	}
}

// newConsole returns a console reading script, with the default user
// "佐藤", and its output buffer.
func newConsole(script string) (*console.Adapter, *strings.Builder) {
	out := &strings.Builder{}
	a := console.New(strings.NewReader(script), out, console.Options{
		DefaultUser: "佐藤",
		Now:         func() time.Time { return now },
	})
	return a, out
}

// run runs script through a console with d and returns the output.
func run(t *testing.T, script string, d bot.Dispatcher) string {
	t.Helper()
	a, out := newConsole(script)
	if err := a.Run(context.Background(), d); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.String()
}

// lines joins lines with newlines, ending with one: the expected output.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// checkOutput fails the test with both outputs when got is not want.
func checkOutput(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("output:\n--- got ---\n%s--- want ---\n%s", got, want)
	}
}

// only returns the one message d received, failing otherwise.
func only(t *testing.T, d *recorder) bot.Message {
	t.Helper()
	msgs := d.messages()
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1: %+v", len(msgs), msgs)
	}
	return msgs[0]
}
