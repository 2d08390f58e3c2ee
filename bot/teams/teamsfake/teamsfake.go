// Package teamsfake is a fake of the Bot Framework side of Microsoft
// Teams for tests: an httptest server with OpenID metadata and keys (an
// RSA key it signs channel tokens with), the token endpoint, and the
// connector of a service URL, recording every connector call, plus
// builders of the activities Teams sends. Both the Teams adapter's tests
// and the whole bot's tests run on it.
//
// It imports only the standard library and golang-jwt: packages under
// bot/ import nothing of soudan but bot.
package teamsfake

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// The fake's identities.
const (
	// AppID is the bot's Microsoft app id, the audience of channel tokens.
	AppID = "11111111-2222-3333-4444-555555555555"
	// Tenant is the tenant of the fake's activities.
	Tenant = "99999999-8888-7777-6666-555555555555"
	// BotID is the bot's account id, the recipient of activities.
	BotID = "28:" + AppID
	// KID is the key id of the fake's signing key.
	KID = "key-1"
	// Channel is the channel of ChannelActivity.
	Channel = "19:career@thread.tacv2"
)

// Now is the fixed time of the channel tokens' validity (ChannelClaims):
// an adapter checking them must run at this time.
var Now = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)

// Server is an httptest fake of the Bot Framework: OpenID metadata and
// keys, the token endpoint, and the connector of its service URL (URL).
// The connector creates conversations (a 1:1 chat "a:dm-" + the member's
// id, or a channel post), accepts every activity and answers the members
// AddMember made known; its failures can be injected.
type Server struct {
	t   testing.TB
	srv *httptest.Server
	key *rsa.PrivateKey

	mu         sync.Mutex
	calls      []Call // connector calls, in order
	tokens     int    // token requests
	keyFetch   int    // JWKS requests
	tokenDown  bool   // the token endpoint answers 503
	keysDown   bool   // the metadata endpoint answers 503
	throttle   int    // the next throttle connector calls answer 429
	retryAfter string
	fail5xx    int // the next fail5xx connector calls answer 502
	refuse401  int // the next refuse401 connector calls answer 401
	seq        int
	members    map[string]Member
}

// Call is one recorded connector call.
type Call struct {
	Method, Path, Auth string
	Body               map[string]any
}

// Member is a conversation member as the connector answers it.
type Member struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	AADObjectID       string `json:"aadObjectId"`
	UserPrincipalName string `json:"userPrincipalName"`
	Email             string `json:"email"`
}

// signingKey is the fakes' signing key, made once: RSA key generation is
// slow under -race.
var signingKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

// New starts a fake Bot Framework, closed when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	key, err := signingKey()
	if err != nil {
		t.Fatal(err)
	}
	f := &Server{t: t, key: key, members: map[string]Member{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the fake's base URL; it is also the service URL of activities.
func (f *Server) URL() string { return f.srv.URL + "/" }

// OpenIDMetadataURL is the URL of the fake's OpenID metadata.
func (f *Server) OpenIDMetadataURL() string { return f.srv.URL + "/openid" }

// TenantOpenIDMetadataURL is the URL of the fake's OpenID metadata for
// single-tenant bots.
func (f *Server) TenantOpenIDMetadataURL() string { return f.srv.URL + "/tenant-openid" }

// TokenURL is the URL of the fake's token endpoint.
func (f *Server) TokenURL() string { return f.srv.URL + "/token" }

// Key is the fake's signing key, whose public half its metadata serves.
func (f *Server) Key() *rsa.PrivateKey { return f.key }

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
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

func (f *Server) connector(w http.ResponseWriter, r *http.Request, body []byte) {
	c := Call{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization")}
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
	case r.Method == http.MethodPost && len(parts) == 1: // create a conversation
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
func (f *Server) jwk() map[string]any {
	pub := f.key.PublicKey
	return map[string]any{
		"kty": "RSA", "use": "sig", "kid": KID, "alg": "RS256",
		"n":            base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e":            base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		"endorsements": []string{"msteams"},
	}
}

// SignToken signs claims with key (the fake's Key, or another) under KID.
func SignToken(t testing.TB, key *rsa.PrivateKey, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = KID
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ChannelClaims are the claims of a valid Bot Framework channel token for
// AppID and the fake's service URL, valid at Now.
func (f *Server) ChannelClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss":        "https://api.botframework.com",
		"aud":        AppID,
		"exp":        Now.Add(time.Hour).Unix(),
		"nbf":        Now.Add(-time.Minute).Unix(),
		"serviceurl": f.URL(),
	}
}

// ValidToken is a valid channel token for the fake's service URL.
func (f *Server) ValidToken() string { return SignToken(f.t, f.key, f.ChannelClaims()) }

// Calls returns the connector calls so far, oldest first.
func (f *Server) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// KeyFetches is the number of requests for the signing keys so far.
func (f *Server) KeyFetches() (n int) {
	f.locked(func() { n = f.keyFetch })
	return n
}

// TokenRequests is the number of requests to the token endpoint so far.
func (f *Server) TokenRequests() (n int) {
	f.locked(func() { n = f.tokens })
	return n
}

// SetKeysDown makes the OpenID metadata endpoints answer 503 (down) or
// serve again.
func (f *Server) SetKeysDown(down bool) { f.locked(func() { f.keysDown = down }) }

// SetTokenDown makes the token endpoint answer 503 (down) or serve again.
func (f *Server) SetTokenDown(down bool) { f.locked(func() { f.tokenDown = down }) }

// Throttle makes the next n connector calls answer 429, with a
// Retry-After header when retryAfter is set.
func (f *Server) Throttle(n int, retryAfter string) {
	f.locked(func() { f.throttle, f.retryAfter = n, retryAfter })
}

// Fail5xx makes the next n connector calls answer 502.
func (f *Server) Fail5xx(n int) { f.locked(func() { f.fail5xx = n }) }

// Refuse401 makes the next n connector calls answer 401.
func (f *Server) Refuse401(n int) { f.locked(func() { f.refuse401 = n }) }

// AddMember makes the connector know a conversation member.
func (f *Server) AddMember(m Member) { f.locked(func() { f.members[m.ID] = m }) }

// ForgetMembers makes the connector know no member.
func (f *Server) ForgetMembers() { f.locked(func() { f.members = map[string]Member{} }) }

// locked runs fn under the fake's lock.
func (f *Server) locked(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn()
}
