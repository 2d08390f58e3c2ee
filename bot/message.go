// Package bot is soudan's platform-neutral vocabulary: the messages that
// adapters hand in, the replies handlers hand back, and the router between
// them. It imports nothing of soudan's own; adapters (bot/slack, bot/teams,
// bot/console) translate their platform to and from these types.
package bot

import "time"

// Platform names a chat platform. Address.Platform and store keys use it.
const (
	PlatformSlack   = "slack"
	PlatformTeams   = "teams"
	PlatformConsole = "console"
)

// Kind says what a Message is.
type Kind int

// The kinds of incoming message.
const (
	KindPost       Kind = iota + 1 // a plain message in a channel, thread or DM
	KindCommand                    // a /soudan command (or a DM whose first word is a command)
	KindAction                     // a button press
	KindReaction                   // an emoji reaction added to a message
	KindFormSubmit                 // a submitted form (modal, card)
	KindHome                       // the user opened the bot's home surface (Slack App Home)
)

// String returns the kind's name, for logs.
func (k Kind) String() string {
	switch k {
	case KindPost:
		return "post"
	case KindCommand:
		return "command"
	case KindAction:
		return "action"
	case KindReaction:
		return "reaction"
	case KindFormSubmit:
		return "form"
	case KindHome:
		return "home"
	}
	return "unknown"
}

// User is the person who sent a message, as the platform knows them.
type User struct {
	ID     string // platform user id (Slack U…, Teams AAD/29: id, console name)
	Name   string // display name
	Locale string // BCP 47 tag such as "ja" or "en-US"; empty when unknown
	// LocaleChosen: the user has just chosen Locale themselves (the
	// console's ":as NAME en"), so it replaces the locale the bot stored
	// for them. Otherwise Locale is only a hint for a user seen first.
	LocaleChosen bool
	TZ           string // IANA zone name; empty when unknown
}

// Address says where a message came from or where one should go.
//
// To reach a user directly, set User (and Ref where the platform needs a
// stored conversation reference) and leave Channel empty. To post in a
// channel set Channel; to post in a thread set Channel and Thread.
type Address struct {
	Platform  string
	Workspace string // Slack team id, Teams tenant id
	Channel   string // channel or conversation id; for a DM, the DM conversation id if known
	Thread    string // id of the thread's root message
	User      string // platform user id, for direct messages
	Ref       []byte // opaque platform data, e.g. a Teams conversation reference
	// Users are the platform user ids of a group conversation with the
	// bot (a Slack multi-person DM): an address with Users and no Channel
	// is sent to by a GroupOpener, which opens the conversation when it
	// sends, so that an outbox item can name a group before it exists.
	Users []string
}

// IsZero reports whether the address names nothing.
func (a Address) IsZero() bool {
	return a.Platform == "" && a.Channel == "" && a.User == "" && a.Thread == "" && len(a.Users) == 0
}

// Action is the button pressed, or for a FormSubmit the form's ID and the
// context value it was opened with.
type Action struct {
	ID    string
	Value string
}

// Message is one incoming event, whatever the platform.
type Message struct {
	ID      string // platform event id, used for idempotence; unique per delivery source
	Kind    Kind
	Text    string // mentions resolved to <@ID> tokens (see Mention), platform markup stripped
	Command string // for KindCommand: the command name as typed (router matches aliases)
	Args    []string
	ArgText string // the raw text after the command name (and after any subcommand consumed)
	User    User
	Address Address // where the message was posted; replies go here
	// Self is the platform's id of a posted message itself (Slack ts,
	// Teams activity id, console message id), set for posts: a reply in
	// its thread carries it as Address.Thread. Empty when unknown.
	Self   string
	Direct bool // posted in a direct conversation with the bot
	// BotMentioned is true when the message mentions the bot itself. The bot's
	// own mention is removed from Text and Mentions.
	BotMentioned bool
	Mentions     []string // platform ids of users mentioned in Text, in order
	Action       Action
	Form         map[string]string
	Reaction     string // reaction name, for KindReaction (without colons)
	Time         time.Time
	// Inbox is the key of the message's entry in the durable inbox, set
	// when an Intake recorded it; the commit that marks the event handled
	// removes the entry. Empty when the message was not recorded.
	Inbox string
	Raw   any `json:"-"` // the platform's own event, for adapters' use only
}

// Mention returns the neutral token for a mention of the user with the given
// platform id. Adapters render it as the platform's mention.
func Mention(userID string) string { return "<@" + userID + ">" }
