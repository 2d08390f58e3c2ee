package stats

import (
	"testing"
	"time"

	"github.com/soudan/soudan/internal/testclock"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/scheduler"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// jst is the bot's location in these tests (the kit's default).
var jst = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		return time.FixedZone("JST", 9*60*60)
	}
	return loc
}()

// at is a time in Tokyo.
func at(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, jst) }

// statsEnv is the statistics feature alone on a real router and bbolt
// file, on the business calendar the reminders use (9:00-18:00 on
// weekdays in Tokyo, Japanese holidays off), with a settable clock.
type statsEnv struct {
	*testenv.Env
	clk *testclock.Clock
	f   *Feature
}

func newStatsEnv(t testing.TB) *statsEnv {
	t.Helper()
	clk := testclock.New(at(time.December, 2, 12, 0))
	e := testenv.New(t, testenv.Options{Clock: clk.Now})
	cal, err := scheduler.NewCalendar(scheduler.CalendarOptions{Location: jst})
	if err != nil {
		t.Fatal(err)
	}
	e.Kit.Calendar = cal
	f := New(e.Kit, Options{})
	e.Register(f)
	return &statsEnv{Env: e, clk: clk, f: f}
}

// ask stores a question asked at t, as the consultation feature does.
func (e *statsEnv) ask(t time.Time, topic, asker string, anon bool) uint64 {
	e.T.Helper()
	e.clk.Set(t)
	u, tp := e.User(asker), e.Topic(topic)
	c, _, err := storetest.Write2(e.St, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{
			TopicID: tp.ID, AskerID: u.ID, Anonymous: anon,
			Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: u.ID, Text: asker + "の相談"}},
		})
	})
	if err != nil {
		e.T.Fatal(err)
	}
	return c.ID
}

// answer stores a mentor's answer at t; the first one takes the
// consultation and moves it to answered.
func (e *statsEnv) answer(t time.Time, id uint64, mentor string) {
	e.T.Helper()
	e.clk.Set(t)
	m := e.User(mentor)
	_, _, err := storetest.Write2(e.St, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().AddMessage(id, store.ConsultMessage{Kind: store.MsgAnswer, AuthorID: m.ID, Text: "回答です"})
	})
	if err != nil {
		e.T.Fatal(err)
	}
	e.move(t, id, store.StateAnswered, nil, func(c *store.Consultation) {
		if c.TakenBy == 0 {
			c.TakenBy = m.ID
		}
		if c.AnsweredAt.IsZero() {
			c.AnsweredAt = t
		}
	})
}

// move changes the state of consultation id at t, with a rating.
func (e *statsEnv) move(t time.Time, id uint64, to store.State, rating *int, also ...func(*store.Consultation)) {
	e.T.Helper()
	e.clk.Set(t)
	_, err := storetest.Write(e.St, func(tx *store.Tx) (store.Consultation, error) {
		return tx.Consultations().Update(id, func(c *store.Consultation) error {
			if c.State != to {
				c.History = append(c.History, store.StateChange{From: c.State, To: to, By: c.AskerID})
				c.State = to
			}
			if to == store.StateResolved || to == store.StateClosed {
				c.ClosedAt = t
			}
			if rating != nil {
				c.Rating = rating
			}
			for _, fn := range also {
				fn(c)
			}
			return nil
		})
	})
	if err != nil {
		e.T.Fatal(err)
	}
}

// count adds n to a monthly counter.
func (e *statsEnv) count(month, name string, n int) {
	e.T.Helper()
	if err := e.St.Update(func(tx *store.Tx) error { return tx.AddMonthly(month, name, n) }); err != nil {
		e.T.Fatal(err)
	}
}

func rating(n int) *int { return &n }

// Fixture ids.
const (
	c1 = iota + 1 // October, answered and resolved in November
	c2            // anonymous
	c3            // across the 3 November holiday
	c4            // across a weekend
	c5            // anonymous, across a weekend and the 23 November holiday
	c6            // closed unanswered
	c7            // anonymous, still unanswered
	c8            // answered in December
)

// fixture stores the hand-counted consultations of October to December
// 2026 (see TestHandCount) and returns the env at 2 December 12:00.
func fixture(t testing.TB) *statsEnv {
	e := newStatsEnv(t)
	e.Topic("キャリア")
	e.Topic("海外赴任")
	e.Topic("IT")
	e.ask(at(time.October, 30, 17, 0), "キャリア", "田中", false) // Fri
	e.answer(at(time.November, 2, 10, 0), c1, "佐藤")         // Mon: 1 h + 1 h
	e.move(at(time.November, 4, 15, 0), c1, store.StateResolved, rating(9))

	e.ask(at(time.November, 2, 11, 0), "キャリア", "秘密太郎", true)
	e.answer(at(time.November, 2, 14, 0), c2, "佐藤") // 3 h
	e.move(at(time.November, 5, 9, 0), c2, store.StateResolved, rating(10))

	e.ask(at(time.November, 2, 17, 30), "海外赴任", "田中", false)
	e.answer(at(time.November, 4, 10, 0), c3, "鈴木") // 0.5 h, the 3rd is Culture Day, 1 h
	e.move(at(time.November, 6, 9, 0), c3, store.StateResolved, rating(7))

	e.ask(at(time.November, 6, 16, 0), "キャリア", "山田", false) // Fri
	e.answer(at(time.November, 9, 11, 0), c4, "佐藤")         // 2 h + 2 h
	e.answer(at(time.November, 9, 12, 0), c4, "鈴木")         // a second answer: 鈴木 answered c4 too

	e.ask(at(time.November, 20, 17, 0), "IT", "秘密太郎", true) // Fri
	e.answer(at(time.November, 24, 12, 0), c5, "鈴木")        // 1 h, weekend, the 23rd is a holiday, 3 h
	e.move(at(time.November, 25, 10, 0), c5, store.StateResolved, rating(8))

	e.ask(at(time.November, 10, 10, 0), "海外赴任", "山田", false)
	e.move(at(time.November, 12, 10, 0), c6, store.StateClosed, nil)

	e.ask(at(time.November, 27, 10, 0), "キャリア", "秘密太郎", true) // Fri

	e.ask(at(time.November, 30, 17, 0), "IT", "田中", false)
	e.answer(at(time.December, 1, 10, 0), c8, "佐藤")

	e.count("2026-10", store.StatSearches, 40)
	e.count("2026-11", store.StatSearches, 12)
	e.count("2026-11", store.StatSearchEmpty, 3)
	e.count("2026-11", store.StatTipsAdded, 2)
	e.count("2026-11", store.StatDeflected, 1)
	e.count("2026-12", store.StatSearches, 5)
	e.clk.Set(at(time.December, 2, 12, 0)) // Wed
	return e
}
