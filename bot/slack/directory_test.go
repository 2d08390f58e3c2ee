package slack

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// fakeDirectory answers users.lookupByEmail from a map, rate limiting the
// first limited calls.
type fakeDirectory struct {
	users   map[string]string
	limited int
	calls   int
	err     error
}

func (f *fakeDirectory) GetUserByEmailContext(_ context.Context, email string) (*slack.User, error) {
	f.calls++
	if f.limited > 0 {
		f.limited--
		return nil, &slack.RateLimitedError{RetryAfter: time.Second}
	}
	if f.err != nil {
		return nil, f.err
	}
	if id, ok := f.users[email]; ok {
		return &slack.User{ID: id}, nil
	}
	return nil, slack.SlackErrorResponse{Err: "users_not_found"}
}

func TestDirectoryLookupEmail(t *testing.T) {
	var slept []time.Duration
	f := &fakeDirectory{users: map[string]string{"tanaka@example.jp": "U1"}, limited: 2}
	d := &Directory{api: f, sleep: func(_ context.Context, w time.Duration) error { slept = append(slept, w); return nil }, log: slog.New(slog.DiscardHandler)}
	if id, err := d.LookupEmail(context.Background(), "tanaka@example.jp"); err != nil || id != "U1" {
		t.Errorf("LookupEmail(tanaka) = %q, %v; want U1 after two rate limits", id, err)
	}
	if len(slept) != 2 {
		t.Errorf("waited %v, want the two Retry-Afters", slept)
	}
	if id, err := d.LookupEmail(context.Background(), "nobody@example.jp"); err != nil || id != "" {
		t.Errorf("LookupEmail(nobody) = %q, %v; want no one and no error", id, err)
	}
	f.err = slack.SlackErrorResponse{Err: "missing_scope"}
	if _, err := d.LookupEmail(context.Background(), "x@example.jp"); err == nil || !strings.Contains(err.Error(), "users:read.email") {
		t.Errorf("a missing scope: %v, want an error naming the scope", err)
	}
	f.err, f.limited = nil, 100
	if _, err := d.LookupEmail(context.Background(), "tanaka@example.jp"); err == nil {
		t.Errorf("endless rate limits: nil error, want one after a few waits")
	}
	f.limited = 1
	d.sleep = func(context.Context, time.Duration) error { return context.Canceled }
	if _, err := d.LookupEmail(context.Background(), "tanaka@example.jp"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while waiting: %v, want context.Canceled", err)
	}
	if _, err := NewDirectory(" ", "", nil); err == nil {
		t.Errorf("NewDirectory without a token: nil error")
	}
}
