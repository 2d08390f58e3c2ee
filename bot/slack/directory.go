package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/soudan/soudan/bot"
)

var _ bot.EmailLookup = (*Directory)(nil)

// directoryAPI is what a Directory needs of the Web API.
type directoryAPI interface {
	GetUserByEmailContext(ctx context.Context, email string) (*slack.User, error)
}

// Directory finds Slack users by email (users.lookupByEmail, which needs
// the bot token's users:read.email scope), for the command-line import of
// a directory export that names people by email only. It needs the bot
// token alone: no event is received, no message sent.
type Directory struct {
	api   directoryAPI
	sleep func(ctx context.Context, d time.Duration) error
	log   *slog.Logger
}

// NewDirectory returns a Directory on the Web API at apiURL ("" for
// Slack's) with botToken. It makes no network call.
func NewDirectory(botToken, apiURL string, log *slog.Logger) (*Directory, error) {
	if strings.TrimSpace(botToken) == "" {
		return nil, errors.New("slack: the bot token is missing")
	}
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	if !strings.HasSuffix(apiURL, "/") {
		apiURL += "/"
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opt := Options{BotToken: botToken, APIURL: apiURL, HTTPClient: &http.Client{Timeout: 30 * time.Second}}
	return &Directory{api: newClient(opt), sleep: sleepCtx, log: log}, nil
}

// LookupEmail returns the id of the Slack user with email, or "" when no
// user has it. It waits out rate limits (users.lookupByEmail is Tier 3) a
// few times. Its errors never quote the token.
func (d *Directory) LookupEmail(ctx context.Context, email string) (string, error) {
	for attempt := 0; ; attempt++ {
		u, err := d.api.GetUserByEmailContext(ctx, email)
		rl, limited := errors.AsType[*slack.RateLimitedError](err)
		se, refused := errors.AsType[slack.SlackErrorResponse](err)
		switch {
		case err == nil:
			return u.ID, nil
		case refused && se.Err == "users_not_found":
			return "", nil
		case limited && attempt < 5:
			d.log.Debug("slack: users.lookupByEmail rate limited", "wait", rl.RetryAfter)
			if err := d.sleep(ctx, max(rl.RetryAfter, minRetryAfter)); err != nil {
				return "", err
			}
			continue
		case refused:
			return "", fmt.Errorf("users.lookupByEmail: %s (check -slack-bot-token and its users:read.email scope)", se.Err)
		}
		return "", fmt.Errorf("users.lookupByEmail: %w", err)
	}
}
