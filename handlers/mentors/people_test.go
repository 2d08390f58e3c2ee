package mentors

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// peopleNow is the fixed time of the people tests: 2026-05-11 10:00 JST.
var peopleNow = time.Date(2026, 5, 11, 1, 0, 0, 0, time.UTC)

// peopleEnv is an App registered on a real router, with a recording fake
// adapter and a real store. "admin" is an admin from the first message.
type peopleEnv struct {
	t   *testing.T
	app *App
	rt  *bot.Router
	ad  *bottest.Adapter
	st  *store.Store
}

func newPeopleEnv(t *testing.T) *peopleEnv {
	t.Helper()
	now := func() time.Time { return peopleNow }
	st := storetest.MustOpen(t, store.Options{Now: now})
	ad := bottest.New("test")
	app, err := New(Config{
		Store:  st,
		Sender: ad,
		Now:    now,
		Log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Admins: []string{"test:admin"},
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	rt := bot.NewRouter()
	app.Register(rt)
	return &peopleEnv{t: t, app: app, rt: rt, ad: ad, st: st}
}

// do runs m through the router as the adapter would, and delivers what
// it put in the outbox (see doAndFlush).
func (e *peopleEnv) do(m *bot.Message) *bottest.Turn {
	e.t.Helper()
	return doAndFlush(e.t, e.ad, e.rt, e.app, m)
}

// cmd runs a command line typed by user in their DM.
func (e *peopleEnv) cmd(user, line string) *bottest.Turn {
	e.t.Helper()
	return e.do(bottest.Command(user, line))
}

// cmdEN runs a command line typed by user whose chat client is in English.
func (e *peopleEnv) cmdEN(user, line string) *bottest.Turn {
	e.t.Helper()
	m := bottest.Command(user, line)
	m.User.Locale = "en"
	return e.do(m)
}

// submit submits a form as user from their DM.
func (e *peopleEnv) submit(user, formID string, form map[string]string) *bottest.Turn {
	e.t.Helper()
	return e.do(bottest.Submit(user, peopleDM(user), formID, "", form))
}

// press presses a button as user in their DM.
func (e *peopleEnv) press(user, id, value string) *bottest.Turn {
	e.t.Helper()
	return e.do(bottest.Press(user, peopleDM(user), id, value))
}

// peopleDM is the test address of user's DM with the bot.
func peopleDM(user string) bot.Address {
	return bot.Address{Platform: "test", Workspace: "w", Channel: "dm:" + user, User: user}
}

// user returns the stored user with the test platform id name.
func (e *peopleEnv) user(name string) store.User {
	e.t.Helper()
	u, err := e.st.UserByKey(store.UserKey{Platform: "test", Workspace: "w", PlatformID: name})
	if err != nil {
		e.t.Fatalf("user %s: %v", name, err)
	}
	return u
}

// topic returns the topic with the name or alias.
func (e *peopleEnv) topic(name string) store.Topic {
	e.t.Helper()
	tp, err := e.st.TopicByName(name)
	if err != nil {
		e.t.Fatalf("topic %s: %v", name, err)
	}
	return tp
}

// refusal is how the middleware shows a *bot.Error in lang.
func (e *peopleEnv) refusal(lang, key string, kv ...any) string {
	return "⚠️ " + e.app.cat.t(lang, key, kv...)
}

// wantPeopleReply fails unless one reply of the turn has exactly text.
func wantPeopleReply(t *testing.T, turn *bottest.Turn, want string) {
	t.Helper()
	for _, r := range turn.Replies {
		if r.Text == want {
			return
		}
	}
	t.Errorf("replies = %q, want one with text %q", peopleReplyTexts(turn), want)
}

// peopleReplyTexts lists the reply texts of a turn, for failure messages.
func peopleReplyTexts(turn *bottest.Turn) []string {
	var out []string
	for _, r := range turn.Replies {
		out = append(out, r.Text)
	}
	return out
}

// peopleForm returns the form shown in the turn, failing if there is none.
func peopleForm(t *testing.T, turn *bottest.Turn) *bot.Form {
	t.Helper()
	for _, r := range turn.Replies {
		if r.Form != nil {
			return r.Form
		}
	}
	t.Fatalf("replies = %q, want a form", peopleReplyTexts(turn))
	return nil
}

// peopleInput returns the form's input with name, failing if there is none.
func peopleInput(t *testing.T, f *bot.Form, name string) bot.Input {
	t.Helper()
	for _, in := range f.Inputs {
		if in.Name == name {
			return in
		}
	}
	t.Fatalf("form %s has no input %q", f.ID, name)
	return bot.Input{}
}

func TestProfileFormSavesAndAnswersInNewLanguage(t *testing.T) {
	e := newPeopleEnv(t)
	f := peopleForm(t, e.cmd("佐藤", "/soudan プロフィール"))
	if f.ID != "profile" {
		t.Fatalf("form ID = %q, want profile", f.ID)
	}
	if got := peopleInput(t, f, "language").Value; got != "ja" {
		t.Errorf("language prefilled as %q, want ja", got)
	}
	turn := e.submit("佐藤", "profile", map[string]string{
		"department": "  人事課 ", "join_year": "２０１５年", "job_type": "事務（総合職）",
		"posting": "overseas", "language": "en",
	})
	wantPeopleReply(t, turn, "Your profile has been saved.")
	u := e.user("佐藤")
	if u.Department != "人事課" || u.JoinYear != 2015 || u.JobType != "事務（総合職）" || u.Posting != store.PostingOverseas || u.Locale != "en" {
		t.Errorf("saved user = %+v, want department 人事課, 2015, 事務（総合職）, overseas, en", u)
	}
	f = peopleForm(t, e.cmd("佐藤", "/soudan profile"))
	if got := peopleInput(t, f, "join_year").Value; got != "2015" {
		t.Errorf("reopened form join_year = %q, want 2015", got)
	}
	if got := peopleInput(t, f, "department").Label; got != "Department" {
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
			e.cmd("佐藤", "/soudan profile")
			before := e.user("佐藤")
			form := map[string]string{}
			for k, v := range good {
				form[k] = v
			}
			form[tc.field] = tc.value
			f := peopleForm(t, e.submit("佐藤", "profile", form))
			if got, want := f.Errors[tc.field], e.app.cat.t("ja", tc.wantKey, tc.kv...); got != want {
				t.Errorf("Errors[%s] = %q, want %q", tc.field, got, want)
			}
			if len(f.Errors) != 1 {
				t.Errorf("Errors = %v, want only %s", f.Errors, tc.field)
			}
			if tc.field == "join_year" {
				if got := peopleInput(t, f, "join_year").Value; got != tc.value {
					t.Errorf("re-shown join_year = %q, want as typed %q", got, tc.value)
				}
			}
			after := e.user("佐藤")
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
