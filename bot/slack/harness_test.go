package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
)

// harness runs the adapter against the fake Slack, dispatching to a
// recorder. (Runs with the whole bot behind the adapter are in
// cmd/soudan.)
type harness struct {
	t     *testing.T
	fake  *fakeSlack
	a     *Adapter
	rec   *recorder
	logs  *logBuffer
	seq   int
	errc  chan error
	waits *waitLog
}

// newHarness starts the adapter in Socket Mode; fn, when not nil,
// handles what the recorder records.
func newHarness(t *testing.T, fn dispatcherFunc) *harness {
	t.Helper()
	h := start(t, Options{AppToken: testAppToken}, fn)
	waitUntil(t, "Socket Mode connection", func() bool { return h.logs.has("slack: connected (Socket Mode)") })
	return h
}

// newHTTPHarness starts the adapter in HTTP mode on a free port and
// returns it with the base URL of its listener.
func newHTTPHarness(t *testing.T, fn dispatcherFunc) (*harness, string) {
	t.Helper()
	h := start(t, Options{SigningSecret: testSecret, Addr: "127.0.0.1:0"}, fn)
	var addr string
	waitUntil(t, "HTTP listener", func() bool {
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
	h := &harness{t: t, fake: newFakeSlack(t), rec: &recorder{fn: fn}, logs: &logBuffer{}, errc: make(chan error, 1), waits: &waitLog{}}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opt.BotToken, opt.APIURL, opt.Log = testBotToken, h.fake.srv.GetAPIURL(), log
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

// envelope sends a Socket Mode envelope and returns its id.
func (h *harness) envelope(kind string, payload any, retry int) string {
	h.t.Helper()
	h.seq++
	id := fmt.Sprintf("env-%d", h.seq)
	b, err := json.Marshal(map[string]any{"type": kind, "envelope_id": id, "payload": payload, "retry_attempt": retry, "accepts_response_payload": kind != "events_api"})
	if err != nil {
		h.t.Fatal(err)
	}
	h.fake.srv.SendToWebsocket(string(b))
	return id
}

// command sends "/soudan text" from user in channel with a trigger id and
// a response_url on a foreign host, and waits for its acknowledgement.
func (h *harness) command(user, channel, text, trigger string) {
	h.t.Helper()
	h.commandVia(user, channel, text, trigger, "https://hooks.example/"+trigger)
}

// commandVia is command with the given response_url.
func (h *harness) commandVia(user, channel, text, trigger, responseURL string) {
	h.t.Helper()
	name := "general"
	if strings.HasPrefix(channel, "D") {
		name = "directmessage"
	}
	env := h.envelope("slash_commands", map[string]any{
		"command": "/soudan", "text": text, "team_id": testTeam, "user_id": user, "user_name": strings.ToLower(user),
		"channel_id": channel, "channel_name": name, "trigger_id": trigger, "response_url": responseURL,
	}, 0)
	h.fake.waitAck(env)
}

// text is a plain_text_input state value.
func text(v string) map[string]any {
	return map[string]any{"v": map[string]any{"type": "plain_text_input", "value": v}}
}

// radio is a radio_buttons state value.
func radio(v string) map[string]any {
	return map[string]any{"v": map[string]any{"type": "radio_buttons", "selected_option": map[string]any{"value": v}}}
}

// multi is a multi_static_select state value.
func multi(vs ...string) map[string]any {
	opts := []any{}
	for _, v := range vs {
		opts = append(opts, map[string]any{"value": v})
	}
	return map[string]any{"v": map[string]any{"type": "multi_static_select", "selected_options": opts}}
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
	for _, secret := range []string{testBotToken, testAppToken, testSecret} {
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
