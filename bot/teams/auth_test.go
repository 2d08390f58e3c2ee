package teams

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
	"github.com/soudan/soudan/bot/teams/teamsfake"
)

// TestAuthTokens posts the same activity with good and bad tokens: only
// the valid one is dispatched; every bad one is a 401, never a panic.
func TestAuthTokens(t *testing.T) {
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rc := &recorder{}
	e := newEnv(t, rc)
	without := func(name string) string {
		c := e.bf.ChannelClaims()
		delete(c, name)
		return teamsfake.SignToken(t, e.bf.Key(), c)
	}
	with := func(name string, v any) string {
		c := e.bf.ChannelClaims()
		c[name] = v
		return teamsfake.SignToken(t, e.bf.Key(), c)
	}
	hs256 := jwt.NewWithClaims(jwt.SigningMethodHS256, e.bf.ChannelClaims())
	hs256.Header["kid"] = teamsfake.KID
	hsToken, _ := hs256.SignedString([]byte("shared"))
	noKid := jwt.NewWithClaims(jwt.SigningMethodRS256, e.bf.ChannelClaims())
	noKidToken, _ := noKid.SignedString(e.bf.Key())

	for _, tc := range []struct {
		name  string
		token string
		want  int
	}{
		{"valid", e.bf.ValidToken(), http.StatusOK},
		{"none", "", http.StatusUnauthorized},
		{"garbage", "not-a-jwt", http.StatusUnauthorized},
		{"forged: signed by another key", teamsfake.SignToken(t, other, e.bf.ChannelClaims()), http.StatusUnauthorized},
		{"expired", with("exp", teamsfake.Now.Add(-time.Hour).Unix()), http.StatusUnauthorized},
		{"not yet valid", with("nbf", teamsfake.Now.Add(time.Hour).Unix()), http.StatusUnauthorized},
		{"claim-less", teamsfake.SignToken(t, e.bf.Key(), jwt.MapClaims{}), http.StatusUnauthorized},
		{"no serviceurl", without("serviceurl"), http.StatusUnauthorized},
		{"no exp", without("exp"), http.StatusUnauthorized},
		{"no aud", without("aud"), http.StatusUnauthorized},
		{"no iss", without("iss"), http.StatusUnauthorized},
		{"serviceurl a number", with("serviceurl", 42), http.StatusUnauthorized},
		{"aud a number", with("aud", 42), http.StatusUnauthorized},
		{"iss a list", with("iss", []string{"https://api.botframework.com"}), http.StatusUnauthorized},
		{"another app", with("aud", "00000000-0000-0000-0000-000000000000"), http.StatusUnauthorized},
		{"another issuer", with("iss", "https://evil.example"), http.StatusUnauthorized},
		{"another service url", with("serviceurl", "https://evil.example/"), http.StatusUnauthorized},
		{"HS256", hsToken, http.StatusUnauthorized},
		{"no kid", noKidToken, http.StatusUnauthorized},
		{"aud list", with("aud", []string{"x", teamsfake.AppID}), http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(rc.messages())
			got, _ := e.post(e.bf.DMActivity("a-"+tc.name, "29:u", "田中", "ヘルプ"), tc.token)
			if got != tc.want {
				t.Errorf("status: got %d, want %d", got, tc.want)
			}
			dispatched := len(rc.messages()) - before
			if want := map[bool]int{true: 1, false: 0}[tc.want == http.StatusOK]; dispatched != want {
				t.Errorf("dispatched %d messages, want %d", dispatched, want)
			}
		})
	}
	if strings.Contains(e.log.String(), "panic") {
		t.Errorf("log mentions a panic:\n%s", e.log.String())
	}
}

