package survey

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/internal/testclock"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// openAs opens a round by command and confirmation, and returns its id
// as the prompts carry it.
func openAs(t *testing.T, e *testenv.Env, line string) (string, *bottest.Turn) {
	t.Helper()
	turn := e.OK(bottest.Command("admin", line))
	send := button(t, turn.Replies, actionSend)
	turn = e.OK(bottest.Press("admin", testenv.DM("admin"), actionSend, send.Value))
	if len(turn.Sent) == 0 {
		t.Fatalf("%s: no prompt sent", line)
	}
	return turn.Sent[0].Reply.Buttons[0].Value, turn
}

// TestConfidentialRoundFollowUpForHROnly runs two confidential rounds:
// hr gets the people whose scores are low or fell sharply, and the raw
// export; nobody else gets either.
func TestConfidentialRoundFollowUpForHROnly(t *testing.T) {
	t.Parallel()
	e, f, c := newRoundEnv(t)
	ctx := context.Background()
	round, _ := openAs(t, e, "/soudan survey send engagement dept=総務課 記名")
	for _, n := range org["総務課"] {
		answerAs(t, e, n, round, 8, 4, "")
	}
	if _, _, err := f.closeRound(ctx, mustID(t, round), store.User{}); err != nil {
		t.Fatal(err)
	}
	c.Set(time.Date(2026, 12, 1, 10, 0, 0, 0, jst))
	round, _ = openAs(t, e, "/soudan survey send engagement dept=総務課 mode=confidential")
	for _, n := range org["総務課"] {
		switch n {
		case "佐藤": // low: 1-5 items at 2
			answerAs(t, e, n, round, 8, 2, "")
		case "鈴木": // fell from 4 to 3 (not sharp), eNPS 4 (low)
			answerAs(t, e, n, round, 4, 3, "")
		default:
			answerAs(t, e, n, round, 9, 4, "")
		}
	}
	before := len(e.Ad.Sent())
	if _, _, err := f.closeRound(ctx, mustID(t, round), store.User{}); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	var hr, others string
	for _, d := range e.Ad.Sent()[before:] {
		text := testenv.DeliveredText([]bottest.Delivery{d})
		if d.To.User == "人事C" {
			hr += text
		} else {
			others += text
		}
	}
	if !strings.Contains(hr, "フォローが必要かもしれない人") || !strings.Contains(hr, "佐藤") || !strings.Contains(hr, "鈴木") || strings.Contains(hr, "高橋") {
		t.Errorf("hr's report = %q, want 佐藤 and 鈴木 to follow up, not 高橋", hr)
	}
	if strings.Contains(others, "佐藤") || strings.Contains(others, "フォロー") {
		t.Errorf("someone other than hr got the follow-up list: %q", others)
	}
	// The change against the previous round is shown.
	if !strings.Contains(hr, "前回比") {
		t.Errorf("hr's report = %q, want the change against the previous round", hr)
	}
	raw := e.OK(bottest.Command("人事C", "/soudan survey export engagement 2026-12 raw")).Text()
	if !strings.Contains(raw, "佐藤") || !strings.Contains(raw, "user_id,name,department") {
		t.Errorf("hr's raw export = %q", raw)
	}
	e.Refused(bottest.Command("admin", "/soudan survey export engagement 2026-12 raw"))
	e.Refused(bottest.Command("部長A", "/soudan survey export engagement"))
}

func mustID(t *testing.T, s string) uint64 {
	t.Helper()
	r, err := (&Feature{}).roundID(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestScheduledRoundOpensOnFirstBusinessDay: the engagement survey opens
// on its own on the first working day of the month (Jan 1-3 and weekends
// skipped by the calendar), once, for staff up to their 8th year.
func TestScheduledRoundOpensOnFirstBusinessDay(t *testing.T) {
	t.Parallel()
	c := testclock.New(time.Date(2027, 1, 4, 10, 0, 0, 0, jst))
	e := testenv.New(t, testenv.Options{Clock: c.Now})
	e.Kit.Calendar = closedOn{"2027-01-01": true}
	f := New(e.Kit, Options{Scheduled: []string{"engagement"}})
	e.Register(f)
	for name, year := range map[string]int{"新人": 2026, "中堅": 2019, "ベテラン": 2010, "不明": 0} {
		uid := e.User(name).ID
		if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
			return tx.Users().Update(uid, func(u *store.User) error { u.JoinYear = year; return nil })
		}); err != nil {
			t.Fatal(err)
		}
	}
	// Saturday the 2nd is no working day; Friday the 1st is closed.
	for _, day := range []int{1, 2} {
		if err := f.Daily(context.Background(), time.Date(2027, 1, day, 10, 0, 0, 0, jst)); err != nil {
			t.Fatal(err)
		}
	}
	e.Flush()
	if n := len(e.Ad.Sent()); n != 0 {
		t.Fatalf("sent %d before the first business day", n)
	}
	for range 2 {
		if err := f.Daily(context.Background(), c.Now()); err != nil {
			t.Fatal(err)
		}
		e.Flush()
	}
	got := testenv.Recipients(e.Ad.Sent())
	if j := strings.Join(got, ","); j != "dm:中堅,dm:新人" && j != "dm:新人,dm:中堅" {
		t.Fatalf("scheduled prompts went to %v, want 新人 and 中堅 (up to the 8th year) once", got)
	}
	// Tuesday the 5th is not the first business day any more.
	c.Set(time.Date(2027, 1, 5, 10, 0, 0, 0, jst))
	if err := f.Daily(context.Background(), c.Now()); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	if n := len(e.Ad.Sent()); n != 2 {
		t.Errorf("sent %d after the 5th, want still 2", n)
	}
}

// closedOn is a calendar of weekdays with some closed dates.
// closedOn is the plain calendar with the given days closed.
type closedOn map[string]bool

func (c closedOn) IsWorkday(t time.Time) (bool, error) {
	w, _ := handlers.PlainCalendar{}.IsWorkday(t)
	return w && !c[t.Format("2006-01-02")], nil
}

func (c closedOn) WorkingHours(from, to time.Time) (time.Duration, error) {
	return handlers.PlainCalendar{}.WorkingHours(from, to)
}

// TestSurveyDefaultsFromItsDefinition: an imported survey that says
// confidential with min_group 10 opens its rounds so, unless the admin
// says otherwise.
func TestSurveyDefaultsFromItsDefinition(t *testing.T) {
	t.Parallel()
	e, _, _ := newRoundEnv(t)
	def := []byte("id: care\ntitle: {ja: ケア調査, en: Care}\nmode: confidential\nmin_group: 10\nitems: [{id: q, kind: scale1to5, title: {ja: 元気, en: Well}}]\n")
	if _, _, err := Import(e.St, "care.yaml", def); err != nil {
		t.Fatal(err)
	}
	confirm := e.OK(bottest.Command("admin", "/soudan survey send care dept=総務課")).Text()
	if !strings.Contains(confirm, "記名") || !strings.Contains(confirm, "10人以上") {
		t.Errorf("confirmation = %q, want confidential with k=10 from the definition", confirm)
	}
	confirm = e.OK(bottest.Command("admin", "/soudan survey send care dept=総務課 匿名 k=6")).Text()
	if !strings.Contains(confirm, "匿名") || !strings.Contains(confirm, "6人以上") {
		t.Errorf("confirmation = %q, want the admin's anonymous and k=6", confirm)
	}
}
