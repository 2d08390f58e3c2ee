package teams

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/infracloudio/msbotbuilder-go/schema"
	"github.com/soudan/soudan/bot"
)

// dispatchTimeout bounds one dispatch that goes on after the HTTP answer.
const dispatchTimeout = 2 * time.Minute

// Run serves the Bot Framework endpoint on Options.Addr until ctx ends,
// then waits for the messages being handled. Without an app id it warns
// loudly: anyone who can reach the port can post as any user. With
// Options.External it does not listen: the caller serves Handler, and
// stops serving it before ctx ends.
func (a *Adapter) Run(ctx context.Context, d bot.Dispatcher) error {
	if a.auth == nil {
		a.log.Warn("teams: NO APP ID: requests are NOT authenticated and anyone who can reach the port can act as any user; for local testing only (Microsoft 365 Agents Playground). Set SOUDAN_TEAMS_APP_ID and SOUDAN_TEAMS_APP_PASSWORD for real use.", "addr", a.opt.Addr)
	}
	if a.opt.External {
		a.setServing(true)
		a.log.Info("teams: serving on the shared listener", "path", Path, "authenticated", a.auth != nil, "single_tenant", a.opt.TenantID != "")
		<-ctx.Done()
		a.setServing(false)
		a.busy.Wait()
		return nil
	}
	ln, err := net.Listen("tcp", a.opt.Addr)
	if err != nil {
		return fmt.Errorf("teams: listen: %w", err)
	}
	a.mu.Lock()
	a.addr = ln.Addr()
	a.serving = true
	a.mu.Unlock()
	defer a.setServing(false)
	srv := &http.Server{
		Handler:           a.Handler(ctx, d),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
	}
	a.log.Info("teams: listening", "addr", ln.Addr().String(), "path", Path, "authenticated", a.auth != nil, "single_tenant", a.opt.TenantID != "")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		a.busy.Wait()
		return fmt.Errorf("teams: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		a.log.Warn("teams: shutdown", "err", err)
	}
	a.busy.Wait()
	return nil
}

// Handler returns the HTTP handler of the endpoint: POST /api/messages.
// Dispatches that outlive a request run under ctx's values, not its
// cancellation, for at most dispatchTimeout each.
func (a *Adapter) Handler(ctx context.Context, d bot.Dispatcher) http.Handler {
	mux := http.NewServeMux()
	base := context.WithoutCancel(ctx)
	mux.HandleFunc("POST "+Path, func(w http.ResponseWriter, r *http.Request) {
		a.serveActivity(base, d, w, r)
	})
	return mux
}

// serveActivity handles one activity: it authenticates the request,
// remembers the conversation, and dispatches the neutral message. A
// message is answered at once and handled in the background; a card
// action (invoke) is answered when its handler has refreshed the card,
// finished, or taken InvokeWait. A panic is a 500, never a crash.
func (a *Adapter) serveActivity(base context.Context, d bot.Dispatcher, w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("teams: panic serving an activity", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxActivity))
	if err != nil {
		http.Error(w, "bad request body", http.StatusRequestEntityTooLarge)
		return
	}
	act, err := decodeActivity(body)
	if err != nil {
		a.log.Warn("teams: refused a malformed activity", "err", err)
		http.Error(w, "malformed activity", http.StatusBadRequest)
		return
	}
	if status, err := a.authenticate(r.Context(), act, r.Header.Get("Authorization")); err != nil {
		a.log.Warn("teams: refused a request", "status", status, "reason", err, "remote", r.RemoteAddr)
		http.Error(w, http.StatusText(status), status)
		return
	}
	a.log.Debug("teams: activity", "type", act.Type, "id", act.ID, "conversation", act.Conversation.ID, "conversation_type", act.convType(), "reply_to", act.ReplyToID, "from", act.From.ID, "tenant", act.tenant())
	a.remember(act)
	m, t, ok := a.incoming(act)
	if !ok {
		if act.Type == typeInvoke {
			w.WriteHeader(http.StatusNotImplemented)
			return
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	// Recorded in the inbox before it is answered: a crash after the
	// answer handles it at the next start. One that cannot be recorded is
	// refused with a 503, and the Bot Framework delivers it again.
	first, err := bot.Record(r.Context(), d, m, body)
	if err != nil {
		a.log.Warn("teams: activity not recorded; refused so that it is sent again", "activity", m.ID, "err", err)
		w.Header().Set("Retry-After", "5")
		http.Error(w, "busy, try again", http.StatusServiceUnavailable)
		return
	}
	if !first {
		w.WriteHeader(http.StatusOK) // a redelivery of an activity recorded already
		return
	}
	if act.Type == typeInvoke && act.Name == invokeMessageAction {
		// The dialog closes on an empty answer; what the handler shows
		// (a form) arrives as a message.
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("{}"))
		a.dispatchAsync(base, d, m, t)
		return
	}
	if act.Type == typeInvoke {
		a.answerInvoke(base, d, w, m, t)
		return
	}
	w.WriteHeader(http.StatusOK)
	a.dispatchAsync(base, d, m, t)
}

