package teams

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/lestrrat-go/jwx/jwk"
)

// errKeysUnavailable means the signing keys could not be fetched: the
// request cannot be checked now, and the Bot Framework should retry.
var errKeysUnavailable = errors.New("signing keys unavailable")

// keySet fetches and caches the signing keys published through an OpenID
// metadata document. msbotbuilder-go keeps its keys in an unguarded field
// that concurrent requests race on, and reads its metadata from a fixed
// URL; here the cache is guarded by a mutex held across the fetch (one
// fetch at a time, the others wait for it) and the URL is configurable.
type keySet struct {
	metadataURL string
	http        *http.Client
	now         func() time.Time

	mu      sync.Mutex
	keys    jwk.Set
	fetched time.Time
}

// keysTTL is how long fetched keys are used before they are fetched again;
// minRefetch is the shortest interval between fetches for an unknown key id.
const (
	keysTTL    = 24 * time.Hour
	minRefetch = 5 * time.Minute
)

// key returns the public key with the key id. An unknown id makes it
// fetch the keys again (they roll over), at most once per minRefetch.
func (ks *keySet) key(ctx context.Context, kid string) (jwk.Key, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	now := ks.now()
	stale := ks.keys == nil || now.Sub(ks.fetched) > keysTTL
	if !stale {
		if k, ok := ks.keys.LookupKeyID(kid); ok {
			return k, nil
		}
		stale = now.Sub(ks.fetched) > minRefetch
	}
	if stale {
		set, err := ks.fetch(ctx)
		if err != nil && ks.keys == nil {
			return nil, fmt.Errorf("%w: %v", errKeysUnavailable, err)
		}
		if err == nil {
			ks.keys, ks.fetched = set, now
		}
	}
	if k, ok := ks.keys.LookupKeyID(kid); ok {
		return k, nil
	}
	return nil, fmt.Errorf("no signing key with id %q", kid)
}

// fetch reads the metadata document, then the key set it points to.
func (ks *keySet) fetch(ctx context.Context) (jwk.Set, error) {
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := ks.getJSON(ctx, ks.metadataURL, &meta); err != nil {
		return nil, fmt.Errorf("openid metadata: %w", err)
	}
	if meta.JWKSURI == "" {
		return nil, errors.New("openid metadata: no jwks_uri")
	}
	var raw json.RawMessage
	if err := ks.getJSON(ctx, meta.JWKSURI, &raw); err != nil {
		return nil, fmt.Errorf("signing keys: %w", err)
	}
	set, err := jwk.Parse(raw, jwk.WithIgnoreParseError(true))
	if err != nil {
		return nil, fmt.Errorf("signing keys: %w", err)
	}
	return set, nil
}

func (ks *keySet) getJSON(ctx context.Context, url string, out any) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := ks.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(out)
}
