package slack

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"time"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
)

// Backoff between retries of 5xx and connection errors: it starts at
// backoffMin, doubles, and is capped at backoffMax (plus up to 20% jitter).
const (
	backoffMin = 500 * time.Millisecond
	backoffMax = 30 * time.Second
	// minRetryAfter is the wait after a 429 whose Retry-After is 0.
	minRetryAfter = time.Second
)

// retryableCodes are Slack error codes that mean "try again later".
var retryableCodes = map[string]bool{
	"ratelimited": true, "internal_error": true, "fatal_error": true,
	"service_unavailable": true, "request_timeout": true,
}

// call runs fn, the Web API call op, until it succeeds, fails for good, or
// ctx ends. A 429 waits for its Retry-After; 5xx answers, connection errors
// and Slack's "try later" codes wait a capped, growing backoff. Nothing the
// bot means to send is dropped while ctx lasts. The error names op.
func (a *Adapter) call(ctx context.Context, op string, fn func(ctx context.Context) error) error {
	backoff := backoffMin
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		wait, ok := retryAfter(err)
		if !ok {
			return fmt.Errorf("%s: %w", op, refusal(err))
		}
		if cerr := ctx.Err(); cerr != nil {
			return fmt.Errorf("%s: %w", op, &bot.SendError{Temporary: true, RetryAfter: rateLimit(err), Err: fmt.Errorf("%w (gave up: %w)", err, cerr)})
		}
		if wait == 0 {
			wait = backoff + rand.N(backoff/5+1) // #nosec G404 -- jitter needs no cryptographic randomness
			backoff = min(backoff*2, backoffMax)
		}
		level := a.log.Debug
		if attempt%5 == 0 {
			level = a.log.Warn
		}
		level("slack: retrying Web API call", "op", op, "attempt", attempt, "wait", wait, "err", err)
		if serr := a.sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%s: %w", op, &bot.SendError{Temporary: true, RetryAfter: rateLimit(err), Err: fmt.Errorf("%w (gave up: %w)", err, serr)})
		}
	}
}

// retryAfter says whether err is worth retrying and how long to wait
// first: the Retry-After of a 429, or 0 for "back off".
func retryAfter(err error) (time.Duration, bool) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false
	}
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		return max(rl.RetryAfter, minRetryAfter), true
	}
	if sc, ok := errors.AsType[slack.StatusCodeError](err); ok {
		return 0, sc.Code >= 500 || sc.Code == 429
	}
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
		return 0, retryableCodes[se.Err]
	}
	if _, ok := errors.AsType[*url.Error](err); ok {
		return 0, true
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return 0, true
	}
	return 0, false
}

// refusal marks an error Slack meant (a code such as channel_not_found, a
// 4xx status) as a permanent *bot.SendError, so the outbox does not try
// again; anything else is returned as it is.
func refusal(err error) error {
	if slackCode(err) != "" {
		return &bot.SendError{Err: err}
	}
	if sc, ok := errors.AsType[slack.StatusCodeError](err); ok && sc.Code < 500 {
		return &bot.SendError{Err: err}
	}
	return err
}

// rateLimit is the Retry-After of a 429 in err, or 0.
func rateLimit(err error) time.Duration {
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		return max(rl.RetryAfter, minRetryAfter)
	}
	return 0
}

// slackCode returns the Slack error code in err ("channel_not_found"), or "".
func slackCode(err error) string {
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
		return se.Err
	}
	return ""
}
