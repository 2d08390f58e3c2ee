package connections

import (
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/internal/testclock"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

// monday is a Monday morning in Tokyo, the start of ISO week 2026-W49,
// with no holiday that week.
var monday = time.Date(2026, 11, 30, 10, 0, 0, 0, time.FixedZone("JST", 9*60*60))

// connEnv is the connections feature under test, with a clock that tests
// move and k=3.
type connEnv struct {
	*testenv.Env
	f     *Feature
	clock *testclock.Clock
}

// newConnEnv builds the feature alone on the kit, at monday.
func newConnEnv(t *testing.T) *connEnv {
	t.Helper()
	c := testclock.New(monday)
	e := testenv.New(t, testenv.Options{Clock: c.Now, Config: func(cfg *handlers.Config) {
		cfg.Location = monday.Location()
	}})
	f := New(e.Kit, Options{K: 3})
	e.Register(f)
	ce := &connEnv{Env: e, f: f, clock: c}
	ce.logOnFail()
	return ce
}

// person creates name with a profile: department and join year.
func (e *connEnv) person(name, dept string, year int) store.User {
	e.T.Helper()
	u := e.User(name)
	err := e.St.Update(func(tx *store.Tx) (err error) {
		u, err = tx.Users().Update(u.ID, func(x *store.User) error { x.Department, x.JoinYear = dept, year; return nil })
		return err
	})
	if err != nil {
		e.T.Fatal(err)
	}
	return u
}

// joined creates people who ran /soudan coffee join: "name dept year".
func (e *connEnv) joined(specs ...string) {
	e.T.Helper()
	for _, s := range specs {
		f := strings.Fields(s)
		year := 0
		for _, c := range f[2] {
			year = year*10 + int(c-'0')
		}
		e.person(f[0], f[1], year)
		e.OK(bottest.Command(f[0], "/soudan coffee join"))
	}
}

// introsTo are the introductions delivered to user in ds.
func introsTo(ds []bottest.Delivery, user string) []bottest.Delivery {
	var out []bottest.Delivery
	for _, d := range ds {
		if d.To.User == user && strings.HasPrefix(d.Reply.Key, "conn:intro:") {
			out = append(out, d)
		}
	}
	return out
}

// round is the programme's latest round.
func (e *connEnv) round(programme string) store.ConnRound {
	e.T.Helper()
	var rd store.ConnRound
	err := e.St.View(func(tx *store.Tx) error {
		p, err := tx.Connections().ProgrammeByName(programme)
		if err != nil {
			return err
		}
		rs, err := tx.Connections().Rounds(p.ID, 1)
		if err != nil || len(rs) == 0 {
			e.T.Fatalf("no round of %s (%v)", programme, err)
		}
		rd = rs[0]
		return nil
	})
	if err != nil {
		e.T.Fatal(err)
	}
	return rd
}

// member is the user's member record.
func (e *connEnv) member(name string) store.ConnMember {
	e.T.Helper()
	id := e.Known(name).ID // its own read, before the member's: not nested in it
	m, err := handlers.Read(e.Kit, func(tx *store.Tx) (store.ConnMember, error) { return tx.Connections().Member(id) })
	if err != nil {
		e.T.Fatalf("member %s: %v", name, err)
	}
	return m
}

// logOnFail prints the handlers' log when the test failed.
func (e *connEnv) logOnFail() {
	e.T.Cleanup(func() {
		if e.T.Failed() {
			e.T.Log(e.Log.String())
		}
	})
}

// userByID reads the user with id in a transaction of its own.
func (e *connEnv) userByID(id uint64) (store.User, error) {
	return handlersRead(e, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(id) })
}
