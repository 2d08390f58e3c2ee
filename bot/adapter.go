package bot

import (
	"context"
	"errors"
	"time"
)

// Responder replies within the turn of one incoming message.
type Responder interface {
	// Reply answers the incoming message: in its channel, thread or DM, or
	// only to its sender when the reply is Ephemeral.
	Reply(ctx context.Context, r Reply) (Address, error)
}

// Sender sends messages on the bot's own initiative.
type Sender interface {
	// Send delivers r to the address and returns the address of the posted
	// message, whose Thread is set so that later messages can reply in its
	// thread.
	Send(ctx context.Context, to Address, r Reply) (Address, error)
}

// Dispatcher receives every incoming message. Router implements it.
type Dispatcher interface {
	Dispatch(ctx context.Context, m *Message, r Responder) error
}

// Intake is a Dispatcher with a durable inbox. An adapter whose
// dispatcher is an Intake records each message (Record) before it
// acknowledges the platform, and dispatches it after, so that nothing
// acknowledged is lost to a crash: what was recorded and not handled is
// handled again after a restart.
type Intake interface {
	Dispatcher
	// Record stores m durably, with origin: the adapter's own data to
	// answer m after a restart (see Resumer). It returns false when the
	// event is recorded already (a platform's retry): acknowledge it and
	// dispatch nothing. It fails with ErrBusy when too much is unhandled:
	// refuse the event, so that the platform delivers it again later.
	Record(ctx context.Context, m *Message, origin []byte) (bool, error)
}

// ErrBusy is Intake.Record's refusal when the inbox is full.
var ErrBusy = errors.New("bot: too many events waiting; try again later")

// Record records m in d's inbox when d is an Intake, and reports whether
// the adapter should dispatch it: always true for a plain Dispatcher.
func Record(ctx context.Context, d Dispatcher, m *Message, origin []byte) (bool, error) {
	in, ok := d.(Intake)
	if !ok {
		return true, nil
	}
	return in.Record(ctx, m, origin)
}

// Resumer is implemented by an adapter that can answer a message recorded
// in the inbox before a restart: it rebuilds its Responder from origin
// and dispatches m through d.
type Resumer interface {
	Resume(ctx context.Context, d Dispatcher, m *Message, origin []byte) error
}

// Adapter connects one platform: it runs until ctx ends, dispatching every
// incoming message, and sends on the bot's behalf.
type Adapter interface {
	Sender
	Platform() string
	Run(ctx context.Context, d Dispatcher) error
}

// FormOpener is implemented by a Responder that can open a form in its own
// surface (a Slack modal) rather than posting it as a message.
type FormOpener interface {
	OpenForm(ctx context.Context, f Form) error
}

// Linker is implemented by a Sender that can give a link to a message or
// to a direct conversation with a user.
type Linker interface {
	// Permalink returns a link to the message or thread at the address.
	Permalink(ctx context.Context, a Address) (string, error)
	// UserLink returns a link that opens a direct conversation with the user.
	UserLink(ctx context.Context, platformUserID string) (string, error)
}

// GroupOpener is implemented by a Sender that can hold one conversation
// among several users and the bot (Slack: a multi-person DM, opened by
// conversations.open with several users; the same people always get the
// same conversation back). Its Send posts to an Address with Users and no
// Channel in that conversation, opening it first. A platform without
// one (Teams, the console) has the caller send one DM each instead.
type GroupOpener interface {
	// OpenGroup opens, or finds, the conversation of users (platform
	// ids, two or more) in workspace and returns its address.
	OpenGroup(ctx context.Context, workspace string, users []string) (Address, error)
}

// UserLookup is implemented by an adapter that can look up a user's
// profile (name, locale, time zone).
type UserLookup interface {
	LookupUser(ctx context.Context, platformUserID string) (User, error)
}

