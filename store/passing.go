package store

import (
	"errors"

	"github.com/soudan/soudan/store/kv"
)

// Passing reports whether err is a failure of the database that passes,
// rather than one of the work asked: the database did not answer (no
// connection, one lost or stalled, a server stopping), or the transaction
// kept conflicting with concurrent ones on another replica. Nothing of a
// failed Update was committed (but for a commit whose answer was lost),
// and the same work later may well succeed: an acknowledged event whose
// handling failed so is kept to be handled again, not dropped as a
// defect. The embedded engine (bbolt) never fails so.
func Passing(err error) bool {
	return errors.Is(err, kv.ErrUnavailable) || errors.Is(err, kv.ErrConflict)
}
