package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/soudan/soudan/bot"
)

// Paths of HTTP mode. Each accepts every kind of request (events, slash
// commands, interactivity), so the manifest may point all three at one.
const (
	PathEvents      = "/slack/events"
	PathCommands    = "/slack/commands"
	PathInteractive = "/slack/interactive"
)

// maxBody bounds a request body.
const maxBody = 1 << 20

// runHTTP serves HTTP mode on Options.Addr until ctx ends.
func (a *Adapter) runHTTP(ctx, work context.Context, d bot.Dispatcher) error {
	ln, err := net.Listen("tcp", a.opt.Addr)
	if err != nil {
		return fmt.Errorf("slack: listen for Slack requests: %w", err)
	}
	srv := &http.Server{Handler: a.httpHandler(work, d), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.log.Info("slack: listening for Slack requests (HTTP mode)", "addr", ln.Addr().String(), "path", PathEvents)
	a.up.Store(true)
	select {
	case err := <-errc:
		return fmt.Errorf("slack: serve HTTP: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		a.log.Warn("slack: stop HTTP listener", "err", err)
	}
	a.log.Info("slack: stopped listening (shutting down)")
	return ctx.Err()
}

// Handler returns the handler of HTTP mode (POST PathEvents, PathCommands
// and PathInteractive) for a caller that serves it on its own listener
// (Options.External); Run then does not listen. Handlers outlive their
// requests under ctx's values, not its cancellation, until Run stops
// them. Until Run has learnt the bot's identity, requests are refused
// with a 503 and Slack sends them again.
func (a *Adapter) Handler(ctx context.Context, d bot.Dispatcher) http.Handler {
	work, stop := context.WithCancel(context.WithoutCancel(ctx))
	a.extMu.Lock()
	a.extStops = append(a.extStops, stop)
	a.extMu.Unlock()
	h := a.httpHandler(work, d)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.cachedIdentity().UserID == "" {
			refuse(w)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// httpHandler serves Slack's requests: events, slash commands and
// interactions, each verified by its signature before anything in it is
// read.
func (a *Adapter) httpHandler(work context.Context, d bot.Dispatcher) http.Handler {
	mux := http.NewServeMux()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.serveSlack(work, d, w, r) })
	mux.Handle("POST "+PathEvents, h)
	mux.Handle("POST "+PathCommands, h)
	mux.Handle("POST "+PathInteractive, h)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	return mux
}

// serveSlack answers one request from Slack.
func (a *Adapter) serveSlack(work context.Context, d bot.Dispatcher, w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err := verify(r.Header, body, a.opt.SigningSecret); err != nil {
		a.log.Warn("slack: rejected a request", "reason", err, "remote", r.RemoteAddr)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		a.serveEvent(work, d, w, r, body)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	switch {
	case form.Get("payload") != "":
		var ic slack.InteractionCallback
		if err := json.Unmarshal([]byte(form.Get("payload")), &ic); err != nil {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		reply, refused := a.onInteraction(work, d, ic)
		if refused {
			refuse(w)
			return
		}
		writeJSON(w, reply)
	case form.Get("command") != "":
		a.onCommand(work, d, slashCommand(form), httpAck(w))
	default:
		http.Error(w, "unknown request", http.StatusBadRequest)
	}
}

// verify checks a request's signature with the signing secret, and that it
// was signed within the last five minutes (slack.NewSecretsVerifier).
func verify(h http.Header, body []byte, secret string) error {
	sv, err := slack.NewSecretsVerifier(h, secret)
	if err != nil {
		if errors.Is(err, slack.ErrExpiredTimestamp) {
			return errors.New("stale timestamp")
		}
		return errors.New("missing or malformed signature headers")
	}
	if _, err := sv.Write(body); err != nil {
		return fmt.Errorf("hash body: %w", err)
	}
	if err := sv.Ensure(); err != nil {
		return errors.New("signature mismatch")
	}
	return nil
}

// serveEvent answers an Events API request: the url_verification
// challenge, or an event, acknowledged at once and handled in the
// background. Slack's retries (X-Slack-Retry-Num) are acknowledged too,
// and dropped when the event was seen.
func (a *Adapter) serveEvent(work context.Context, d bot.Dispatcher, w http.ResponseWriter, r *http.Request, body []byte) {
	var outer struct {
		Type      string `json:"type"`
		Challenge string `json:"challenge"`
	}
	if err := json.Unmarshal(body, &outer); err != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	if outer.Type == slackevents.URLVerification {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, outer.Challenge)
		return
	}
	if outer.Type == slackevents.AppRateLimited {
		w.WriteHeader(http.StatusOK)
		a.log.Warn("slack: Slack is dropping events: the app is over its event rate limit")
		return
	}
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		w.WriteHeader(http.StatusOK)
		a.log.Debug("slack: event not understood; acknowledged", "err", err)
		return
	}
	retry, _ := strconv.Atoi(r.Header.Get("X-Slack-Retry-Num"))
	a.onEvent(work, d, ev, retry, httpAck(w))
}

// httpAck acknowledges a request once its event is recorded (200), or
// refuses it when it could not be (503, with Retry-After), so that Slack
// sends it again.
func httpAck(w http.ResponseWriter) func(error) {
	return func(err error) {
		if err != nil {
			refuse(w)
			return
		}
		w.WriteHeader(http.StatusOK)
	}
}

// refuse answers 503 with a Retry-After: Slack retries the request later.
func refuse(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "5")
	http.Error(w, "busy, try again", http.StatusServiceUnavailable)
}

// slashCommand reads a slash command's form.
func slashCommand(f url.Values) slack.SlashCommand {
	return slack.SlashCommand{
		TeamID:      f.Get("team_id"),
		TeamDomain:  f.Get("team_domain"),
		ChannelID:   f.Get("channel_id"),
		ChannelName: f.Get("channel_name"),
		UserID:      f.Get("user_id"),
		UserName:    f.Get("user_name"),
		Command:     f.Get("command"),
		Text:        f.Get("text"),
		ResponseURL: f.Get("response_url"),
		TriggerID:   f.Get("trigger_id"),
		APIAppID:    f.Get("api_app_id"),
	}
}

// writeJSON answers with payload as JSON, or an empty 200 when it is nil.
func writeJSON(w http.ResponseWriter, payload any) {
	if payload == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	b, err := json.Marshal(payload)
	if err != nil {
		http.Error(w, "encode response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}
