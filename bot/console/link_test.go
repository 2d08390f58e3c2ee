package console_test

import (
	"errors"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
)

func TestPermalink(t *testing.T) {
	a, _ := newConsole("")
	tests := []struct {
		at   bot.Address
		want string
	}{
		{chAddr("#career", "m5"), "console: :thread m5"},
		{dmAddr("鈴木", "m5"), "console: :thread m5"},
		{chAddr("#career", ""), "console: :in #career"},
		{bot.Address{Channel: "career"}, "console: :in #career"},
		{dmAddr("鈴木", ""), "console: :as 鈴木, :dm"},
		{bot.Address{User: "鈴木"}, "console: :as 鈴木, :dm"},
	}
	for _, tt := range tests {
		got, err := a.Permalink(t.Context(), tt.at)
		if err != nil || got != tt.want {
			t.Errorf("Permalink(%+v) = %q, %v; want %q", tt.at, got, err, tt.want)
		}
	}
	for _, at := range []bot.Address{{}, {Channel: " "}, {Channel: "#"}} {
		if got, err := a.Permalink(t.Context(), at); err == nil {
			t.Errorf("Permalink(%+v) = %q, want an error", at, got)
		}
	}
}

func TestUserLink(t *testing.T) {
	a, _ := newConsole("")
	if got, err := a.UserLink(t.Context(), "鈴木"); err != nil || got != "console: :as 鈴木" {
		t.Errorf("UserLink = %q, %v; want %q", got, err, "console: :as 鈴木")
	}
	if got, err := a.UserLink(t.Context(), ""); err == nil {
		t.Errorf("UserLink(\"\") = %q, want an error", got)
	}
}

func TestLookupUser(t *testing.T) {
	a, _ := newConsole(":as 鈴木 en\n:as 佐藤\n")
	if err := a.Run(t.Context(), &recorder{}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bot.User{
		"佐藤": {ID: "佐藤", Name: "佐藤", Locale: "ja"},
		"鈴木": {ID: "鈴木", Name: "鈴木", Locale: "en"},
	} {
		if got, err := a.LookupUser(t.Context(), name); err != nil || got != want {
			t.Errorf("LookupUser(%q) = %+v, %v; want %+v", name, got, err, want)
		}
	}
	if _, err := a.LookupUser(t.Context(), "田中"); !errors.Is(err, console.ErrUnknownUser) {
		t.Errorf("LookupUser(unseen) error = %v, want ErrUnknownUser", err)
	}
}
