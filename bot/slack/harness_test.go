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
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// harness runs the adapter in Socket Mode against the fake Slack, with
// the real handlers, router and a store on a temporary file.
type harness struct {
	t     *testing.T
	fake  *fakeSlack
	a     *Adapter
	st    *store.Store
	logs  *logBuffer
	seq   int
	ctx   context.Context
	errc  chan error
	waits *waitLog
}

// newHarness starts the adapter in Socket Mode; admins are "slack:U…"
// entries.
func newHarness(t *testing.T, admins ...string) *harness {
	t.Helper()
	h := start(t, Options{AppToken: testAppToken}, admins)
	waitUntil(t, "Socket Mode connection", func() bool { return h.logs.has("slack: connected (Socket Mode)") })
	return h
}

// newHTTPHarness starts the adapter in HTTP mode on a free port and
// returns it with the base URL of its listener.
func newHTTPHarness(t *testing.T, admins ...string) (*harness, string) {
	t.Helper()
	h := start(t, Options{SigningSecret: testSecret, Addr: "127.0.0.1:0"}, admins)
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

// start runs the adapter of opt (the tokens and URL filled in) with the
// handlers.
func start(t *testing.T, opt Options, admins []string) *harness {
	t.Helper()
	h := &harness{t: t, fake: newFakeSlack(t), logs: &logBuffer{}, errc: make(chan error, 1), waits: &waitLog{}}
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opt.BotToken, opt.APIURL, opt.Log = testBotToken, h.fake.srv.GetAPIURL(), log
	a, err := New(opt)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	a.pingInterval = time.Hour // the fake sends no WebSocket pings
	a.sleep = h.waits.sleep
	h.a = a
	h.st = storetest.MustOpen(t)
	app, err := handlers.New(handlers.Config{Store: h.st, Sender: bot.Mux{bot.PlatformSlack: a}, Log: log, Admins: admins})
	if err != nil {
		t.Fatalf("handlers.New: %v", err)
	}
	rt := bot.NewRouter()
	app.Register(rt)
	ctx, cancel := context.WithCancel(context.Background())
	h.ctx = ctx
	go func() { h.errc <- a.Run(ctx, rt) }()
	outDone := make(chan struct{})
	go func() {
		defer close(outDone)
		if err := app.Outbox().Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("outbox: %v", err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-outDone
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

// event sends an Events API event and waits for its acknowledgement.
func (h *harness) event(eventID string, inner map[string]any, retry int) {
	h.t.Helper()
	env := h.envelope("events_api", map[string]any{"type": "event_callback", "team_id": testTeam, "event_id": eventID, "event_time": 1700000000, "event": inner}, retry)
	h.fake.waitAck(env)
}

// post sends a message event from user in channel (in thread when set).
func (h *harness) post(eventID, user, channel, ts, thread, text string) {
	h.t.Helper()
	ev := map[string]any{"type": "message", "user": user, "channel": channel, "ts": ts, "text": text, "channel_type": channelType(channel)}
	if thread != "" {
		ev["thread_ts"] = thread
	}
	h.event(eventID, ev, 0)
}

func channelType(ch string) string {
	if strings.HasPrefix(ch, "D") {
		return "im"
	}
	return "channel"
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

// press sends a block_actions interaction: user pressed the button
// actionID (value) on the message ts in channel.
func (h *harness) press(user, channel, ts, actionID, value, trigger string) {
	h.t.Helper()
	env := h.envelope("interactive", map[string]any{
		"type": "block_actions", "trigger_id": trigger, "team": map[string]any{"id": testTeam},
		"user":      map[string]any{"id": user, "name": strings.ToLower(user)},
		"container": map[string]any{"type": "message", "channel_id": channel, "message_ts": ts},
		"channel":   map[string]any{"id": channel},
		"message":   map[string]any{"ts": ts},
		"actions":   []any{map[string]any{"type": "button", "action_id": actionID, "value": value, "block_id": "b", "action_ts": "1700000500.000001"}},
	}, 0)
	h.fake.waitAck(env)
}

// pressHome sends a block_actions interaction: user pressed the button
// actionID in their App Home.
func (h *harness) pressHome(user, actionID, trigger string) {
	h.t.Helper()
	env := h.envelope("interactive", map[string]any{
		"type": "block_actions", "trigger_id": trigger, "team": map[string]any{"id": testTeam},
		"user":      map[string]any{"id": user},
		"container": map[string]any{"type": "view", "view_id": "VHOME"},
		"view":      map[string]any{"id": "VHOME", "type": "home"},
		"actions":   []any{map[string]any{"type": "button", "action_id": actionID, "block_id": "b", "action_ts": "1700000600.000001"}},
	}, 0)
	h.fake.waitAck(env)
}

// submit sends the view_submission of the modal view (as views.open got
// it) with the given state values, and returns the acknowledgement's
// payload (nil when the modal closes).
func (h *harness) submit(user string, view map[string]any, values map[string]any, trigger string) map[string]any {
	h.t.Helper()
	v := map[string]any{
		"id": "V-sub", "hash": "h1", "type": "modal", "callback_id": view["callback_id"],
		"private_metadata": view["private_metadata"], "state": map[string]any{"values": values},
	}
	env := h.envelope("interactive", map[string]any{
		"type": "view_submission", "trigger_id": trigger, "team": map[string]any{"id": testTeam},
		"user": map[string]any{"id": user, "name": strings.ToLower(user)}, "view": v,
	}, 0)
	ack := h.fake.waitAck(env)
	p, _ := ack["payload"].(map[string]any)
	return p
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
