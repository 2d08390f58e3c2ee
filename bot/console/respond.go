package console

import (
	"context"
	"errors"
	"fmt"

	"github.com/soudan/soudan/bot"
)

// turn is the Responder of one incoming message.
type turn struct {
	a    *Adapter
	user string // who sent the message
	conv conv   // where it came from
	// source is the id of the message the event is about: the post itself,
	// or the message whose button or form was used. Empty for commands,
	// which are no message, and for ephemeral messages, which cannot start
	// a thread.
	source string
}

// Reply prints r where the message came from: its DM, channel or thread.
// InThread on a top-level channel message replies in the thread rooted at
// it; Ephemeral shows r to the sender alone. It returns the address of the
// printed message with Thread set to its thread's root (its own id when it
// is at top level).
func (t *turn) Reply(_ context.Context, r bot.Reply) (bot.Address, error) {
	c := t.conv
	if _, dm := c.dmUser(); r.InThread && !dm && c.thread == "" && t.source != "" {
		c.thread = t.source
	}
	to := ""
	if r.Ephemeral {
		to = t.user
	}
	return t.a.deliver(c, to, r), nil
}

// Send prints r at the address: in to.Channel (and its thread to.Thread)
// when set, else in the DM of to.User. An Ephemeral reply to a channel is
// shown to to.User alone. It returns the address of the printed message
// with Thread set to its thread's root (its own id when it is at top
// level). Send may be called from any goroutine.
func (a *Adapter) Send(_ context.Context, to bot.Address, r bot.Reply) (bot.Address, error) {
	if to.Platform != "" && to.Platform != bot.PlatformConsole {
		return bot.Address{}, fmt.Errorf("console: send to a %s address", to.Platform)
	}
	c := conv{channel: channelName(to.Channel), thread: to.Thread}
	switch {
	case c.channel != "":
	case to.User != "":
		c = conv{channel: dmPrefix + to.User, thread: to.Thread}
	default:
		return bot.Address{}, errors.New("console: send to an empty address")
	}
	recipient := ""
	if r.Ephemeral {
		recipient = to.User
		if name, ok := c.dmUser(); ok {
			recipient = name
		}
	}
	return a.deliver(c, recipient, r), nil
}

// deliver prints r in conversation c, to the user called to alone when to
// is set, and returns its address. The state is saved before the address
// is returned, so that a handler never stores a message id the console
// could hand out again after a restart.
func (a *Adapter) deliver(c conv, to string, r bot.Reply) bot.Address {
	a.mu.Lock()
	m := a.recordLocked(c, to, r)
	header := "[→ " + c.label() + "] " + m.id
	if to != "" {
		header = "[→ " + to + " only, " + c.ownLabel() + "] " + m.id
	}
	if m.anchor != "" {
		header += " (#" + m.anchor + ")"
	}
	a.writeLocked(block(header, body(r)))
	a.mu.Unlock()
	a.save()
	return c.address(m.root())
}
