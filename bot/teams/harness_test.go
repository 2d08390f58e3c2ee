package teams

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/bot/teams/teamsfake"
)

// endpoints are the Bot Framework endpoints of the fake.
func endpoints(bf *teamsfake.Server) Endpoints {
	return Endpoints{
		OpenIDMetadata:       bf.OpenIDMetadataURL(),
		TenantOpenIDMetadata: bf.TenantOpenIDMetadataURL(),
		Token:                bf.TokenURL(),
		ServiceURL:           bf.URL(),
	}
}

// env is an adapter served over HTTP, talking to a fake Bot Framework,
// dispatching to d.
type env struct {
	t   *testing.T
	bf  *teamsfake.Server
	a   *Adapter
	srv *httptest.Server
	log *bottest.Buffer
}

// newEnv starts an authenticated adapter (opt may change the options).
func newEnv(t *testing.T, d bot.Dispatcher, opt ...func(*Options)) *env {
	t.Helper()
	bf := teamsfake.New(t)
	buf := &bottest.Buffer{}
	o := Options{
		AppID: teamsfake.AppID, AppPassword: "pw-secret",
		Log:       slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:       func() time.Time { return teamsfake.Now },
		Endpoints: endpoints(bf),
		Retry:     Retry{Base: time.Millisecond, Max: 5 * time.Millisecond},
	}
	for _, fn := range opt {
		fn(&o)
	}
	a, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(a.Handler(context.Background(), d))
	t.Cleanup(srv.Close)
	return &env{t: t, bf: bf, a: a, srv: srv, log: buf}
}

// post sends an activity with the token and returns the answer's status
// and body, after every dispatch it started has finished.
func (e *env) post(act map[string]any, token string) (int, string) {
	e.t.Helper()
	b, err := json.Marshal(act)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.postRaw(b, token)
}

func (e *env) postRaw(b []byte, token string) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+Path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("post activity: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	e.a.busy.Wait()
	return resp.StatusCode, string(body)
}

// recorder is a Dispatcher that records messages and runs an optional
// handler.
type recorder struct {
	mu   sync.Mutex
	msgs []*bot.Message
	fn   func(ctx context.Context, m *bot.Message, r bot.Responder) error
}

func (rc *recorder) Dispatch(ctx context.Context, m *bot.Message, r bot.Responder) error {
	rc.mu.Lock()
	rc.msgs = append(rc.msgs, m)
	fn := rc.fn
	rc.mu.Unlock()
	if fn != nil {
		return fn(ctx, m, r)
	}
	return nil
}

func (rc *recorder) messages() []*bot.Message {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*bot.Message(nil), rc.msgs...)
}
