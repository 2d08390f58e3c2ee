// Package bottest is a recording fake adapter and message builders for
// handler tests. The adapter records what is sent instead of delivering
// it; Do runs one message through a dispatcher and records the replies of
// that turn:
//
//	a := bottest.New("")
//	turn := a.Do(ctx, router, bottest.DM("佐藤", "ask キャリアの相談"))
//	if turn.Err != nil || !strings.Contains(turn.Text(), "受け付けました") { ... }
//	for _, d := range a.SentTo("鈴木") { ... }
package bottest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/soudan/soudan/bot"
)

var (
	_ bot.Adapter    = (*Adapter)(nil)
	_ bot.Linker     = (*Adapter)(nil)
	_ bot.UserLookup = (*Adapter)(nil)
)

// The platform and workspace of the messages the builders make, and of an
// adapter made by New("").
const (
	Platform  = "test"
	Workspace = "w"
)

// ErrUnknownUser is returned by LookupUser for a user not added with
// AddUser.
var ErrUnknownUser = errors.New("bottest: unknown user")

// Delivery is one message the adapter sent.
type Delivery struct {
	ID    string      // the sent message's id, "msg-<n>"
	To    bot.Address // the address Send was given
	Reply bot.Reply
	At    bot.Address // the address Send returned: Thread set to the thread's root
}

// Adapter is a fake adapter that records every Send. It is safe for
// concurrent use.
type Adapter struct {
	platform string

	mu    sync.Mutex
	seq   int // sent messages and replies so far, for ids
	sent  []Delivery
	users map[string]bot.User
}

// New returns an adapter for the platform; "" means Platform ("test").
func New(platform string) *Adapter {
	if platform == "" {
		platform = Platform
	}
	return &Adapter{platform: platform, users: map[string]bot.User{}}
}

// Platform returns the adapter's platform.
func (a *Adapter) Platform() string { return a.platform }

// Run waits until ctx is done and returns ctx.Err(): the fake receives
// nothing by itself; use Do to dispatch messages.
func (a *Adapter) Run(ctx context.Context, _ bot.Dispatcher) error {
	<-ctx.Done()
	return ctx.Err()
}

// Send records r and returns the address of the new message: to's channel
// (or "dm:USER" for a direct message), with Thread set to to.Thread, or
// when that is empty, to the new message's id "msg-<n>".
func (a *Adapter) Send(_ context.Context, to bot.Address, r bot.Reply) (bot.Address, error) {
	if to.Platform != "" && to.Platform != a.platform {
		return bot.Address{}, fmt.Errorf("bottest: send to a %s address on %s", to.Platform, a.platform)
	}
	if to.Channel == "" && to.User == "" {
		return bot.Address{}, errors.New("bottest: send to an empty address")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	id := a.nextIDLocked()
	at := a.posted(to, id)
	a.sent = append(a.sent, Delivery{ID: id, To: to, Reply: r, At: at})
	return at, nil
}

// posted returns the address of message id posted at to.
func (a *Adapter) posted(to bot.Address, id string) bot.Address {
	to.Platform = a.platform
	if to.Channel == "" {
		to.Channel = "dm:" + to.User
	}
	if to.Thread == "" {
		to.Thread = id
	}
	return to
}

func (a *Adapter) nextIDLocked() string {
	a.seq++
	return "msg-" + strconv.Itoa(a.seq)
}

// Sent returns every delivery so far, oldest first.
func (a *Adapter) Sent() []Delivery {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Delivery(nil), a.sent...)
}

// SentTo returns the deliveries addressed to the user: to their DM, or to
// them alone in a channel.
func (a *Adapter) SentTo(user string) []Delivery {
	var out []Delivery
	for _, d := range a.Sent() {
		if d.To.User == user || d.At.Channel == "dm:"+user {
			out = append(out, d)
		}
	}
	return out
}

// AddUser registers a user for LookupUser.
func (a *Adapter) AddUser(u bot.User) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.users[u.ID] = u
}

// LookupUser returns a user added with AddUser.
func (a *Adapter) LookupUser(_ context.Context, id string) (bot.User, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	u, ok := a.users[id]
	if !ok {
		return bot.User{}, fmt.Errorf("look up %q: %w", id, ErrUnknownUser)
	}
	return u, nil
}

// Permalink returns "test://CHANNEL/THREAD" (or "test://CHANNEL").
func (a *Adapter) Permalink(_ context.Context, at bot.Address) (string, error) {
	ch := at.Channel
	if ch == "" && at.User != "" {
		ch = "dm:" + at.User
	}
	if ch == "" {
		return "", errors.New("bottest: permalink to an empty address")
	}
	return strings.TrimSuffix(a.platform+"://"+ch+"/"+at.Thread, "/"), nil
}

// UserLink returns "test://user/ID".
func (a *Adapter) UserLink(_ context.Context, id string) (string, error) {
	if id == "" {
		return "", errors.New("bottest: link to an empty user")
	}
	return a.platform + "://user/" + id, nil
}
