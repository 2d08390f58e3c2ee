package console

import (
	"strings"

	"github.com/soudan/soudan/bot"
	"golang.org/x/text/unicode/norm"
)

// dmPrefix starts the channel id of a user's DM with the bot: "dm:佐藤".
const dmPrefix = "dm:"

// conv is a conversation: a channel ("#career") or a user's DM with the bot
// ("dm:佐藤"), and the root of a thread in it ("" at top level).
type conv struct {
	channel string
	thread  string
}

// dmConv returns the top level of the user's DM.
func dmConv(name string) conv { return conv{channel: dmPrefix + name} }

// dmUser returns the user whose DM c is.
func (c conv) dmUser() (string, bool) {
	return strings.CutPrefix(c.channel, dmPrefix)
}

// label names c in a delivery header: "DM 佐藤", "#career › m5".
func (c conv) label() string {
	s := c.channel
	if name, ok := c.dmUser(); ok {
		s = "DM " + name
	}
	return s + c.threadSuffix()
}

// ownLabel names c from its user's side, in an echo header: "DM", "#career".
func (c conv) ownLabel() string {
	s := c.channel
	if _, ok := c.dmUser(); ok {
		s = "DM"
	}
	return s + c.threadSuffix()
}

func (c conv) threadSuffix() string {
	if c.thread == "" {
		return ""
	}
	return " › " + c.thread
}

// address returns the neutral address of c, with Thread set to thread.
func (c conv) address(thread string) bot.Address {
	a := bot.Address{Platform: bot.PlatformConsole, Workspace: Workspace, Channel: c.channel, Thread: thread}
	if name, ok := c.dmUser(); ok {
		a.User = name
	}
	return a
}

// channelName normalises a channel as typed or as a handler addresses it:
// full-width forms folded, "#" added when missing. DM channels stay as
// they are. It returns "" for an empty name.
func channelName(s string) string {
	if strings.HasPrefix(s, dmPrefix) {
		return s // a DM is named after its user, exactly as they are named
	}
	s = strings.TrimSpace(norm.NFKC.String(s))
	if s == "" || s == "#" {
		return ""
	}
	if strings.HasPrefix(s, "#") || strings.HasPrefix(s, dmPrefix) {
		return s
	}
	return "#" + s
}
