package slack

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
)

// A slash command's response_url accepts up to responseURLUses replies
// within responseURLTTL of the command.
const (
	responseURLUses = 5
	responseURLTTL  = 30 * time.Minute
)

// respondTimeout bounds a reply through a response_url, retries
// included, so that the DM fallback is not held up for long.
const respondTimeout = 10 * time.Second

// slackHooksHost is the host of Slack's response URLs.
const slackHooksHost = "hooks.slack.com"

// responseURLAllowed reports whether raw may receive a slash command's
// replies: an https URL on hooks.slack.com, or a URL on the configured Web
// API host with its scheme (the fake Slack in tests). Anything else is
// refused, so that the bot never POSTs to an address a request names
// (SSRF).
func (a *Adapter) responseURLAllowed(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Opaque != "" || u.Host == "" {
		return false
	}
	if u.Scheme == "https" && strings.EqualFold(u.Host, slackHooksHost) {
		return true
	}
	api, err := url.Parse(a.opt.APIURL)
	return err == nil && api.Host != "" && u.Scheme == api.Scheme && strings.EqualFold(u.Host, api.Host)
}

// takeResponseURL returns the command's response_url for one reply, or ""
// when there is none, it is refused by responseURLAllowed, it has expired
// or it has been used responseURLUses times.
func (t *turn) takeResponseURL() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	o := t.o
	if o.responseURL == "" || t.responsesUsed >= responseURLUses || t.a.opt.Now().Sub(o.received) > responseURLTTL {
		return ""
	}
	if !t.a.responseURLAllowed(o.responseURL) {
		t.a.log.Warn("slack: response_url refused: not a Slack host", "channel", o.channel)
		return ""
	}
	t.responsesUsed++
	return o.responseURL
}

// respond posts r through the slash command's response_url: to the sender
// alone for an Ephemeral reply or a command typed in a DM (which may be a
// DM between two people), else visible in the channel ("in_channel"),
// with the same Block Kit rendering as chat.postMessage. Slack gives no
// ts for it, so the address returned names the conversation only.
func (a *Adapter) respond(ctx context.Context, responseURL string, o origin, r bot.Reply, formKey string) (bot.Address, error) {
	ephemeral := r.Ephemeral || o.direct
	msg := &slack.WebhookMessage{
		Text:         fallback(r),
		Blocks:       &slack.Blocks{BlockSet: blocks(r, formKey)},
		ResponseType: slack.ResponseTypeInChannel,
	}
	if ephemeral {
		msg.ResponseType = slack.ResponseTypeEphemeral
	}
	client := a.hookClient()
	ctx, cancel := context.WithTimeout(ctx, respondTimeout)
	defer cancel()
	err := a.call(ctx, "response_url", func(ctx context.Context) error {
		return redactURL(slack.PostWebhookCustomHTTPContext(ctx, responseURL, client, msg))
	})
	if err != nil {
		return bot.Address{}, err
	}
	at := bot.Address{Platform: bot.PlatformSlack, Workspace: o.team, Channel: o.channel, Thread: o.thread}
	if ephemeral {
		at.User = o.user
	}
	return at, nil
}

// hookClient is the HTTP client of the options, following no redirects:
// a validated response_url must not lead elsewhere.
func (a *Adapter) hookClient() *http.Client {
	c := *a.opt.HTTPClient
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// redactURL removes the URL from a *url.Error in err: a response_url is a
// credential for posting in its channel, and errors are logged.
func redactURL(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		ue.URL = "(response_url)"
	}
	return err
}
