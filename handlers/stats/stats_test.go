package stats

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// build is the report of month at the env's now.
func (e *statsEnv) build(month string) Report {
	e.T.Helper()
	r, err := e.f.Build(context.Background(), month, e.clk.Now())
	if err != nil {
		e.T.Fatal(err)
	}
	return r
}

// TestHandCount compares November 2026's figures with a count by hand of
// the fixture (times in Tokyo; business hours 9:00-18:00 on weekdays; 3
// and 23 November are holidays):
//
//	#1 Oct 30 Fri 17:00 キャリア → answered Nov 2 10:00 (1 h + 1 h = 2 h), resolved Nov 4, 9
//	#2 Nov 2 11:00 キャリア anonymous → answered 14:00 (3 h), resolved Nov 5, 10
//	#3 Nov 2 17:30 海外赴任 → answered Nov 4 10:00 (0.5 h + holiday + 1 h = 1.5 h), resolved Nov 6, 7
//	#4 Nov 6 Fri 16:00 キャリア → answered Nov 9 Mon 11:00 (2 h + 2 h = 4 h) by 佐藤, then 鈴木
//	#5 Nov 20 Fri 17:00 IT anonymous → answered Nov 24 Tue 12:00 (1 h + weekend + holiday + 3 h = 4 h), resolved Nov 25, 8
//	#6 Nov 10 10:00 海外赴任 → closed Nov 12 with no answer
//	#7 Nov 27 Fri 10:00 キャリア anonymous → no answer yet
//	#8 Nov 30 17:00 IT → answered Dec 1
//
// opened #2-#8 = 7; first answered #1-#5 = 5; resolved #1 #2 #3 #5 = 4;
// closed unanswered #6 = 1; answered of opened within November #2-#5 =
// 4/7 = 57.1%; waits 1.5 2 3 4 4 h: median (3rd of 5) 3 h, p90 (5th of
// 5) 4 h; ratings 9 10 7 8: average 8.5, 8 or more 3/4 = 75%; 佐藤
// answered #1 #2 #4, 鈴木 #3 #4 #5; topics キャリア 3, 海外赴任 2, IT 2;
// #7 has waited 5 days, Fri 8 h + Mon 9 h + Tue 9 h + Wed 3 h = 29 h.
func TestHandCount(t *testing.T) {
	e := fixture(t)
	r := e.build("2026-11")
	got := []int{r.Opened, r.Answered, r.Resolved, r.ClosedUnanswered, r.AnsweredOfOpened, r.Rated, r.RatingSum, r.RatedGood, r.ActiveMentors}
	if want := []int{7, 5, 4, 1, 4, 4, 34, 3, 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("opened, answered, resolved, closed unanswered, answered of opened, rated, rating sum, rated good, mentors = %v, want %v", got, want)
	}
	if want := (Durations{Count: 5, Median: 3 * time.Hour, P90: 4 * time.Hour}); r.FirstAnswer != want {
		t.Errorf("first answer = %+v, want %+v", r.FirstAnswer, want)
	}
	if rate, ok := r.AnswerRate(); !ok || percent(rate) != "57.1%" {
		t.Errorf("answer rate = %v %v, want 57.1%%", rate, ok)
	}
	if avg, good, ok := r.Satisfaction(); !ok || avg != 8.5 || good != 0.75 {
		t.Errorf("satisfaction = %v %v %v, want 8.5 0.75", avg, good, ok)
	}
	sato, suzuki := e.Known("佐藤").ID, e.Known("鈴木").ID
	if want := []MentorLoad{{sato, "佐藤", 3, 2}, {suzuki, "鈴木", 3, 0}}; !reflect.DeepEqual(r.Mentors, want) {
		t.Errorf("mentors = %+v, want %+v", r.Mentors, want)
	}
	var topics []string
	for _, tc := range r.Topics {
		topics = append(topics, tc.Name+"="+strconv.Itoa(tc.Opened))
	}
	if want := []string{"キャリア=3", "海外赴任=2", "IT=2"}; !reflect.DeepEqual(topics, want) {
		t.Errorf("topics = %v, want %v", topics, want)
	}
	if len(r.Unanswered) != 1 || r.Unanswered[0].ID != c7 || r.Unanswered[0].Topic != "キャリア" || r.Unanswered[0].Business != 29*time.Hour {
		t.Errorf("unanswered = %+v, want #7 キャリア after 29 h", r.Unanswered)
	}
	if want := (Knowledge{TipsAdded: 2, Searches: 12, SearchEmpty: 3, Deflected: 1}); !reflect.DeepEqual(r.Knowledge, want) {
		t.Errorf("knowledge = %+v, want %+v", r.Knowledge, want)
	}
	if r.Surveys != nil {
		t.Errorf("surveys = %v with no survey source", r.Surveys)
	}

	oct := e.build("2026-10")
	if got := []int{oct.Opened, oct.Answered, oct.Resolved, oct.AnsweredOfOpened, oct.Knowledge.Searches}; !reflect.DeepEqual(got, []int{1, 0, 0, 0, 40}) {
		t.Errorf("October opened, answered, resolved, answered of opened, searches = %v, want [1 0 0 0 40]", got)
	}
}

