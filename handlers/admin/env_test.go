package admin

import (
	"testing"
	"time"

	"github.com/soudan/soudan/internal/testenv"
)

// adminNow is the fixed time of the admin tests: 2026-05-11 10:00 JST.
var adminNow = time.Date(2026, 5, 11, 1, 0, 0, 0, time.UTC)

// newAdminEnv is the admin feature alone on a real router and bbolt file,
// with the default topic a consultation bot starts with. "admin" is an
// admin from the first message.
func newAdminEnv(t *testing.T) *testenv.Env {
	t.Helper()
	e := testenv.New(t, testenv.Options{Now: adminNow})
	e.Register(New(e.Kit))
	e.DefaultTopic()
	return e
}
