package mentors

import (
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

// peopleNow is the fixed time of the people tests: 2026-05-11 10:00 JST.
var peopleNow = time.Date(2026, 5, 11, 1, 0, 0, 0, time.UTC)

// newPeopleEnv is the mentors and profiles feature alone on a real router
// and bbolt file, with the default topic a consultation bot starts with.
// "admin" is an admin from the first message.
func newPeopleEnv(t *testing.T) *testenv.Env {
	t.Helper()
	e := testenv.New(t, testenv.Options{Now: peopleNow})
	e.Register(New(e.Kit))
	e.DefaultTopic()
	return e
}

func TestProfileFormSavesAndAnswersInNewLanguage(t *testing.T) {
	e := newPeopleEnv(t)
	f := testenv.FormOf(t, e.Cmd("佐藤", "/soudan プロフィール"))
	if f.ID != "profile" {
		t.Fatalf("form ID = %q, want profile", f.ID)
	}
	if got := testenv.InputOf(t, f, "language").Value; got != "ja" {
		t.Errorf("language prefilled as %q, want ja", got)
	}
	turn := e.Submit("佐藤", "profile", map[string]string{
		"department": "  人事課 ", "join_year": "２０１５年", "job_type": "事務（総合職）",
		"posting": "overseas", "language": "en",
	})
	testenv.WantReply(t, turn, "Your profile has been saved.")
	u := e.Known("佐藤")
	if u.Department != "人事課" || u.JoinYear != 2015 || u.JobType != "事務（総合職）" || u.Posting != store.PostingOverseas || u.Locale != "en" {
		t.Errorf("saved user = %+v, want department 人事課, 2015, 事務（総合職）, overseas, en", u)
	}
	f = testenv.FormOf(t, e.Cmd("佐藤", "/soudan profile"))
	if got := testenv.InputOf(t, f, "join_year").Value; got != "2015" {
		t.Errorf("reopened form join_year = %q, want 2015", got)
	}
	if got := testenv.InputOf(t, f, "department").Label; got != "Department" {
		t.Errorf("reopened form label = %q, want English Department", got)
	}
}

func TestProfileFormRejectsBadInputAndSavesNothing(t *testing.T) {
	good := map[string]string{"department": "総務課", "join_year": "2010", "job_type": "技術", "posting": "hq", "language": "ja"}
	for _, tc := range []struct {
		name, field, value, wantKey string
		kv                          []any
	}{
		{"future year", "join_year", "2027", "people.error.join_year", []any{"Min", 1950, "Max", 2026}},
		{"old year", "join_year", "1949", "people.error.join_year", []any{"Min", 1950, "Max", 2026}},
		{"two digits", "join_year", "15", "people.error.join_year", []any{"Min", 1950, "Max", 2026}},
		{"words", "join_year", "平成27", "people.error.join_year", []any{"Min", 1950, "Max", 2026}},
		{"posting", "posting", "moon", "people.error.choice", nil},
		{"language", "language", "fr", "people.error.choice", nil},
		{"long department", "department", strings.Repeat("課", 101), "people.error.too_long", []any{"Max", 100}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newPeopleEnv(t)
			e.Cmd("佐藤", "/soudan profile")
			before := e.Known("佐藤")
			form := map[string]string{}
			for k, v := range good {
				form[k] = v
			}
			form[tc.field] = tc.value
			f := testenv.FormOf(t, e.Submit("佐藤", "profile", form))
			if got, want := f.Errors[tc.field], e.Kit.TL("ja", tc.wantKey, tc.kv...); got != want {
				t.Errorf("Errors[%s] = %q, want %q", tc.field, got, want)
			}
			if len(f.Errors) != 1 {
				t.Errorf("Errors = %v, want only %s", f.Errors, tc.field)
			}
			if tc.field == "join_year" {
				if got := testenv.InputOf(t, f, "join_year").Value; got != tc.value {
					t.Errorf("re-shown join_year = %q, want as typed %q", got, tc.value)
				}
			}
			after := e.Known("佐藤")
			if after.Department != before.Department || after.JoinYear != before.JoinYear || after.JobType != before.JobType ||
				after.Posting != before.Posting || after.Locale != before.Locale {
				t.Errorf("profile changed by a rejected form: got %+v, want %+v", after, before)
			}
		})
	}
}

func TestParseJoinYear(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   int
		wantOK bool
	}{
		{"", 0, true}, {"2015", 2015, true}, {"２０１５", 2015, true}, {" 1950年 ", 1950, true}, {"2026", 2026, true},
		{"2027", 0, false}, {"1949", 0, false}, {"99", 0, false}, {"20a5", 0, false}, {"-200", 0, false},
	} {
		got, ok := parseJoinYear(tc.in, 2026)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("parseJoinYear(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}