// TestAuthKeysUnavailable: when the signing keys cannot be fetched the
// request is refused with 503 (the Bot Framework retries), not dispatched.
func TestAuthKeysUnavailable(t *testing.T) {
	rc := &recorder{}
	e := newEnv(t, rc)
	e.bf.SetKeysDown(true)
	got, _ := e.post(e.bf.DMActivity("a1", "29:u", "田中", "help"), e.bf.ValidToken())
	if got != http.StatusServiceUnavailable {
		t.Errorf("status: got %d, want 503", got)
	}
	e.bf.SetKeysDown(false)
	got, _ = e.post(e.bf.DMActivity("a2", "29:u", "田中", "help"), e.bf.ValidToken())
	if got != http.StatusOK || len(rc.messages()) != 1 {
		t.Errorf("after the keys came back: status %d, %d dispatched; want 200, 1", got, len(rc.messages()))
	}
}

// TestAuthPanicIsUnauthorized: a panic while checking a token is a 401
// and a log line, and the server keeps serving.
func TestAuthPanicIsUnauthorized(t *testing.T) {
	rc := &recorder{}
	e := newEnv(t, rc)
	e.a.auth.issuers[0].keys = nil // any key lookup now panics
	got, _ := e.post(e.bf.DMActivity("a1", "29:u", "田中", "help"), e.bf.ValidToken())
	if got != http.StatusUnauthorized {
		t.Errorf("status: got %d, want 401", got)
	}
	if !strings.Contains(e.log.String(), "panic checking the token") {
		t.Errorf("log does not record the panic:\n%s", e.log.String())
	}
	if len(rc.messages()) != 0 {
		t.Errorf("dispatched %d messages, want 0", len(rc.messages()))
	}
}

// TestAuthKeysFetchedOnce: keys are cached across requests.
func TestAuthKeysFetchedOnce(t *testing.T) {
	e := newEnv(t, &recorder{})
	for i := range 3 {
		if got, _ := e.post(e.bf.DMActivity("a"+string(rune('0'+i)), "29:u", "田中", "help"), e.bf.ValidToken()); got != http.StatusOK {
			t.Fatalf("status: got %d, want 200", got)
		}
	}
	if n := e.bf.KeyFetches(); n != 1 {
		t.Errorf("keys fetched %d times, want 1", n)
	}
}

// TestSingleTenant accepts the tenant's own tokens and refuses activities
// from other tenants.
func TestSingleTenant(t *testing.T) {
	rc := &recorder{}
	e := newEnv(t, rc, func(o *Options) { o.TenantID = teamsfake.Tenant })
	tenantToken := teamsfake.SignToken(t, e.bf.Key(), jwt.MapClaims{
		"iss": "https://login.microsoftonline.com/" + teamsfake.Tenant + "/v2.0",
		"aud": teamsfake.AppID, "tid": teamsfake.Tenant, "exp": teamsfake.Now.Add(time.Hour).Unix(),
	})
	otherTenant := teamsfake.SignToken(t, e.bf.Key(), jwt.MapClaims{
		"iss": "https://login.microsoftonline.com/" + teamsfake.Tenant + "/v2.0",
		"aud": teamsfake.AppID, "tid": "another", "exp": teamsfake.Now.Add(time.Hour).Unix(),
	})
	if got, _ := e.post(e.bf.DMActivity("a1", "29:u", "田中", "help"), tenantToken); got != http.StatusOK {
		t.Errorf("tenant token: got %d, want 200", got)
	}
	if got, _ := e.post(e.bf.DMActivity("a2", "29:u", "田中", "help"), otherTenant); got != http.StatusUnauthorized {
		t.Errorf("token of another tenant: got %d, want 401", got)
	}
	elsewhere := e.bf.DMActivity("a4", "29:u", "田中", "help")
	elsewhere["serviceUrl"] = "https://evil.example/"
	if got, _ := e.post(elsewhere, tenantToken); got != http.StatusUnauthorized {
		t.Errorf("tenant token for an activity from an unknown service URL: got %d, want 401", got)
	}
	foreign := e.bf.DMActivity("a3", "29:u", "田中", "help")
	foreign["conversation"].(map[string]any)["tenantId"] = "another"
	if got, _ := e.post(foreign, e.bf.ValidToken()); got != http.StatusForbidden {
		t.Errorf("activity of another tenant: got %d, want 403", got)
	}
	if len(rc.messages()) != 1 {
		t.Errorf("dispatched %d messages, want 1", len(rc.messages()))
	}
	if !strings.HasSuffix(e.a.opt.Endpoints.Token, "/token") {
		t.Errorf("token URL: got %q", e.a.opt.Endpoints.Token)
	}
}

