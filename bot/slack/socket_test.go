package slack

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

// fakeSocket is a Socket Mode client that replays events and records
// acknowledgements.
type fakeSocket struct {
	events chan socketmode.Event
	runErr error // what RunContext returns before ctx ends; nil: wait for ctx

	mu   sync.Mutex
	acks []string // envelope ids
}

func (s *fakeSocket) RunContext(ctx context.Context) error {
	if s.runErr != nil {
		return s.runErr
	}
	<-ctx.Done()
	return ctx.Err()
}

func (s *fakeSocket) Events() <-chan socketmode.Event { return s.events }

func (s *fakeSocket) AckCtx(_ context.Context, envelopeID string, _ any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acks = append(s.acks, envelopeID)
	return nil
}

func (s *fakeSocket) acked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.acks...)
}

// TestSocketStates: each connection state change is one log line; an
// event is acknowledged before it is handled; an envelope slack-go cannot
// decode is acknowledged too; a refused token ends Run with an error.
func TestSocketStates(t *testing.T) {
	f := slackfake.New(t)
	f.AddUser("U1", "田中", "ja-JP", "Asia/Tokyo")
	logs := &logBuffer{}
	a, err := New(Options{BotToken: slackfake.BotToken, AppToken: slackfake.AppToken, APIURL: f.APIURL(), Log: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	sock := &fakeSocket{events: make(chan socketmode.Event)}
	a.newSocket = func() socketClient { return sock }
	handled := make(chan []string, 1)
	d := dispatcherFunc(func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		handled <- sock.acked() // what was acknowledged when the handler ran
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, d) }()

	send := func(e socketmode.Event) { sock.events <- e }
	send(socketmode.Event{Type: socketmode.EventTypeConnecting, Data: &slack.ConnectingEvent{Attempt: 1}})
	send(socketmode.Event{Type: socketmode.EventTypeConnectionError, Data: &slack.ConnectionErrorEvent{Attempt: 1, Backoff: 2 * time.Second, ErrorObj: errors.New("dial tcp: connection refused")}})
	send(socketmode.Event{Type: socketmode.EventTypeConnecting, Data: &slack.ConnectingEvent{Attempt: 2}})
	send(socketmode.Event{Type: socketmode.EventTypeConnected, Data: &socketmode.ConnectedEvent{}})
	send(socketmode.Event{Type: socketmode.EventTypeHello, Request: &socketmode.Request{Type: "hello"}})

	ev := callback(t, "Ev1", map[string]any{"type": "message", "user": "U1", "channel": "D1", "channel_type": "im", "ts": "1.1", "text": "質問です"})
	send(socketmode.Event{Type: socketmode.EventTypeEventsAPI, Data: ev, Request: &socketmode.Request{Type: "events_api", EnvelopeID: "env-1"}})
	select {
	case acked := <-handled:
		if len(acked) != 1 || acked[0] != "env-1" {
			t.Errorf("acknowledged when handled: %v, want env-1 first", acked)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("event not handled")
	}
	bad, _ := json.Marshal(map[string]any{"type": "events_api", "envelope_id": "env-2", "payload": map[string]any{"type": "event_callback", "event": map[string]any{"type": "brand_new_event"}}})
	send(socketmode.Event{Type: socketmode.EventTypeErrorBadMessage, Data: &socketmode.ErrorBadMessage{Cause: errors.New("parsing Events API event"), Message: bad}})
	send(socketmode.Event{Type: socketmode.EventTypeIncomingError, Data: &slack.IncomingEventError{ErrorObj: errors.New("EOF")}})
	send(socketmode.Event{Type: socketmode.EventTypeConnected, Data: &socketmode.ConnectedEvent{ConnectionCount: 1}})
	slackfake.WaitUntil(t, "bad envelope acknowledged", func() bool { return len(sock.acked()) == 2 })
	slackfake.WaitUntil(t, "reconnected", func() bool { return strings.Count(logs.String(), "connected (Socket Mode)") == 2 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v, want context.Canceled", err)
	}

	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		_, msg, _ := strings.Cut(l, `msg="`)
		msg, _, _ = strings.Cut(msg, `"`)
		lines = append(lines, msg)
	}
	want := []string{
		"slack: authenticated",
		"slack: connecting (Socket Mode)",
		"slack: connection failed; retrying",
		"slack: connecting (Socket Mode)",
		"slack: connected (Socket Mode)",
		"slack: connection closed; reconnecting",
		"slack: connected (Socket Mode)",
		"slack: disconnected (shutting down)",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("log lines:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(logs.String(), "retry_in=2s") {
		t.Errorf("the retry line does not say when: %s", logs)
	}
}

func TestSocketRefusedToken(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	a.newSocket = func() socketClient {
		return &fakeSocket{events: make(chan socketmode.Event), runErr: errors.New("invalid_auth")}
	}
	err := a.Run(context.Background(), dispatcherFunc(func(context.Context, *bot.Message, bot.Responder) error { return nil }))
	if err == nil || !strings.Contains(err.Error(), "SOUDAN_SLACK_APP_TOKEN") {
		t.Errorf("Run = %v, want an error naming the app-level token", err)
	}
}

func TestRunRefusedBotToken(t *testing.T) {
	f := slackfake.New(t)
	a, err := New(Options{BotToken: "xoxb-wrong", AppToken: slackfake.AppToken, APIURL: f.APIURL()})
	if err != nil {
		t.Fatal(err)
	}
	err = a.Run(context.Background(), dispatcherFunc(func(context.Context, *bot.Message, bot.Responder) error { return nil }))
	if err == nil || !strings.Contains(err.Error(), "invalid_auth") || strings.Contains(err.Error(), "xoxb-wrong") {
		t.Errorf("Run = %v, want invalid_auth without the token", err)
	}
}

// TestSocketModeReconnect: when Slack asks for a new connection, the
// adapter opens one by itself.
func TestSocketModeReconnect(t *testing.T) {
	h := newHarness(t, nil)
	h.fake.SendToWebsocket(`{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"x"}}`)
	slackfake.WaitUntil(t, "reconnection", func() bool { return strings.Count(h.logs.String(), "slack: connected (Socket Mode)") == 2 })
	if !h.logs.has("slack: reconnecting (Socket Mode)") {
		t.Errorf("the reconnection was not logged:\n%s", h.logs)
	}
	if n := len(h.fake.CallsOf("auth.test")); n != 1 {
		t.Errorf("auth.test called %d times, want once (a reconnection is not a restart)", n)
	}
}

func TestNewChecksOptions(t *testing.T) {
	for _, tc := range []struct {
		opt  Options
		want string
	}{
		{Options{AppToken: "xapp-1"}, "bot token"},
		{Options{BotToken: "xoxb-1"}, "app-level token"},
		{Options{BotToken: "xoxb-1", SigningSecret: "s"}, "listen address"},
	} {
		if _, err := New(tc.opt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error about the %s", tc.opt, err, tc.want)
		}
	}
	a, err := New(Options{BotToken: "xoxb-1", SigningSecret: "s", Addr: ":0", APIURL: "http://proxy.example/api"})
	if err != nil || a.SocketMode() || a.opt.APIURL != "http://proxy.example/api/" {
		t.Errorf("HTTP mode adapter: %v, socket %t, API URL %q", err, a != nil && a.SocketMode(), a.opt.APIURL)
	}
}
