package slack

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/slack/slackfake"
)

// With Options.External the adapter does not listen: its Handler, served
// by the caller, refuses requests (503, so Slack retries) until Run knows
// the bot's identity, then accepts signed events; Ready says so.
func TestExternalHTTPMode(t *testing.T) {
	fake := slackfake.New(t)
	logs := &logBuffer{}
	a, err := New(Options{BotToken: slackfake.BotToken, SigningSecret: testSecret, External: true, APIURL: fake.APIURL(),
		Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatalf("New(External, no Addr): %v", err)
	}
	if !a.External() {
		t.Fatal("External() = false")
	}
	rec := &recorder{}
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewServer(a.Handler(ctx, rec))
	defer srv.Close()
	if err := a.Ready(); err == nil {
		t.Errorf("Ready before Run = nil, want an error")
	}
	if status, _ := slackfake.Do(t, srv.URL, slackfake.Request{Path: PathEvents, ContentType: "application/json", Body: slackfake.EventBody("Ev0", tanaka, "早すぎ"), Secret: testSecret}); status != http.StatusServiceUnavailable {
		t.Errorf("event before Run: status %d, want 503", status)
	}
	errc := make(chan error, 1)
	go func() { errc <- a.Run(ctx, rec) }()
	slackfake.WaitUntil(t, "ready", func() bool { return a.Ready() == nil })
	if status, _ := slackfake.Do(t, srv.URL, slackfake.Request{Path: PathEvents, ContentType: "application/json", Body: slackfake.EventBody("Ev1", tanaka, "相談です"), Secret: testSecret}); status != http.StatusOK {
		t.Errorf("event: status %d, want 200", status)
	}
	slackfake.WaitUntil(t, "the event dispatched", func() bool { return len(rec.messages()) == 1 })
	if logs.has("(HTTP mode)") {
		t.Errorf("the adapter listened on its own:\n%s", logs)
	}
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if err := a.Ready(); err == nil {
		t.Errorf("Ready after Run = nil, want an error")
	}
	logs.assertNoSecrets(t)
}

// Ready holds once HTTP mode listens, and once Socket Mode is connected.
func TestReadyOwnListenerAndSocketMode(t *testing.T) {
	h, _ := newHTTPHarness(t, nil)
	slackfake.WaitUntil(t, "HTTP mode ready", func() bool { return h.a.Ready() == nil })
	s := newHarness(t, nil)
	slackfake.WaitUntil(t, "Socket Mode ready", func() bool { return s.a.Ready() == nil })
}