var _ bot.Resumer = (*Adapter)(nil)

// Resume handles an activity recorded before a restart (origin is the
// activity as it came, already authenticated): its replies go to its
// conversation through the connector.
func (a *Adapter) Resume(ctx context.Context, d bot.Dispatcher, m *bot.Message, origin []byte) error {
	act, err := decodeActivity(origin)
	if err != nil {
		return fmt.Errorf("teams: resume %s: %w", m.ID, err)
	}
	_, t, ok := a.incoming(act)
	if !ok {
		return fmt.Errorf("teams: resume %s: not a message", m.ID)
	}
	t.msg = m
	<-a.dispatchAsync(context.WithoutCancel(ctx), d, m, t)
	return nil
}

// authenticate checks the request's token and tenant. It returns the
// HTTP status of a refusal: 401 for a bad token, 503 when the signing
// keys cannot be fetched, 403 for another tenant of a single-tenant bot.
// Unauthenticated (no app id), it accepts only activities whose service
// URL is on this machine (the Agents Playground): 403 otherwise.
func (a *Adapter) authenticate(ctx context.Context, act *activity, header string) (status int, err error) {
	if a.auth == nil {
		if act.ServiceURL != "" && !loopbackURL(act.ServiceURL) {
			return http.StatusForbidden, errors.New("unauthenticated mode accepts only service URLs on this machine")
		}
		return 0, nil
	}
	defer func() {
		if p := recover(); p != nil {
			status, err = http.StatusUnauthorized, fmt.Errorf("%w: panic checking the token: %v", errUnauthorized, p)
		}
	}()
	sa := schema.Activity{ServiceURL: act.ServiceURL, ChannelID: act.ChannelID}
	if _, err := a.auth.AuthenticateRequest(ctx, sa, header, a.creds, ""); err != nil {
		if errors.Is(err, errKeysUnavailable) {
			return http.StatusServiceUnavailable, err
		}
		return http.StatusUnauthorized, err
	}
	if t := a.opt.TenantID; t != "" && act.tenant() != t {
		return http.StatusForbidden, fmt.Errorf("activity from tenant %q, not the bot's", act.tenant())
	}
	return 0, nil
}

// remember records the activity's conversation, its sender and the users
// it mentions, for later proactive sends and mention names.
func (a *Adapter) remember(act *activity) {
	if act.ServiceURL == "" || act.Conversation.ID == "" {
		return
	}
	var mentioned []account
	for _, e := range act.entities {
		if e.Type == "mention" && e.Mentioned != nil && e.Mentioned.ID != act.Recipient.ID {
			mentioned = append(mentioned, *e.Mentioned)
		}
	}
	a.learn(refOf(act), mentioned...)
}

// dispatchAsync handles m in the background.
func (a *Adapter) dispatchAsync(base context.Context, d bot.Dispatcher, m *bot.Message, t *turn) <-chan struct{} {
	done := make(chan struct{})
	a.busy.Add(1)
	go func() {
		defer a.busy.Done()
		defer close(done)
		a.dispatch(base, d, m, t)
	}()
	return done
}

// dispatch runs the dispatcher on m, recovering from a panic.
func (a *Adapter) dispatch(base context.Context, d bot.Dispatcher, m *bot.Message, t *turn) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("teams: panic handling a message", "kind", m.Kind.String(), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	ctx, cancel := context.WithTimeout(base, dispatchTimeout)
	defer cancel()
	if err := d.Dispatch(ctx, m, t); err != nil {
		a.log.Warn("teams: handling a message failed", "kind", m.Kind.String(), "activity", m.ID, "err", err)
	}
}

// answerInvoke runs an Action.Execute and writes its invoke response: the
// refreshed card when the handler shows one in time, else a short
// acknowledgement (the handler's replies arrive as messages).
func (a *Adapter) answerInvoke(base context.Context, d bot.Dispatcher, w http.ResponseWriter, m *bot.Message, t *turn) {
	t.invoke = newInvokeAnswer()
	done := a.dispatchAsync(base, d, m, t)
	timer := time.NewTimer(a.opt.InvokeWait)
	defer timer.Stop()
	select {
	case <-done:
	case <-t.invoke.ready:
	case <-timer.C:
	}
	resp := map[string]any{"statusCode": http.StatusOK, "type": "application/vnd.microsoft.activity.message", "value": "✓"}
	if c := t.invoke.take(); c != nil {
		resp = map[string]any{"statusCode": http.StatusOK, "type": cardContentType, "value": c}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(resp)
}
