package reminders

import (
	"testing"

	"github.com/soudan/soudan/internal/testenv"
)

// fakeConsultations is what the reminders need of consultations, with
// nothing to show: enough for the admin commands.
type fakeConsultations struct{ Consultations }

// newRemindersEnv is the reminders feature alone (its admin commands) on
// a real router and bbolt file, with the topic キャリア.
func newRemindersEnv(t *testing.T) *testenv.Env {
	t.Helper()
	e := testenv.New(t, testenv.Options{})
	e.Register(New(e.Kit, fakeConsultations{}, Options{}))
	e.Topic("キャリア", "career")
	return e
}
