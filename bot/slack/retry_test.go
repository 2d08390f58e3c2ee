package slack

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

// newTestAdapter returns an adapter on the fake Slack that records its
// waits instead of waiting.
func newTestAdapter(t *testing.T, f *slackfake.Server) (*Adapter, *waitLog) {
	t.Helper()
	a, err := New(Options{BotToken: slackfake.BotToken, AppToken: slackfake.AppToken, APIURL: f.APIURL(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w := &waitLog{}
	a.sleep = w.sleep
	return a, w
}

// TestRateLimitStorm: Slack answers 429 with Retry-After, then 5xx, then
// drops connections, while the bot sends to ten people at once; every
// message is delivered exactly once, each 429 is waited out for its
// Retry-After, and the backoff of the others stays within its bounds.
func TestRateLimitStorm(t *testing.T) {
	f := slackfake.New(t)
	a, waits := newTestAdapter(t, f)
	f.Fail("chat.postMessage", 6, http.StatusTooManyRequests, "2")
	f.Fail("chat.postMessage", 3, http.StatusServiceUnavailable, "")
	f.Fail("chat.postMessage", 2, slackfake.DropConnection, "")
	f.Fail("chat.postMessage", 1, http.StatusTooManyRequests, "0")

	const n = 10
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			user := "U" + strings.Repeat("X", i+1)
			_, errs[i] = a.Send(context.Background(), bot.Address{Platform: bot.PlatformSlack, User: user}, bot.Reply{Text: "お知らせ " + user})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("send %d: %v", i, err)
		}
	}
	delivered := map[string]int{}
	for _, c := range f.CallsOf("chat.postMessage") {
		delivered[c.Form.Get("text")]++
	}
	if len(delivered) != n {
		t.Errorf("delivered %d distinct messages, want %d: %v", len(delivered), n, delivered)
	}
	for text, count := range delivered {
		if count != 1 {
			t.Errorf("%q delivered %d times, want once", text, count)
		}
	}
	var retryAfter, backoff int
	for _, w := range waits.all() {
		switch {
		case w == 2*time.Second:
			retryAfter++
		case w == minRetryAfter:
			retryAfter++
		case w >= backoffMin && w <= backoffMax+backoffMax/5:
			backoff++
		default:
			t.Errorf("wait %v is neither a Retry-After nor a backoff", w)
		}
	}
	if retryAfter != 7 || backoff != 5 {
		t.Errorf("waits: %d Retry-After, %d backoff; want 7 and 5 (%v)", retryAfter, backoff, waits.all())
	}
}

// TestRetryStopsWithContext: a call Slack keeps refusing ends when its
// context does, with an error naming the call; nothing is posted.
func TestRetryStopsWithContext(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	f.Fail("chat.postMessage", 1000, http.StatusTooManyRequests, "1")
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	a.sleep = func(ctx context.Context, d time.Duration) error {
		if calls++; calls == 3 {
			cancel()
		}
		return ctx.Err()
	}
	_, err := a.Send(ctx, bot.Address{Channel: "C1"}, bot.Reply{Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "chat.postMessage") || !errors.Is(err, context.Canceled) {
		t.Errorf("Send = %v, want a chat.postMessage error wrapping context.Canceled", err)
	}
	if n := len(f.CallsOf("chat.postMessage")); n != 0 {
		t.Errorf("%d posts, want 0", n)
	}
}

// TestRetryAfter classifies errors: what is retried, and after how long.
func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		wantWait  time.Duration
		wantRetry bool
	}{
		{"429 with Retry-After", &slack.RateLimitedError{RetryAfter: 30 * time.Second}, 30 * time.Second, true},
		{"429 with Retry-After 0", &slack.RateLimitedError{}, minRetryAfter, true},
		{"429 without Retry-After", slack.StatusCodeError{Code: 429}, 0, true},
		{"503", slack.StatusCodeError{Code: 503}, 0, true},
		{"404", slack.StatusCodeError{Code: 404}, 0, false},
		{"ratelimited code", slack.SlackErrorResponse{Err: "ratelimited"}, 0, true},
		{"channel_not_found", slack.SlackErrorResponse{Err: "channel_not_found"}, 0, false},
		{"invalid_auth", slack.SlackErrorResponse{Err: "invalid_auth"}, 0, false},
		{"cancelled", context.Canceled, 0, false},
		{"other", errors.New("boom"), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wait, retry := retryAfter(tt.err)
			if wait != tt.wantWait || retry != tt.wantRetry {
				t.Errorf("retryAfter(%v) = %v, %t; want %v, %t", tt.err, wait, retry, tt.wantWait, tt.wantRetry)
			}
		})
	}
}

// TestNoRetryOnRefusal: an error Slack means (channel_not_found) is
// returned at once, named after the call.
func TestNoRetryOnRefusal(t *testing.T) {
	f := slackfake.New(t)
	a, waits := newTestAdapter(t, f)
	err := a.call(context.Background(), "chat.postMessage", func(context.Context) error {
		return slack.SlackErrorResponse{Err: "channel_not_found"}
	})
	if err == nil || err.Error() != "chat.postMessage: send failed (permanent): channel_not_found" {
		t.Errorf("call = %v, want a permanent chat.postMessage failure", err)
	}
	if w := waits.all(); len(w) != 0 {
		t.Errorf("waited %v, want no retry", w)
	}
}

// TestRetryAfterAPostThatLanded: Slack failed (500, or the connection
// broke) after posting the message; the retry finds it by its delivery
// key instead of posting it again. Before, the adapter retried blindly
// and the message was posted twice. A message without a key cannot be
// found and is posted again (at least once); a rate limit posted nothing
// and is simply retried.
func TestRetryAfterAPostThatLanded(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		key    string
		want   int
	}{
		{"500 after posting, keyed", http.StatusInternalServerError, "card-1", 1},
		{"connection lost after posting, keyed", slackfake.DropConnection, "card-2", 1},
		{"500 after posting, in a thread", http.StatusBadGateway, "relay-1", 1},
		{"500 after posting, no key", http.StatusInternalServerError, "", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := slackfake.New(t)
			a, _ := newTestAdapter(t, f)
			to := bot.Address{User: "U7"}
			if strings.Contains(tc.name, "thread") {
				root, err := a.Send(t.Context(), to, bot.Reply{Text: "root", Key: "root"})
				if err != nil {
					t.Fatal(err)
				}
				to = bot.Address{Channel: root.Channel, Thread: root.Thread}
			}
			before := len(f.CallsOf("chat.postMessage"))
			f.FailAfterDoing("chat.postMessage", 1, tc.status)
			at, err := a.Send(t.Context(), to, bot.Reply{Text: "カード", Key: tc.key})
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			posts := f.CallsOf("chat.postMessage")[before:]
			if len(posts) != tc.want {
				t.Errorf("posted %d times, want %d", len(posts), tc.want)
			}
			if at.Channel == "" || at.Thread == "" || to.Thread != "" && at.Thread != to.Thread {
				t.Errorf("Send returned %+v, want the message's channel and thread", at)
			}
		})
	}
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	f.Fail("chat.postMessage", 1, http.StatusTooManyRequests, "1")
	if _, err := a.Send(t.Context(), bot.Address{User: "U7"}, bot.Reply{Text: "x", Key: "k"}); err != nil {
		t.Fatal(err)
	}
	if n := len(f.CallsOf("conversations.history")); n != 0 {
		t.Errorf("after a 429, %d history reads; want none (nothing was posted)", n)
	}
}
