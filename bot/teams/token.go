package teams

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/infracloudio/msbotbuilder-go/connector/auth"
	"github.com/infracloudio/msbotbuilder-go/schema"
)

// tokenSource gives the bearer token for calls to the connector.
type tokenSource interface {
	// Token returns a valid token, fetching a new one when needed.
	Token(ctx context.Context) (string, error)
	// Invalidate drops the cached token after the connector refused it.
	Invalidate()
}

// clientCredentials gets connector tokens with the bot's app id and
// password (OAuth client credentials) and caches them until shortly before
// they expire. Unlike msbotbuilder-go's client, it never panics when the
// token endpoint is unreachable, and its cache is guarded by a mutex held
// across the fetch, so concurrent senders fetch once.
type clientCredentials struct {
	url      string
	appID    string
	password string
	http     *http.Client
	now      func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
}

// tokenMargin is how long before its expiry a token is renewed.
const tokenMargin = 5 * time.Minute

// Token returns the cached token or fetches a new one.
func (c *clientCredentials) Token(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.now().Before(c.expires.Add(-tokenMargin)) {
		return c.token, nil
	}
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.appID},
		"client_secret": {c.password},
		"scope":         {auth.ToChannelFromBotOauthScope},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("get connector token: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", &retryable{err: fmt.Errorf("get connector token: %w", err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", &retryable{err: fmt.Errorf("get connector token: %w", err)}
	}
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("get connector token: %s", resp.Status) // the body may echo the request: not logged
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return "", &retryable{err: err, after: retryAfter(resp.Header, c.now())}
		}
		return "", err
	}
	var ar schema.AuthResponse
	if err := json.Unmarshal(body, &ar); err != nil {
		return "", fmt.Errorf("get connector token: decode: %w", err)
	}
	if ar.AccessToken == "" {
		return "", errors.New("get connector token: no access_token in the answer")
	}
	life := time.Duration(ar.ExpireTime) * time.Second
	if life <= tokenMargin {
		life = tokenMargin + time.Minute
	}
	c.token, c.expires = ar.AccessToken, c.now().Add(life)
	return c.token, nil
}

// Invalidate drops the cached token.
func (c *clientCredentials) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.token = ""
}
