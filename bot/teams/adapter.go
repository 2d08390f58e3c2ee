package teams

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/infracloudio/msbotbuilder-go/connector/auth"

	"github.com/soudan/soudan/bot"
)

// Default endpoints of the Bot Framework and Microsoft Entra ID.
const (
	DefaultOpenIDMetadata = "https://login.botframework.com/v1/.well-known/openidconfiguration"
	DefaultServiceURL     = "https://smba.trafficmanager.net/teams/"
	tokenURLFormat        = "https://login.microsoftonline.com/%s/oauth2/v2.0/token"
	tenantMetadataFormat  = "https://login.microsoftonline.com/%s/v2.0/.well-known/openid-configuration"
	DefaultAddr           = ":3978"
	// Path is where the Bot Framework posts activities.
	Path = "/api/messages"
)

// Options configures the adapter.
type Options struct {
	// AppID and AppPassword are the bot's Microsoft app credentials. With
	// AppID empty the adapter checks no token and sends none: for local
	// testing only (Microsoft 365 Agents Playground).
	AppID       string
	AppPassword string
	// TenantID makes a single-tenant bot: connector tokens come from the
	// tenant's token endpoint, tokens signed by the tenant are accepted
	// besides the Bot Framework's, and activities from other tenants are
	// refused.
	TenantID string
	// Addr is the listener of Run, default ":3978".
	Addr string
	// External serves the endpoint behind the caller's own listener: Run
	// does not listen, and the caller serves Handler (with its other
	// paths) on one address; Addr is not used.
	External bool
	// BotName is the name people type: "/"+BotName starts a command, as
	// in Slack. Default "soudan".
	BotName string
	Log     *slog.Logger
	Now     func() time.Time
	// Endpoints default to Microsoft's; tests point them at httptest.
	Endpoints Endpoints
	// HTTPClient makes every outgoing call. Default: a client with a 30s
	// timeout.
	HTTPClient *http.Client
	Retry      Retry
	// InvokeWait is how long a card action's HTTP answer waits for the
	// handler (to show a refreshed card); the handler goes on after it.
	// Default 4s (Teams waits a few seconds at most).
	InvokeWait time.Duration
	// State keeps the conversation reference of every user the adapter
	// sees, so that proactive messages after a restart reach users seen
	// only in channels at their own service URL; nil keeps them in memory
	// only.
	State bot.StateStore
}

// Endpoints are the URLs the adapter calls.
type Endpoints struct {
	OpenIDMetadata       string // Bot Framework channel tokens
	TenantOpenIDMetadata string // single-tenant: the tenant's tokens
	Token                string // connector tokens (client credentials)
	// ServiceURL is used for proactive sends to a tenant the adapter has
	// not heard from since it started, to users of whom Options.State has
	// kept nothing.
	ServiceURL string
}

// Adapter is the Microsoft Teams adapter: an HTTP endpoint for the Bot
// Framework, and a sender through the Bot Connector.
type Adapter struct {
	opt   Options
	log   *slog.Logger
	auth  *validator // nil: unauthenticated
	conn  *connector
	refs  *refs
	saved *userRefs // nil without Options.State
	creds auth.SimpleCredentialProvider

	busy sync.WaitGroup // dispatches in flight

	mu      sync.Mutex
	addr    net.Addr // the listener's address once Run listens
	serving bool     // the endpoint is served: Run listens, or runs External
}

// New returns an adapter with opt's defaults filled in.
func New(opt Options) (*Adapter, error) {
	if opt.Addr == "" {
		opt.Addr = DefaultAddr
	}
	if opt.BotName == "" {
		opt.BotName = "soudan"
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.HTTPClient == nil {
		opt.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if opt.InvokeWait <= 0 {
		opt.InvokeWait = 4 * time.Second
	}
	if opt.AppID == "" && opt.AppPassword != "" {
		return nil, errors.New("teams: an app password without an app id")
	}
	if opt.AppID != "" && opt.AppPassword == "" {
		return nil, errors.New("teams: an app id needs its app password")
	}
	if strings.ContainsAny(opt.TenantID, "/?#") {
		return nil, fmt.Errorf("teams: bad tenant id %q", opt.TenantID)
	}
	ep := &opt.Endpoints
	if ep.OpenIDMetadata == "" {
		ep.OpenIDMetadata = DefaultOpenIDMetadata
	}
	if ep.ServiceURL == "" {
		ep.ServiceURL = DefaultServiceURL
	}
	tokenTenant := auth.DefaultChannelAuthTenant
	if opt.TenantID != "" {
		tokenTenant = opt.TenantID
		if ep.TenantOpenIDMetadata == "" {
			ep.TenantOpenIDMetadata = fmt.Sprintf(tenantMetadataFormat, opt.TenantID)
		}
	}
	if ep.Token == "" {
		ep.Token = fmt.Sprintf(tokenURLFormat, tokenTenant)
	}
	a := &Adapter{
		opt:   opt,
		log:   opt.Log,
		refs:  newRefs(),
		saved: newUserRefs(opt.State, opt.Now, opt.Log),
		creds: auth.SimpleCredentialProvider{AppID: opt.AppID, Password: opt.AppPassword},
		conn:  &connector{http: opt.HTTPClient, retry: opt.Retry.withDefaults(), now: opt.Now, log: opt.Log},
	}
	if opt.AppID != "" {
		a.conn.tokens = &clientCredentials{url: ep.Token, appID: opt.AppID, password: opt.AppPassword, http: opt.HTTPClient, now: opt.Now}
		a.auth = a.newValidator()
	}
	return a, nil
}

// newValidator accepts Bot Framework channel tokens and, for a
// single-tenant bot, the tenant's own tokens.
func (a *Adapter) newValidator() *validator {
	ep := a.opt.Endpoints
	keys := func(url string) *keySet { return &keySet{metadataURL: url, http: a.opt.HTTPClient, now: a.opt.Now} }
	v := &validator{appID: a.opt.AppID, now: a.opt.Now, issuers: []issuer{{
		names:      []string{auth.ToBotFromChannelTokenIssuer},
		keys:       keys(ep.OpenIDMetadata),
		serviceURL: true,
	}}}
	if t := a.opt.TenantID; t != "" {
		v.issuers = append(v.issuers, issuer{
			names:   []string{"https://sts.windows.net/" + t + "/", "https://login.microsoftonline.com/" + t + "/v2.0"},
			keys:    keys(ep.TenantOpenIDMetadata),
			tenant:  t,
			trusted: a.trustedServiceURL,
		})
	}
	return v
}

// Platform returns bot.PlatformTeams.
func (a *Adapter) Platform() string { return platform }

// Ready reports whether the endpoint is served: Run is listening (or,
// External, running).
func (a *Adapter) Ready() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.serving {
		return errors.New("teams: " + Path + " is not served")
	}
	return nil
}

// setServing records whether the endpoint is served.
func (a *Adapter) setServing(on bool) {
	a.mu.Lock()
	a.serving = on
	a.mu.Unlock()
}

// Addr returns the listener's address once Run listens, else nil.
func (a *Adapter) Addr() net.Addr {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.addr
}
