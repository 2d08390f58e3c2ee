// Package slack is soudan's Slack adapter, built on slack-go. It receives
// events over Socket Mode (the default: an app-level token and no public
// URL) or over HTTP (Events API, slash commands and interactivity on one
// listener, every request's signature checked before it is parsed), turns
// them into bot.Messages, and renders bot.Replies as Block Kit messages,
// modals and the App Home view.
//
// Every envelope or request is acknowledged at once and handled in its own
// goroutine; a view submission waits (at most viewAckWait) for its handler
// to say whether the modal shows errors, is replaced or closes. Web API
// calls go through one client that honours 429 Retry-After and retries 5xx
// and connection errors with capped backoff until the call's context ends.
//
// slack-go stays inside this package: the rest of soudan sees bot types only.
package slack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/soudan/soudan/bot"
)

var (
	_ bot.Adapter         = (*Adapter)(nil)
	_ bot.Linker          = (*Adapter)(nil)
	_ bot.UserLookup      = (*Adapter)(nil)
	_ bot.Updater         = (*Adapter)(nil)
	_ bot.DeliveryChecker = (*Adapter)(nil)
	_ bot.GroupOpener     = (*Adapter)(nil)
	_ bot.Readiness       = (*Adapter)(nil)
	_ bot.Responder       = (*turn)(nil)
	_ bot.FormOpener      = (*turn)(nil)
)

// DefaultAPIURL is the Web API base URL used when Options.APIURL is empty.
const DefaultAPIURL = "https://slack.com/api/"

// Options configures the adapter. BotToken and one of AppToken (Socket
// Mode) or SigningSecret (HTTP mode) are required.
type Options struct {
	BotToken      string // xoxb-…: every Web API call
	AppToken      string // xapp-…: Socket Mode; when set, Socket Mode is used
	SigningSecret string // HTTP mode: verifies every request
	Addr          string // HTTP mode: listen address, such as ":3000"
	// External is HTTP mode behind the caller's own listener: Run does not
	// listen, and the caller serves Handler (with its other paths) on one
	// address; Addr is not used.
	External   bool
	APIURL     string // Web API base URL; default DefaultAPIURL
	BotName    string // the slash command's name without "/"; default "soudan"
	Log        *slog.Logger
	Now        func() time.Time
	HTTPClient *http.Client // for Web API calls; default a client with a timeout
	// State keeps the forms posted as messages across restarts, so their
	// buttons still open them; nil keeps them in memory only.
	State bot.StateStore
}

// Adapter is the Slack adapter. Send, Permalink, UserLink and LookupUser
// may be called from any goroutine, before or while Run runs.
type Adapter struct {
	opt   Options
	api   webAPI
	log   *slog.Logger
	users *userCache
	seen  *seenSet
	forms *formStore
	dms   sync.Map   // user id -> their DM channel id with the bot, learnt from posts
	mpims sync.Map   // "U1,U2,U3" (a group's users in order) -> its multi-person DM's channel id
	roots *rootCache // channel and message ts -> the ts of its thread's root

	selfMu sync.Mutex
	self   identity // who the bot is, from auth.test

	// up is set while events can arrive: Socket Mode connected, or the
	// HTTP listener serving (External: Run running).
	up atomic.Bool
	// extMu guards extStops: the cancellations of the handlers' work
	// contexts made by Handler, cancelled by Run's drain.
	extMu    sync.Mutex
	extStops []context.CancelFunc

	// work bounds the handlers running at once; inflight counts them.
	work     chan struct{}
	inflight sync.WaitGroup

	// Test hooks.
	sleep        func(ctx context.Context, d time.Duration) error // waits between retries
	viewAckWait  time.Duration                                    // how long a view submission waits for its handler
	pingInterval time.Duration                                    // Socket Mode: longest silence before reconnecting
	newSocket    func() socketClient                              // Socket Mode client factory
}

// identity is the bot as auth.test knows it.
type identity struct {
	UserID string // the bot user, U…
	BotID  string // B…
	TeamID string
	URL    string // workspace URL, "https://example.slack.com/"
}

// maxConcurrent bounds the handlers running at once. A handler spends
// most of its time waiting for its commit, which it shares with the
// handlers running beside it (bbolt's Batch), so many of them make the
// shared commits larger, not the disk busier.
const maxConcurrent = 128

