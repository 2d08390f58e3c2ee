package teams

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
)

// Test identities.
const (
	testAppID  = "11111111-2222-3333-4444-555555555555"
	testTenant = "99999999-8888-7777-6666-555555555555"
	testBotID  = "28:" + testAppID
	testKID    = "key-1"
)

// testNow is the fixed time of the tests' tokens and adapter.
var testNow = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)

// fakeBF is an httptest fake of the Bot Framework side: OpenID metadata
// and keys (signed with an RSA key the test makes), the token endpoint,
// and the connector of a service URL. It records every connector call.
type fakeBF struct {
	t   testing.TB
	srv *httptest.Server
	key *rsa.PrivateKey

	mu         sync.Mutex
	calls      []call // connector calls, in order
	tokens     int    // token requests
	keyFetch   int    // JWKS requests
	tokenDown  bool   // the token endpoint answers 503
	keysDown   bool   // the metadata endpoint answers 503
	throttle   int    // the next throttle connector calls answer 429
	retryAfter string
	fail5xx    int // the next fail5xx connector calls answer 502
	refuse401  int // the next refuse401 connector calls answer 401
	seq        int
	members    map[string]member
}

// call is one recorded connector call.
type call struct {
	Method, Path, Auth string
	Body               map[string]any
}

// testKey is the fake's signing key, made once: RSA key generation is
// slow under -race.
var testKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