// TestTokenURLs: multi-tenant bots get tokens from botframework.com,
// single-tenant bots from their tenant.
func TestTokenURLs(t *testing.T) {
	multi, err := New(Options{AppID: teamsfake.AppID, AppPassword: "x"})
	if err != nil {
		t.Fatal(err)
	}
	single, err := New(Options{AppID: teamsfake.AppID, AppPassword: "x", TenantID: teamsfake.Tenant})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ got, want string }{
		{multi.opt.Endpoints.Token, "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"},
		{single.opt.Endpoints.Token, "https://login.microsoftonline.com/" + teamsfake.Tenant + "/oauth2/v2.0/token"},
		{single.opt.Endpoints.TenantOpenIDMetadata, "https://login.microsoftonline.com/" + teamsfake.Tenant + "/v2.0/.well-known/openid-configuration"},
		{multi.opt.Endpoints.OpenIDMetadata, DefaultOpenIDMetadata},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if len(single.auth.issuers) != 2 || len(multi.auth.issuers) != 1 {
		t.Errorf("issuers: single %d, multi %d; want 2, 1", len(single.auth.issuers), len(multi.auth.issuers))
	}
}

// TestUnauthenticated: without an app id no token is needed, no token is
// sent, and Run warns loudly.
func TestUnauthenticated(t *testing.T) {
	rc := &recorder{}
	e := newEnv(t, rc, func(o *Options) { o.AppID, o.AppPassword = "", "" })
	rc.fn = replyWith("こんにちは")
	if got, _ := e.post(e.bf.DMActivity("a1", "29:u", "田中", "help"), ""); got != http.StatusOK {
		t.Fatalf("status: got %d, want 200", got)
	}
	calls := e.bf.Calls()
	if len(calls) != 1 || calls[0].Auth != "" {
		t.Errorf("connector calls %+v: want one, without Authorization", calls)
	}
	remote := e.bf.DMActivity("a2", "29:u", "田中", "help")
	remote["serviceUrl"] = "https://smba.trafficmanager.net/jp/"
	if got, _ := e.post(remote, ""); got != http.StatusForbidden {
		t.Errorf("unauthenticated activity from a remote service URL: got %d, want 403", got)
	}
	if len(rc.messages()) != 1 {
		t.Errorf("dispatched %d, want 1", len(rc.messages()))
	}
}

func TestTrustedServiceURL(t *testing.T) {
	a, err := New(Options{Endpoints: Endpoints{ServiceURL: "http://127.0.0.1:9/"}})
	if err != nil {
		t.Fatal(err)
	}
	for u, want := range map[string]bool{
		"https://smba.trafficmanager.net/jp/":      true,
		"https://europe.botframework.com/":         true,
		"http://smba.trafficmanager.net/jp/":       false,
		"https://smba.trafficmanager.net.evil.io/": false,
		"https://evil.example/":                    false,
		"http://127.0.0.1:9/x":                     true,
		"::":                                       false,
	} {
		if got := a.trustedServiceURL(u); got != want {
			t.Errorf("trustedServiceURL(%q) = %v, want %v", u, got, want)
		}
	}
	for u, want := range map[string]bool{"http://localhost:56150": true, "http://127.0.0.1:1/": true, "http://[::1]:3/": true, "https://example.com": false, "http://10.0.0.1/": false} {
		if got := loopbackURL(u); got != want {
			t.Errorf("loopbackURL(%q) = %v, want %v", u, got, want)
		}
	}
}
