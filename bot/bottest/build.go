package bottest

import (
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/soudan/soudan/bot"
)

// BotName is the bot's name in the messages the builders make: "/soudan"
// starts a command and "@soudan" mentions the bot.
const BotName = "soudan"

// ids numbers the messages the builders make.
var ids atomic.Int64

// message starts a message of the given kind from user at the address.
// The user's locale is "ja"; change it with Locale.
func message(user string, kind bot.Kind, at bot.Address) *bot.Message {
	if at.Platform == "" {
		at.Platform = Platform
	}
	if at.Workspace == "" {
		at.Workspace = Workspace
	}
	if at.Channel == "" && at.User != "" {
		at.Channel = "dm:" + at.User
	}
	return &bot.Message{
		ID:      "t-" + strconv.FormatInt(ids.Add(1), 10),
		Kind:    kind,
		User:    bot.User{ID: user, Name: user, Locale: "ja"},
		Address: at,
		Direct:  strings.HasPrefix(at.Channel, "dm:"),
		Time:    time.Now(),
	}
}

// dm returns the address of the user's DM with the bot.
func dm(user string) bot.Address { return bot.Address{Channel: "dm:" + user, User: user} }

// Locale sets the locale of m's sender and returns m:
// bottest.Locale(bottest.DM("bob", "help"), "en").
func Locale(m *bot.Message, locale string) *bot.Message {
	m.User.Locale = locale
	return m
}

// Command returns the command line typed by user in their DM with the bot,
// "/soudan ask ..." (the "/soudan" is optional), parsed with
// bot.ParseCommand. Mentions become tokens as in DM.
func Command(user, line string) *bot.Message {
	m := message(user, bot.KindCommand, dm(user))
	if first, rest := bot.CutWord(line); strings.EqualFold(first, "/"+BotName) {
		line = rest
	}
	mentions(m, line)
	m.Command, m.Args, m.ArgText = bot.ParseCommand(BotName, m.Text)
	return m
}

// DM returns a post by user in their DM with the bot. "@NAME" in text
// becomes the mention token <@NAME> (see Post).
func DM(user, text string) *bot.Message {
	m := message(user, bot.KindPost, dm(user))
	mentions(m, text)
	return m
}

// Post returns a top-level post by user in channel. "@NAME" in text
// becomes the mention token <@NAME> and NAME is added to Mentions; NAME
// runs to the next space or punctuation, so write "@佐藤 さん". "@soudan"
// sets BotMentioned and is removed from the text.
func Post(user, channel, text string) *bot.Message {
	m := message(user, bot.KindPost, bot.Address{Channel: channel})
	m.Self = m.ID // a thread on it is rooted at its id, as the fake replies
	mentions(m, text)
	return m
}

// ThreadPost returns a post by user in the thread rooted at thread in
// channel (a channel, or "dm:NAME").
func ThreadPost(user, channel, thread, text string) *bot.Message {
	m := message(user, bot.KindPost, bot.Address{Channel: channel, Thread: thread})
	if name, ok := strings.CutPrefix(channel, "dm:"); ok {
		m.Address.User = name
	}
	mentions(m, text)
	return m
}

// Press returns a press of the button (id, value) on the message at, for
// example an address Send returned.
func Press(user string, at bot.Address, id, value string) *bot.Message {
	m := message(user, bot.KindAction, at)
	m.Action = bot.Action{ID: id, Value: value}
	return m
}

// Submit returns the submission of the form formID (carrying value) opened
// at the address, with the given inputs.
func Submit(user string, at bot.Address, formID, value string, form map[string]string) *bot.Message {
	m := message(user, bot.KindFormSubmit, at)
	m.Action = bot.Action{ID: formID, Value: value}
	m.Form = form
	return m
}

// React returns the reaction name (without colons) added by user to the
// message at the address.
func React(user string, at bot.Address, name string) *bot.Message {
	m := message(user, bot.KindReaction, at)
	m.Reaction = strings.Trim(name, ":")
	return m
}
