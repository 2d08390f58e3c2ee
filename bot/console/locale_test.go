package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/console"
)

// TestAsLocaleIsChosenOnce: the first message after ":as NAME LOCALE" says
// the user chose the locale (so the bot's stored one follows); later ones
// do not, and a plain ":as NAME" chooses nothing.
func TestAsLocaleIsChosenOnce(t *testing.T) {
	d := &recorder{}
	run(t, "a\n:as 佐藤 en\nb\nc\n:as 鈴木\n:as 佐藤\nd\n:as 佐藤 ja\n:press 1\ne\n", d)
	var got []string
	for _, m := range d.messages() {
		s := m.User.Locale
		if m.User.LocaleChosen {
			s += "!"
		}
		got = append(got, s)
	}
	if want := "ja en! en en ja!"; strings.Join(got, " ") != want {
		t.Errorf("locales %q, want %q", strings.Join(got, " "), want)
	}
}

// TestAsLocaleChosenSurvivesRestart: a choice not yet sent is sent after a
// restart.
func TestAsLocaleChosenSurvivesRestart(t *testing.T) {
	st := &memState{}
	session(t, st, ":as 鈴木 en\n")
	d, _ := session(t, st, ":as 鈴木\nhi\n")
	if m := only(t, d); m.User.Locale != "en" || !m.User.LocaleChosen {
		t.Errorf("got %+v, want en, chosen", m.User)
	}
}

// TestOptionsLocale: users who choose no locale get Options.Locale, the
// console's own messages too.
func TestOptionsLocale(t *testing.T) {
	out := &strings.Builder{}
	d := &recorder{}
	a := console.New(strings.NewReader(":who\nhi\n:as 鈴木\nyo\n:as 田中 ja\n:who\n"), out, console.Options{
		DefaultUser: "kim",
		Locale:      "en",
		Now:         func() time.Time { return now },
	})
	if err := a.Run(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, out.String(), lines(
		"! user: kim (en), posting to: DM",
		"[kim → DM] m1",
		"  hi",
		"[鈴木 → DM] m2",
		"  yo",
		"! ユーザー: 田中（ja）、投稿先: DM",
	))
	for _, m := range d.messages() {
		if m.User.Locale != "en" || m.User.LocaleChosen {
			t.Errorf("%s: locale %q chosen %v, want en, not chosen", m.User.ID, m.User.Locale, m.User.LocaleChosen)
		}
	}
	if u, err := a.LookupUser(t.Context(), "鈴木"); err != nil || u.Locale != "en" {
		t.Errorf("LookupUser = %+v, %v; want en", u, err)
	}
}
