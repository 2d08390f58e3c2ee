package consult

import (
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
)

// consultNow is the fixed time of the consultation tests.
var consultNow = testenv.DefaultNow

// newConsultEnv is the consultation feature alone on a real router and
// bbolt file, with the topics キャリア (career, キャリアパス) and IT (teams,
// パソコン) after the default topic: ids 2 and 3.
func newConsultEnv(t testing.TB, maxRouted int) *testenv.Env {
	t.Helper()
	return newConsultEnvWith(t, maxRouted, testenv.Options{})
}

// newConsultEnvWith is newConsultEnv with the env's options.
func newConsultEnvWith(t testing.TB, maxRouted int, opt testenv.Options) *testenv.Env {
	t.Helper()
	if opt.Now.IsZero() && opt.Clock == nil {
		opt.Now = consultNow
	}
	e := testenv.New(t, opt)
	f, err := New(e.Kit, Options{MaxRouted: maxRouted})
	if err != nil {
		t.Fatalf("consult.New: %v", err)
	}
	e.Register(f)
	e.Topic("キャリア", "career", "キャリアパス")
	e.Topic("IT", "teams", "パソコン")
	return e
}

// careerCard makes 佐藤 a キャリア mentor and has 田中 ask by DM: the
// turn of the ask and the card 佐藤 got.
func careerCard(t *testing.T, e *testenv.Env) (*bottest.Turn, bottest.Delivery) {
	t.Helper()
	e.Mentor("佐藤", "キャリア")
	turn := e.OK(bottest.DM("田中", "キャリアの相談です"))
	return turn, testenv.CardTo(t, turn, "佐藤")
}
