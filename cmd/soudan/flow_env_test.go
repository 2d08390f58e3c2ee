package main

import (
	"context"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/consult"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/scheduler"
	"github.com/soudan/soudan/store"
)

// flowNow is the fixed time of the whole-bot flow tests: Friday
// 2026-11-20 10:00 in Tokyo.
var flowNow = testenv.DefaultNow

// flowEnv is the whole bot, every feature wired as serve wires them, on a
// real router, bbolt file and outbox, with a recording fake adapter: for
// flows that cross features (a question, its reminders and escalation, the
// home surface, help listing every command).
type flowEnv struct {
	*testenv.Env
	bot *wiredBot
}

// newFlowEnv is the whole bot with the topics キャリア (career, キャリアパス)
// and IT (teams, パソコン) added by the admin. mod adjusts the options.
func newFlowEnv(t *testing.T, maxRouted int, mod func(*botOptions)) *flowEnv {
	t.Helper()
	fe := &flowEnv{}
	fe.Env = testenv.New(t, testenv.Options{Now: flowNow, Wire: func(cfg handlers.Config) (*handlers.Kit, *bot.Router, testenv.Flusher, error) {
		o := botOptions{Kit: cfg, Consult: consult.Options{MaxRouted: maxRouted}}
		if mod != nil {
			mod(&o)
		}
		b, err := newBot(o)
		if err != nil {
			return nil, nil, nil, err
		}
		fe.bot = b
		return b.kit, b.router, b.out, nil
	}})
	fe.OK(bottest.Command("admin", "/soudan admin topic add キャリア career キャリアパス"))
	fe.OK(bottest.Command("admin", "/soudan admin topic add IT teams パソコン"))
	return fe
}

// withBusinessCalendar puts the reminders on the business calendar
// (9:00-18:00 weekdays, Japanese holidays, the store's closed days).
func withBusinessCalendar(t *testing.T) func(*botOptions) {
	return func(o *botOptions) {
		st := o.Kit.Store
		cal, err := scheduler.NewCalendar(scheduler.CalendarOptions{Closed: func() ([]string, error) { return closedDates(st) }})
		if err != nil {
			t.Fatal(err)
		}
		o.Kit.Calendar = kitCalendar{cal}
	}
}

// job runs the named scheduled job at now and delivers what it enqueued,
// returning the deliveries.
func (e *flowEnv) job(name string, now time.Time) []bottest.Delivery {
	e.T.Helper()
	before := len(e.Ad.Sent())
	var run func(context.Context, time.Time) error
	for _, j := range e.bot.jobs() {
		if j.Name == name {
			run = j.Run
		}
	}
	if run == nil {
		e.T.Fatalf("no job %s", name)
	}
	if err := run(context.Background(), now); err != nil {
		e.T.Fatalf("%s at %v: %v", name, now, err)
	}
	e.Flush()
	return e.Ad.Sent()[before:]
}

// remind runs the reminder job at now.
func (e *flowEnv) remind(now time.Time) []bottest.Delivery {
	e.T.Helper()
	return e.job("consult:remind", now)
}

// jstAt is a time in Tokyo. flowNow is Friday 2026-11-20 10:00 there;
// Monday 11-23 is a national holiday.
func jstAt(month time.Month, day, hour int) time.Time {
	return time.Date(2026, month, day, hour, 0, 0, 0, time.FixedZone("JST", 9*60*60))
}

// homeOf is user opening their home surface.
func homeOf(user string) *bot.Message {
	m := bottest.DM(user, "")
	m.Kind = bot.KindHome
	return m
}

// hasUserThread reports whether userID has their own thread of c.
func hasUserThread(c store.Consultation, userID uint64) bool {
	_, ok := handlers.UserThread(c, userID)
	return ok
}
