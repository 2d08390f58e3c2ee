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
	Code   Code           // what kind of refusal: one of the Code constants
	MsgKey string         // message catalog key
	Args   map[string]any // template data for MsgKey
	Err    error          // optional cause, for logs
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Code, e.Err)
	}
	return e.Code.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf is a shorthand for an *Error with a code, a catalog key and
// key/value template arguments: Errorf(CodeNotFound, "consult.error.not_found", "ID", 12).
func Errorf(code Code, msgKey string, kv ...any) *Error {
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

// Code is the kind of a refusal, from a closed set: the values below.
// It is stable and machine-readable (logs, metrics); the message key of
// the Error carries the detail the user reads. Its field is unexported,
// so no package outside bot can make a code of its own ("topic_exists"
// would not compile); the zero Code is no code.
type Code struct{ name string }

// String returns the code's stable name ("not_found").
func (c Code) String() string { return c.name }

// The error codes. Add one only for a kind of refusal none of these names.
var (
	// CodeUnknownCommand: no such command or subcommand.
	CodeUnknownCommand = Code{"unknown_command"}
	// CodeUsage: the command's arguments do not fit its usage.
	CodeUsage = Code{"usage"}
	// CodeInvalid: a value does not parse or is out of range (an id, a
	// date, a rating, a channel, a setting, empty or over-long text).
	CodeInvalid = Code{"invalid"}
	// CodeNotFound: the record named does not exist.
	CodeNotFound = Code{"not_found"}
	// CodeForbidden: the sender may not do this (a role, someone else's
	// record, their own question).
	CodeForbidden = Code{"forbidden"}
	// CodeConflict: the record's state does not allow it (not active,
	// already taken, already exists, the last admin).
	CodeConflict = Code{"conflict"}
	// CodeUnavailable: nobody or nothing can do it now (no platform
	// serves the audience, not a mentor).
	CodeUnavailable = Code{"unavailable"}
	// CodeUnhandled: an action or form nothing handles (a stale button).
	CodeUnhandled = Code{"unhandled"}
	// codeSkip marks ErrSkip; it never reaches a user.
	codeSkip = Code{"skip"}
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
