package teams

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"
	"github.com/infracloudio/msbotbuilder-go/connector/auth"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

// issuer is one authority whose tokens the bot accepts: the keys it signs
// with (through its OpenID metadata) and the issuer names its tokens carry.
type issuer struct {
	names []string
	keys  *keySet
	// serviceURL: tokens must carry a serviceurl claim equal to the
	// activity's service URL (Bot Framework channel tokens).
	serviceURL bool
	tenant     string // tokens must carry this tid claim ("" for none)
	// trusted, for issuers whose tokens name no service URL, says whether
	// the activity's service URL may receive the bot's connector token.
	trusted func(serviceURL string) bool
}

// validator checks the bearer token of an incoming request. It implements
// msbotbuilder-go's auth.TokenValidator so that it has the library's
// shape, but it never panics: the library's validator reads claims with
// unchecked type assertions (a token without "serviceurl" takes the
// process down), races on its key cache and fetches keys from a fixed URL.
type validator struct {
	appID   string
	issuers []issuer
	now     func() time.Time
}

var _ auth.TokenValidator = (*validator)(nil)

// clockSkew is the leeway allowed on a token's exp and nbf claims.
const clockSkew = 5 * time.Minute

// bearer matches an Authorization header (the pattern msbotbuilder-go uses).
var bearer = regexp.MustCompile(`^(?:Bearer )?([A-Za-z0-9-_=]+\.[A-Za-z0-9-_=]+\.[A-Za-z0-9-_.+/=]*)$`)

// errUnauthorized is wrapped by every refusal of a token.
var errUnauthorized = errors.New("unauthorized")

// AuthenticateRequest checks the token in authHeader for an activity: a
// signature by a known key of an accepted issuer, an allowed algorithm,
// not expired, for this bot's app id, and from the activity's service URL
// or the configured tenant. Refusals wrap errUnauthorized; a failure to
// fetch keys wraps errKeysUnavailable.
func (v *validator) AuthenticateRequest(ctx context.Context, act schema.Activity, authHeader string, creds auth.CredentialProvider, _ string) (auth.ClaimsIdentity, error) {
	m := bearer.FindStringSubmatch(strings.TrimSpace(authHeader))
	if m == nil {
		return nil, fmt.Errorf("%w: no bearer token", errUnauthorized)
	}
	var iss *issuer
	parser := jwt.NewParser(jwt.WithValidMethods(auth.AllowedSigningAlgorithms), jwt.WithoutClaimsValidation())
	tok, err := parser.Parse(m[1], func(t *jwt.Token) (any, error) {
		claims, _ := t.Claims.(jwt.MapClaims)
		name, _ := claims[auth.IssuerClaim].(string)
		if iss = v.issuerNamed(name); iss == nil {
			return nil, fmt.Errorf("%w: unknown issuer", errUnauthorized)
		}
		kid, _ := t.Header[auth.KeyIDHeader].(string)
		if kid == "" {
			return nil, fmt.Errorf("%w: no key id", errUnauthorized)
		}
		key, err := iss.keys.key(ctx, kid)
		if err != nil {
			return nil, err
		}
		if !endorsed(key.Get, act.ChannelID) {
			return nil, fmt.Errorf("%w: key not endorsed for channel %q", errUnauthorized, act.ChannelID)
		}
		var raw any
		if err := key.Raw(&raw); err != nil {
			return nil, fmt.Errorf("%w: signing key: %v", errUnauthorized, err)
		}
		return raw, nil
	})
	if errors.Is(err, errKeysUnavailable) {
		return nil, err
	}
	if err != nil || tok == nil || !tok.Valid {
		return nil, fmt.Errorf("%w: %v", errUnauthorized, err)
	}
	claims, ok := tok.Claims.(jwt.MapClaims)
	if !ok {
		return nil, fmt.Errorf("%w: no claims", errUnauthorized)
	}
	if err := v.checkClaims(claims, iss, act, creds); err != nil {
		return nil, fmt.Errorf("%w: %v", errUnauthorized, err)
	}
	return auth.NewClaimIdentity(claims, true), nil
}

func (v *validator) issuerNamed(name string) *issuer {
	for i := range v.issuers {
		if name != "" && slices.Contains(v.issuers[i].names, name) {
			return &v.issuers[i]
		}
	}
	return nil
}

// checkClaims checks the time, audience, service URL and tenant claims.
// Every claim is read with a checked type assertion: a missing or
// mistyped claim is a refusal, never a panic.
func (v *validator) checkClaims(c jwt.MapClaims, iss *issuer, act schema.Activity, creds auth.CredentialProvider) error {
	now := v.now()
	exp, ok := numClaim(c, "exp")
	if !ok {
		return errors.New("no exp claim")
	}
	if now.After(time.Unix(exp, 0).Add(clockSkew)) {
		return errors.New("token expired")
	}
	if nbf, ok := numClaim(c, "nbf"); ok && now.Add(clockSkew).Before(time.Unix(nbf, 0)) {
		return errors.New("token not valid yet")
	}
	if !audience(c, creds) {
		return errors.New("token is for another app id")
	}
	if iss.serviceURL {
		su, _ := c[auth.ServiceURLClaim].(string)
		if su == "" || !sameServiceURL(su, act.ServiceURL) {
			return errors.New("serviceurl claim does not match the activity")
		}
	}
	if iss.tenant != "" {
		if tid, _ := c["tid"].(string); tid != iss.tenant {
			return errors.New("token is for another tenant")
		}
	}
	if iss.trusted != nil && !iss.trusted(act.ServiceURL) {
		return errors.New("service URL is not a Bot Framework host")
	}
	return nil
}

// numClaim reads a NumericDate claim.
func numClaim(c jwt.MapClaims, name string) (int64, bool) {
	switch n := c[name].(type) {
	case float64:
		return int64(n), true
	case int64:
		return n, true
	}
	return 0, false
}

// audience reports whether the aud claim (a string or a list) names the
// bot's app id.
func audience(c jwt.MapClaims, creds auth.CredentialProvider) bool {
	switch aud := c[auth.AudienceClaim].(type) {
	case string:
		return aud != "" && creds.IsValidAppID(aud)
	case []any:
		for _, a := range aud {
			if s, ok := a.(string); ok && s != "" && creds.IsValidAppID(s) {
				return true
			}
		}
	}
	return false
}

// sameServiceURL compares service URLs, ignoring a trailing slash.
func sameServiceURL(a, b string) bool {
	return strings.TrimRight(a, "/") == strings.TrimRight(b, "/")
}

// endorsed reports whether a key may sign for the channel: keys that list
// endorsements must list it.
func endorsed(get func(string) (any, bool), channel string) bool {
	v, ok := get("endorsements")
	if !ok {
		return true
	}
	list, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range list {
		if s, ok := e.(string); ok && s == channel {
			return true
		}
	}
	return false
}