func newFakeBF(t testing.TB) *fakeBF {
	t.Helper()
	key, err := testKey()
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeBF{t: t, key: key, members: map[string]member{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the fake's base URL; it is also the service URL of activities.
func (f *fakeBF) URL() string { return f.srv.URL + "/" }

func (f *fakeBF) endpoints() Endpoints {
	return Endpoints{
		OpenIDMetadata:       f.srv.URL + "/openid",
		TenantOpenIDMetadata: f.srv.URL + "/tenant-openid",
		Token:                f.srv.URL + "/token",
		ServiceURL:           f.URL(),
	}
}

func (f *fakeBF) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.URL.Path == "/openid" || r.URL.Path == "/tenant-openid":
		if f.keysDown {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, map[string]any{"jwks_uri": f.srv.URL + "/keys"})
	case r.URL.Path == "/keys":
		f.keyFetch++
		writeJSON(w, map[string]any{"keys": []any{f.jwk()}})
	case r.URL.Path == "/token":
		f.tokens++
		if f.tokenDown {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": fmt.Sprintf("tok-%d", f.tokens)})
	case strings.HasPrefix(r.URL.Path, "/v3/conversations"):
		f.connector(w, r, body)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeBF) connector(w http.ResponseWriter, r *http.Request, body []byte) {
	c := call{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization")}
	_ = json.Unmarshal(body, &c.Body)
	f.calls = append(f.calls, c)
	switch {
	case f.refuse401 > 0:
		f.refuse401--
		w.WriteHeader(http.StatusUnauthorized)
		return
	case f.throttle > 0:
		f.throttle--
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		w.WriteHeader(http.StatusTooManyRequests)
		return
	case f.fail5xx > 0:
		f.fail5xx--
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	f.seq++
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/v3/conversations"), "/")
	switch {
	case r.Method == http.MethodPost && len(parts) == 1: // create conversation
		if ch, ok := c.Body["channelData"].(map[string]any)["channel"].(map[string]any); ok {
			id := fmt.Sprintf("p%d", f.seq)
			writeJSON(w, map[string]any{"id": ch["id"].(string) + ";messageid=" + id, "activityId": id})
			return
		}
		members, _ := c.Body["members"].([]any)
		if len(members) != 1 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		user := members[0].(map[string]any)["id"].(string)
		writeJSON(w, map[string]any{"id": "a:dm-" + user})
	case r.Method == http.MethodPost && len(parts) == 3 && parts[2] == "activities":
		writeJSON(w, map[string]any{"id": fmt.Sprintf("m%d", f.seq)})
	case r.Method == http.MethodPut:
		writeJSON(w, map[string]any{"id": parts[len(parts)-1]})
	case r.Method == http.MethodGet && len(parts) == 4 && parts[2] == "members":
		m, ok := f.members[parts[3]]
		if !ok {
			http.NotFound(w, r)
			return
		}
		writeJSON(w, m)
	default:
		http.NotFound(w, r)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// jwk is the public key as a JWK, endorsed for Teams.
func (f *fakeBF) jwk() map[string]any {
	pub := f.key.PublicKey
	return map[string]any{
		"kty": "RSA", "use": "sig", "kid": testKID, "alg": "RS256",
		"n":            base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e":            base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		"endorsements": []string{"msteams"},
	}
}

// token signs claims with the fake's key (or another key) under testKID.
func signToken(t testing.TB, key *rsa.PrivateKey, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = testKID
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// channelClaims are the claims of a valid Bot Framework channel token.
func (f *fakeBF) channelClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss":        "https://api.botframework.com",
		"aud":        testAppID,
		"exp":        testNow.Add(time.Hour).Unix(),
		"nbf":        testNow.Add(-time.Minute).Unix(),
		"serviceurl": f.URL(),
	}
}

// validToken is a valid channel token for the fake's service URL.
func (f *fakeBF) validToken() string { return signToken(f.t, f.key, f.channelClaims()) }

// Calls returns the connector calls so far.
func (f *fakeBF) Calls() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

// set changes the fake's behaviour under its lock.
func (f *fakeBF) set(fn func(f *fakeBF)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// env is an adapter served over HTTP, talking to a fake Bot Framework,
// dispatching to d.
type env struct {
	t   *testing.T
	bf  *fakeBF
	a   *Adapter
	srv *httptest.Server
	log *bottest.Buffer
}

// newEnv starts an authenticated adapter (opt may change the options).
func newEnv(t *testing.T, d bot.Dispatcher, opt ...func(*Options)) *env {
	t.Helper()
	bf := newFakeBF(t)
	buf := &bottest.Buffer{}
	o := Options{
		AppID: testAppID, AppPassword: "pw-secret",
		Log:       slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:       func() time.Time { return testNow },
		Endpoints: bf.endpoints(),
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

// Activity builders.

func from(id, name string) map[string]any { return map[string]any{"id": id, "name": name} }

// dmActivity is a message in the user's personal chat with the bot.
func (f *fakeBF) dmActivity(id, userID, name, text string) map[string]any {
	return map[string]any{
		"type": "message", "id": id, "timestamp": "2026-11-20T01:00:00.000Z",
		"serviceUrl": f.URL(), "channelId": "msteams", "locale": "ja-JP",
		"from": from(userID, name), "recipient": from(testBotID, "soudan"),
		"conversation": map[string]any{"id": "a:dm-" + userID, "conversationType": "personal", "tenantId": testTenant},
		"channelData":  map[string]any{"tenant": map[string]any{"id": testTenant}},
		"text":         text,
	}
}

// channelActivity is a message in a channel: at top level when root is ""
// (its own id is then the root), else in the thread of root.
func (f *fakeBF) channelActivity(id, root, userID, name, text string, entities ...any) map[string]any {
	if root == "" {
		root = id
	}
	act := map[string]any{
		"type": "message", "id": id, "timestamp": "2026-11-20T01:00:00.000Z",
		"serviceUrl": f.URL(), "channelId": "msteams", "locale": "en-US",
		"from": from(userID, name), "recipient": from(testBotID, "soudan"),
		"conversation": map[string]any{"id": testChannel + ";messageid=" + root, "conversationType": "channel", "tenantId": testTenant, "isGroup": true},
		"channelData":  map[string]any{"tenant": map[string]any{"id": testTenant}, "channel": map[string]any{"id": testChannel}, "team": map[string]any{"id": "19:team@thread.tacv2"}},
		"text":         text,
	}
	if len(entities) > 0 {
		act["entities"] = entities
	}
	return act
}

// testChannel is the channel of channel activities.
const testChannel = "19:career@thread.tacv2"

// mention is a mention entity.
func mention(id, name string) map[string]any {
	return map[string]any{"type": "mention", "text": "<at>" + name + "</at>", "mentioned": map[string]any{"id": id, "name": name}}
}
