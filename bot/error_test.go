package bot

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestSendErrorWrapsAndDescribes(t *testing.T) {
	cause := errors.New("ratelimited")
	err := fmt.Errorf("slack post: %w", &SendError{Temporary: true, RetryAfter: 3 * time.Second, Err: cause})
	se, ok := AsSendError(err)
	if !ok {
		t.Fatalf("AsSendError(%v) = false, want true", err)
	}
	if !se.Temporary || se.RetryAfter != 3*time.Second {
		t.Errorf("got Temporary=%v RetryAfter=%v, want true 3s", se.Temporary, se.RetryAfter)
	}
	if !errors.Is(err, cause) {
		t.Errorf("errors.Is(err, cause) = false, want true")
	}
	if got, want := se.Error(), "send failed (temporary, retry after 3s): ratelimited"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := (&SendError{}).Error(), "send failed (permanent)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if _, ok := AsSendError(errors.New("plain")); ok {
		t.Errorf("AsSendError(plain) = true, want false")
	}
}
