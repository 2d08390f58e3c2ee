package teams

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// connector calls the Bot Connector REST API of a service URL. Every call
// carries the bot's token (none when the adapter runs unauthenticated);
// 429 and 5xx answers and network errors are retried with exponential
// backoff, honouring Retry-After, up to Retry.Attempts tries.
type connector struct {
	http   *http.Client
	tokens tokenSource // nil: unauthenticated
	retry  Retry
	now    func() time.Time
	log    *slog.Logger
}

// Retry says how the connector retries refused calls.
type Retry struct {
	Attempts int           // tries per call, default 6
	Base     time.Duration // first backoff, default 500ms; doubled per try
	Max      time.Duration // longest wait between tries, default 30s
}

func (r Retry) withDefaults() Retry {
	if r.Attempts < 1 {
		r.Attempts = 6
	}
	if r.Base <= 0 {
		r.Base = 500 * time.Millisecond
	}
	if r.Max <= 0 {
		r.Max = 30 * time.Second
	}
	return r
}

// retryable is an error worth trying again, after at least after when
// the server said so.
type retryable struct {
	err   error
	after time.Duration
}

func (e *retryable) Error() string { return e.err.Error() }
func (e *retryable) Unwrap() error { return e.err }

// StatusError is a connector answer other than 2xx.
type StatusError struct {
	Op     string
	Status int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s: connector answered %d %s", e.Op, e.Status, http.StatusText(e.Status))
}

// call sends body (JSON; nil for none) with method to url, retrying as the
// connector asks, and decodes a JSON answer into out when out is non-nil.
// op names the operation in errors and logs.
func (c *connector) call(ctx context.Context, op, method, url string, body, out any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("%s: encode: %w", op, err)
		}
	}
	refreshed := false
	for attempt := 1; ; attempt++ {
		err := c.once(ctx, op, method, url, payload, out)
		var se *StatusError
		if errors.As(err, &se) && se.Status == http.StatusUnauthorized && c.tokens != nil && !refreshed {
			c.tokens.Invalidate() // the token was revoked or expired early: get a new one once
			refreshed = true
			attempt--
			continue
		}
		var re *retryable
		if err == nil || !errors.As(err, &re) || attempt >= c.retry.Attempts || re.after > maxRetryAfter {
			return err
		}
		wait := c.backoff(attempt, re.after)
		c.log.Warn("teams: connector call will be retried", "op", op, "attempt", attempt, "wait", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s: %w (last error: %v)", op, ctx.Err(), err)
		case <-t.C:
		}
	}
}

// maxRetryAfter is the longest Retry-After the connector waits for
// within a call; a longer one fails the call at once with the wait asked
// (a temporary bot.SendError), for the outbox to try again then.
const maxRetryAfter = time.Minute

// backoff is the wait before try attempt+1: what the server asked for,
// else Base doubled per try, at most Max.
func (c *connector) backoff(attempt int, asked time.Duration) time.Duration {
	if asked > 0 {
		return asked
	}
	d := c.retry.Base << min(attempt-1, 16)
	return min(d, c.retry.Max)
}

// once makes one try.
func (c *connector) once(ctx context.Context, op, method, url string, payload []byte, out any) error {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	if c.tokens != nil {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return &retryable{err: fmt.Errorf("%s: %w", op, err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return &retryable{err: fmt.Errorf("%s: read answer: %w", op, err)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		se := &StatusError{Op: op, Status: resp.StatusCode}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return &retryable{err: se, after: retryAfter(resp.Header, c.now())}
		}
		return se
	}
	if out != nil && len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s: decode answer: %w", op, err)
		}
	}
	return nil
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
