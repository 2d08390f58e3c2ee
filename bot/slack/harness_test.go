package slack

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

// harness runs the adapter against the fake Slack, dispatching to a
// recorder. (Runs with the whole bot behind the adapter are in
// cmd/soudan.)
type harness struct {
	t     *testing.T
	fake  *slackfake.Server
	a     *Adapter
	rec   *recorder
	logs  *logBuffer
	errc  chan error
	waits *waitLog
}

// newHarness starts the adapter in Socket Mode; fn, when not nil,
// handles what the recorder records.
func newHarness(t *testing.T, fn dispatcherFunc) *harness {
	t.Helper()
	h := start(t, Options{AppToken: slackfake.AppToken}, fn)
	slackfake.WaitUntil(t, "Socket Mode connection", func() bool { return h.logs.has("slack: connected (Socket Mode)") })
	return h
}

// newHTTPHarness starts the adapter in HTTP mode on a free port and
// returns it with the base URL of its listener.
func newHTTPHarness(t *testing.T, fn dispatcherFunc) (*harness, string) {
	t.Helper()
	h := start(t, Options{SigningSecret: testSecret, Addr: "127.0.0.1:0"}, fn)
	var addr string
	slackfake.WaitUntil(t, "HTTP listener", func() bool {
		for _, line := range strings.Split(h.logs.String(), "\n") {
			if _, rest, ok := strings.Cut(line, "(HTTP mode)"); ok {
				_, rest, _ = strings.Cut(rest, " addr=")
				addr, _, _ = strings.Cut(rest, " ")
				return addr != ""
			}
		}
		return false
	})
	return h, "http://" + addr
}

// start runs the adapter of opt (the tokens and URL filled in),
// dispatching to a recorder that runs fn.
func start(t *testing.T, opt Options, fn dispatcherFunc) *harness {
	t.Helper()
	h := &harness{t: t, fake: slackfake.New(t), rec: &recorder{fn: fn}, logs: &logBuffer{}, errc: make(chan error, 1), waits: &waitLog{}}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opt.BotToken, opt.APIURL, opt.Log = slackfake.BotToken, h.fake.APIURL(), log
	a, err := New(opt)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	a.pingInterval = time.Hour // the fake sends no WebSocket pings
	a.sleep = h.waits.sleep
	h.a = a
	ctx, cancel := context.WithCancel(context.Background())
	go func() { h.errc <- a.Run(ctx, h.rec) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-h.errc:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run: got %v, want context.Canceled", err)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("Run did not return after cancel")
		}
		h.logs.assertNoSecrets(t)
		if testing.Verbose() {
			t.Logf("logs:\n%s", h.logs)
		}
	})
	return h
}

// recorder is a Dispatcher that records the messages it gets and runs
// fn, when set, on each.
type recorder struct {
	fn dispatcherFunc

	mu   sync.Mutex
	msgs []*bot.Message
}

func (rc *recorder) Dispatch(ctx context.Context, m *bot.Message, r bot.Responder) error {
	rc.mu.Lock()
	rc.msgs = append(rc.msgs, m)
	rc.mu.Unlock()
	if rc.fn != nil {
		return rc.fn(ctx, m, r)
	}
	return nil
}

// messages returns the messages dispatched so far.
func (rc *recorder) messages() []*bot.Message {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*bot.Message(nil), rc.msgs...)
}

// logBuffer collects log output for assertions.
type logBuffer struct{ bottest.Buffer }

func (l *logBuffer) has(s string) bool { return strings.Contains(l.String(), s) }

// assertNoSecrets fails the test if a token or the signing secret was
// logged.
func (l *logBuffer) assertNoSecrets(t testing.TB) {
	t.Helper()
	for _, secret := range []string{slackfake.BotToken, slackfake.AppToken, testSecret} {
		if l.has(secret) {
			t.Errorf("the logs contain the secret %q:\n%s", secret, l.String())
		}
	}
}

// waitLog records the waits between Web API retries instead of waiting.
type waitLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (w *waitLog) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.waits = append(w.waits, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waitLog) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.waits...)
}