// New returns an adapter for the options. It makes no network call.
func New(opt Options) (*Adapter, error) {
	if strings.TrimSpace(opt.BotToken) == "" {
		return nil, errors.New("slack: the bot token is missing")
	}
	if opt.AppToken == "" && opt.SigningSecret == "" {
		return nil, errors.New("slack: set the app-level token (Socket Mode) or the signing secret (HTTP mode)")
	}
	if opt.AppToken == "" && opt.Addr == "" && !opt.External {
		return nil, errors.New("slack: HTTP mode needs a listen address")
	}
	if opt.APIURL == "" {
		opt.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(opt.APIURL, "/") {
		opt.APIURL += "/"
	}
	if opt.BotName == "" {
		opt.BotName = "soudan"
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.HTTPClient == nil {
		opt.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	a := &Adapter{
		opt:          opt,
		log:          opt.Log.With("platform", bot.PlatformSlack),
		seen:         newSeenSet(opt.Now),
		work:         make(chan struct{}, maxConcurrent),
		sleep:        sleepCtx,
		viewAckWait:  2500 * time.Millisecond,
		pingInterval: 30 * time.Second,
	}
	a.forms = newFormStore(opt.Now, opt.State, a.log)
	a.api = newWebAPI(opt)
	a.users = newUserCache(opt.Now)
	a.roots = newRootCache()
	a.newSocket = a.defaultSocket
	return a, nil
}

// Platform returns bot.PlatformSlack.
func (a *Adapter) Platform() string { return bot.PlatformSlack }

// SocketMode reports whether the adapter receives events over Socket Mode
// (rather than HTTP).
func (a *Adapter) SocketMode() bool { return a.opt.AppToken != "" }

// Run connects and dispatches every incoming message to d until ctx ends;
// it then waits briefly for running handlers. It returns ctx.Err() when
// ctx ends, or the error that made receiving impossible (a revoked token,
// a listen address in use).
func (a *Adapter) Run(ctx context.Context, d bot.Dispatcher) error {
	if _, err := a.identity(ctx); err != nil {
		return err
	}
	if a.External() {
		a.up.Store(true)
		<-ctx.Done()
		a.up.Store(false)
		a.drain(a.stopExternal)
		a.stopExternal()
		return ctx.Err()
	}
	work, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	var err error
	if a.SocketMode() {
		err = a.runSocket(ctx, work, d)
	} else {
		err = a.runHTTP(ctx, work, d)
	}
	a.up.Store(false)
	a.drain(stop)
	return err
}

// External reports whether the adapter serves HTTP mode behind the
// caller's listener (Options.External), rather than its own.
func (a *Adapter) External() bool { return !a.SocketMode() && a.opt.External }

// stopExternal cancels the work of the handlers Handler made.
func (a *Adapter) stopExternal() {
	a.extMu.Lock()
	defer a.extMu.Unlock()
	for _, stop := range a.extStops {
		stop()
	}
}

// Ready reports whether Slack's events can reach the bot: its identity is
// known (auth.test succeeded) and Socket Mode is connected, or the HTTP
// endpoint is served.
func (a *Adapter) Ready() error {
	if a.cachedIdentity().UserID == "" {
		return errors.New("slack: the bot's identity is not known yet (auth.test has not succeeded)")
	}
	if !a.up.Load() {
		if a.SocketMode() {
			return errors.New("slack: Socket Mode is not connected")
		}
		return errors.New("slack: the HTTP endpoint is not served")
	}
	return nil
}

// shutdownGrace is how long Run waits for running handlers after ctx ends
// before cancelling them.
const shutdownGrace = 10 * time.Second

// drain waits for running handlers, cancelling them after shutdownGrace.
func (a *Adapter) drain(stop context.CancelFunc) {
	done := make(chan struct{})
	go func() { a.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(shutdownGrace):
		a.log.Warn("slack: handlers still running at shutdown; cancelling them")
		stop()
		<-done
	}
}

// identity returns who the bot is, calling auth.test the first time.
func (a *Adapter) identity(ctx context.Context) (identity, error) {
	a.selfMu.Lock()
	defer a.selfMu.Unlock()
	if a.self.UserID != "" {
		return a.self, nil
	}
	var id identity
	err := a.call(ctx, "auth.test", func(ctx context.Context) error {
		r, err := a.api.AuthTestContext(ctx)
		if err != nil {
			return err
		}
		id = identity{UserID: r.UserID, BotID: r.BotID, TeamID: r.TeamID, URL: r.URL}
		return nil
	})
	if err != nil {
		return identity{}, fmt.Errorf("slack: check the bot token: %w", err)
	}
	a.self = id
	a.log.Info("slack: authenticated", "bot_user", id.UserID, "team", id.TeamID)
	return id, nil
}

// cachedIdentity returns the identity if auth.test has run, else the zero
// identity.
func (a *Adapter) cachedIdentity() identity {
	a.selfMu.Lock()
	defer a.selfMu.Unlock()
	return a.self
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