// EmailLookup finds a platform user by email: the id, or "" when no user
// has it. An adapter package offers it where its platform allows (Slack's
// users.lookupByEmail), for imports that name people by email only.
type EmailLookup interface {
	LookupEmail(ctx context.Context, email string) (platformUserID string, err error)
}

// ThreadReader is implemented by a Sender that can read back people's
// messages: the message ID in the conversation at (a reacted message, say)
// and the others of the thread it starts or is in, oldest first. The
// bot's own messages are marked Bot.
type ThreadReader interface {
	ReadThread(ctx context.Context, at Address, id string) ([]Posted, error)
}

// Posted is a message read back from a platform.
type Posted struct {
	ID   string // the platform's message id (Slack ts, console m5)
	User string // the author's platform user id
	Name string // the author's display name, when known
	Text string // plain text, as Message.Text (mentions as @name where the platform can tell)
	Bot  bool   // posted by a bot
}

// Updater is implemented by a Sender that can replace a message it sent.
type Updater interface {
	Update(ctx context.Context, at Address, r Reply) error
}

// DeliveryChecker is implemented by a Sender that can tell whether a
// message carrying the delivery key (Reply.Key) was already posted at the
// address, so a send interrupted by a crash is checked rather than
// repeated. It returns the posted message's address when found.
type DeliveryChecker interface {
	Delivered(ctx context.Context, to Address, key string) (Address, bool, error)
}

// StateStore keeps small documents of an adapter across restarts (the
// Slack forms it posted, the Teams conversation references it learned):
// cmd/soudan implements it on the bot's data file. The adapter owns the
// documents' format; the StateStore keeps their bytes until they expire.
type StateStore interface {
	// PutAdapterState keeps value under platform's key until expires.
	PutAdapterState(platform, key string, value []byte, expires time.Time) error
	// AdapterState returns the value kept under platform's key, and false
	// when there is none or it has expired.
	AdapterState(platform, key string) ([]byte, bool, error)
}

// OpenForm shows f to the sender of the current message: as a modal or card
// where the responder supports it, otherwise as an ephemeral reply.
func OpenForm(ctx context.Context, r Responder, f Form) error {
	if fo, ok := r.(FormOpener); ok {
		return fo.OpenForm(ctx, f)
	}
	_, err := r.Reply(ctx, Reply{Form: &f, Ephemeral: true})
	return err
}

// Mux is a Sender that routes each send to the sender of the address's
// platform.
type Mux map[string]Sender

// Send delivers through the sender registered for to.Platform.
func (m Mux) Send(ctx context.Context, to Address, r Reply) (Address, error) {
	s, ok := m[to.Platform]
	if !ok {
		return Address{}, &Error{Code: CodeUnavailable, MsgKey: "error.no_platform", Args: map[string]any{"Platform": to.Platform}}
	}
	return s.Send(ctx, to, r)
}

// SenderFor returns the sender that serves platform: s's own sender for it
// when s is a Mux, else s itself. Callers check it for optional
// capabilities: bot.SenderFor(s, p).(bot.Linker).
func SenderFor(s Sender, platform string) Sender {
	if m, ok := s.(Mux); ok {
		return m[platform]
	}
	return s
}

// SendResponder answers through a Sender: the Responder of a message
// handled after a restart, when its platform turn is gone and the adapter
// cannot rebuild one. Its replies go to To, usually the sender's DM.
type SendResponder struct {
	Sender Sender
	To     Address
}

// Reply sends r to To. An ephemeral reply becomes a plain one: in a DM
// only its reader sees it anyway.
func (s SendResponder) Reply(ctx context.Context, r Reply) (Address, error) {
	r.Ephemeral = false
	return s.Sender.Send(ctx, s.To, r)
}

// Readiness is implemented by an adapter that can tell whether it is ready
// to serve its platform (the bot's identity known, its listener or
// connection up). Ready returns nil when it is, else why not, in words fit
// for an operator: never a token or a secret.
type Readiness interface {
	Ready() error
}
