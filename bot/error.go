package bot

import (
	"errors"
	"fmt"
	"time"
)

// Error is the application's one error type: a failure the user caused or
// can act on. A middleware turns it into a reply in the user's language,
// looking MsgKey up in the message catalogs with Args as template data.
// Any other error is a defect: it is logged and the user sees a generic
// message with an incident id.
type Error struct {
	Code   string         // machine-readable, stable: "unknown_command", "forbidden", ...
	MsgKey string         // message catalog key
	Args   map[string]any // template data for MsgKey
	Err    error          // optional cause, for logs
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Code, e.Err)
	}
	return e.Code
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf is a shorthand for an *Error with a code, a catalog key and
// key/value template arguments: Errorf("not_found", "error.not_found", "ID", 12).
func Errorf(code, msgKey string, kv ...any) *Error {
	e := &Error{Code: code, MsgKey: msgKey}
	if len(kv) > 0 {
		e.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			e.Args[k] = kv[i+1]
		}
	}
	return e
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Error codes the router itself produces.
const (
	CodeUnknownCommand = "unknown_command"
	CodeForbidden      = "forbidden"
	CodeUnhandled      = "unhandled"
)

// SendError is what an adapter's Send returns when the platform refused or
// failed a delivery, so the outbox can decide whether to try again:
// rate limits (HTTP 429 with Retry-After), transient server errors (5xx,
// timeouts, Teams 412/502/504) are Temporary; anything else (channel not
// found, bot not in the conversation, user deactivated) is permanent and
// the delivery fails with Err recorded as the reason.
type SendError struct {
	// Temporary reports that the same send may succeed later.
	Temporary bool
	// RetryAfter is the wait the platform asked for (429 Retry-After);
	// zero when it named none and the outbox's backoff applies.
	RetryAfter time.Duration
	// Err is the cause, for logs and delivery reports. It must not
	// contain message text or tokens.
	Err error
}

// Error implements error.
func (e *SendError) Error() string {
	kind := "permanent"
	if e.Temporary {
		kind = "temporary"
	}
	if e.RetryAfter > 0 {
		kind += fmt.Sprintf(", retry after %s", e.RetryAfter)
	}
	if e.Err != nil {
		return fmt.Sprintf("send failed (%s): %v", kind, e.Err)
	}
	return fmt.Sprintf("send failed (%s)", kind)
}

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// AsSendError returns the *SendError in err's chain, if any.
func AsSendError(err error) (*SendError, bool) {
	var e *SendError
	ok := errors.As(err, &e)
	return e, ok
}
