package console

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/soudan/soudan/bot"
)

// ErrUnknownUser is returned by LookupUser for a name the console has not
// seen.
var ErrUnknownUser = errors.New("console: unknown user")

// Permalink says how to get to the address in the console: "console:
// :thread m5" for a thread, "console: :in #career" for a channel, and
// "console: :as 佐藤, :dm" for a DM.
func (a *Adapter) Permalink(_ context.Context, to bot.Address) (string, error) {
	ch := channelName(to.Channel)
	switch {
	case to.Thread != "":
		return "console: :thread " + to.Thread, nil
	case strings.HasPrefix(ch, "#"):
		return "console: :in " + ch, nil
	}
	name := to.User
	if ch != "" {
		name, _ = conv{channel: ch}.dmUser()
	}
	if name == "" {
		return "", errors.New("console: permalink to an empty address")
	}
	return "console: :as " + name + ", :dm", nil
}

// UserLink says how to talk as the user in the console: "console: :as 佐藤".
func (a *Adapter) UserLink(_ context.Context, name string) (string, error) {
	if name == "" {
		return "", errors.New("console: link to an empty user")
	}
	return "console: :as " + name, nil
}

// LookupUser returns the user called name, as seen via ":as" (or the
// default user): their id and name are name, their locale the one set.
func (a *Adapter) LookupUser(_ context.Context, name string) (bot.User, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	u, ok := a.users[name]
	if !ok {
		return bot.User{}, fmt.Errorf("look up %q: %w", name, ErrUnknownUser)
	}
	return bot.User{ID: u.name, Name: u.name, Locale: u.locale}, nil
}
