package bot

import (
	"errors"
	"fmt"
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
