package teams

import (
	"context"
	"errors"
	"net/http"

	"github.com/soudan/soudan/bot"
)

// sendError classifies a failed send for the outbox, as a *bot.SendError:
// rate limits, server errors, timeouts, network and token endpoint
// failures are temporary (with the Retry-After asked, if any); anything
// else the connector refused (not found, forbidden, bad request) is
// permanent. The connector has already retried what it could within the
// call; the outbox tries temporary failures again later.
func sendError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := bot.AsSendError(err); ok {
		return err
	}
	se := &bot.SendError{Err: err}
	var re *retryable
	var st *StatusError
	switch {
	case errors.As(err, &re):
		se.Temporary, se.RetryAfter = true, re.after
	case errors.As(err, &st):
		se.Temporary = temporaryStatus(st.Status)
	case errors.Is(err, context.DeadlineExceeded):
		se.Temporary = true
	}
	return se
}

// temporaryStatus reports whether the connector may accept the same call
// later: 408, 412 (Teams' precondition failures), 429 and 5xx.
func temporaryStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusPreconditionFailed, http.StatusTooManyRequests:
		return true
	}
	return code >= 500
}