// TestCommandShowsTheFigures: an admin's /soudan stats 2026-11 shows the
// hand-counted figures, in Japanese and in English.
func TestCommandShowsTheFigures(t *testing.T) {
	e := fixture(t)
	ja := e.OK(bottest.Command("admin", "/soudan stats 2026-11")).Text()
	for _, want := range []string{
		"相談窓口の統計（2026-11）", "受付 7 件 / 初回回答 5 件 / 解決 4 件 / 未回答のまま終了 1 件",
		"回答率: 57.1%（この月の相談 7 件のうち月内に回答 4 件）",
		"中央値 3.0 時間 / 90パーセンタイル 4.0 時間（5 件）", "平均 8.5 / 10、8 以上 75.0%（評価 4 件）",
		"回答したメンター: 2 人", "・佐藤: 回答 3 件（現在の担当 2 件）", "・キャリア: 3 件",
		"・#7 キャリア: 5 日経過（営業時間 29.0 時間）", "ヒント追加 2 件 / 検索 12 回（該当なし 3 回）/ ヒントで解決 1 件",
	} {
		if !strings.Contains(ja, want) {
			t.Errorf("stats = %q, want %q in it", ja, want)
		}
	}
	uid := e.Known("admin").ID
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(uid, func(u *store.User) error { u.Locale = "en"; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	en := e.OK(bottest.Command("admin", "/soudan 統計 ２０２６年１１月")).Text()
	for _, want := range []string{"Programme statistics (2026-11)", "7 opened / 5 first answered / 4 resolved / 1 closed unanswered", "median 3.0 h / p90 4.0 h", "average 8.5 of 10, 75.0% rated 8 or more"} {
		if !strings.Contains(en, want) {
			t.Errorf("stats in English = %q, want %q in it", en, want)
		}
	}
	// No month: the current one (December: #8's answer, nothing opened).
	dec := e.OK(bottest.Command("admin", "/soudan stats")).Text()
	if !strings.Contains(dec, "(2026-12)") || !strings.Contains(dec, "0 opened / 1 first answered") || !strings.Contains(dec, "Answer rate: —") {
		t.Errorf("stats with no month = %q, want December's", dec)
	}
}

// TestNeverNamesAnAsker: no report, command or monthly post, shows who
// asked: neither the anonymous asker's name, platform id or user id, nor
// any other asker's.
func TestNeverNamesAnAsker(t *testing.T) {
	e := fixture(t)
	secret := e.Known("秘密太郎")
	texts := []string{
		e.OK(bottest.Command("admin", "/soudan stats 2026-11")).Text(),
		e.CmdEN("admin", "/soudan stats 2026-10").Text(),
		e.OK(bottest.Command("admin", "/soudan stats")).Text(),
	}
	before := len(e.Ad.Sent())
	if err := e.f.MonthlyReport(context.Background(), at(time.December, 1, 9, 0)); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	sent := e.Ad.Sent()[before:]
	if len(sent) != 1 || !strings.Contains(sent[0].Reply.Text, "受付 7 件") {
		t.Fatalf("monthly report = %+v, want November's to the admin", sent)
	}
	texts = append(texts, sent[0].Reply.Text)
	for _, s := range texts {
		for _, banned := range []string{"秘密太郎", secret.PlatformID, "田中", "山田", "user " + strconv.FormatUint(secret.ID, 10)} {
			if strings.Contains(s, banned) {
				t.Errorf("report names asker %q:\n%s", banned, s)
			}
		}
	}
}

// TestPastMonthDoesNotChange: November's figures stay the same when
// December gets records: new questions, answers and resolutions of
// November's questions, and knowledge counters.
func TestPastMonthDoesNotChange(t *testing.T) {
	e := fixture(t)
	before := e.build("2026-11")
	e.ask(at(time.December, 2, 13, 0), "キャリア", "田中", false)
	e.answer(at(time.December, 2, 14, 0), c7, "佐藤")
	e.move(at(time.December, 2, 15, 0), c4, store.StateResolved, rating(3))
	e.move(at(time.December, 2, 15, 30), c8, store.StateClosed, nil)
	e.count("2026-12", store.StatSearches, 7)
	e.count("2026-12", store.StatTipsAdded, 1)
	e.clk.Set(at(time.December, 3, 9, 0))
	after := e.build("2026-11")
	if len(after.Unanswered) != 1 || after.Unanswered[0].ID != c8+1 {
		t.Errorf("unanswered = %+v, want only December's new #9 now that #7 is answered", after.Unanswered)
	}
	// Only what is "now" may differ: when it was built, the unanswered
	// list, the mentors' current load.
	for _, r := range []*Report{&before, &after} {
		r.At, r.Unanswered = time.Time{}, nil
		for i := range r.Mentors {
			r.Mentors[i].Active = 0
		}
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("November changed with December's records:\nbefore %+v\nafter  %+v", before, after)
	}
}

// TestPurgedConsultationsAreShownApart: consultations retention deleted
// leave the records' figures and appear as their own totals.
func TestPurgedConsultationsAreShownApart(t *testing.T) {
	e := newStatsEnv(t)
	id := e.ask(at(time.October, 5, 10, 0), "キャリア", "asker", false)
	e.answer(at(time.October, 5, 11, 0), id, "佐藤")
	eight := 8
	e.move(at(time.October, 6, 10, 0), id, store.StateResolved, &eight)
	if r := e.build("2026-10"); r.Opened != 1 || r.Purged != nil {
		t.Fatalf("before the purge: opened %d, purged %+v", r.Opened, r.Purged)
	}
	if err := e.St.Update(func(tx *store.Tx) error {
		_, _, err := tx.PurgeConsultations(at(time.November, 1, 0, 0), 10)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	r := e.build("2026-10")
	if r.Opened != 0 || r.Purged == nil || r.Purged.Consultations != 1 || r.Purged.Resolved != 1 || r.Purged.RatingSum != 8 {
		t.Fatalf("after the purge: opened %d, purged %+v; want 0 and 1 resolved, rated 8", r.Opened, r.Purged)
	}
	if text := e.f.Render("ja", r); !strings.Contains(text, "保存期間を過ぎて削除した、この月の相談: 1件（回答あり 1、解決 1、満足度平均 8.0）") {
		t.Errorf("report = %q, want the purged totals", text)
	}
}

// TestSearchTermsInTheReport: what people searched for most, and what
// found nothing, are in the month's report.
func TestSearchTermsInTheReport(t *testing.T) {
	e := newStatsEnv(t)
	if err := e.St.Update(func(tx *store.Tx) error {
		for _, q := range []string{"VPN", "ｖｐｎ", "育休"} {
			if err := tx.CountSearchTerm("2026-11", q, q == "育休"); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	text := e.f.Render("ja", e.build("2026-11"))
	for _, want := range []string{"よく検索された言葉: 「vpn」2回、「育休」1回", "見つからなかった検索（次に書くヒントの候補）: 「育休」1回"} {
		if !strings.Contains(text, want) {
			t.Errorf("report = %q, want %q", text, want)
		}
	}
}
