package console

import (
	"context"
	"strings"

	"github.com/soudan/soudan/bot"
	"golang.org/x/text/unicode/norm"
)

// reactionNames are emoji typed as themselves, by their Slack names.
var reactionNames = map[string]string{"📚": "books", "👍": "+1", "👀": "eyes", "✅": "white_check_mark"}

// reactLine runs ":react NAME ID": the current user reacts with NAME
// (":books:", "books" or 📚) to the message ID ("m12") they see. The
// reaction is addressed to the thread the message is in, Action.Value
// names the message, and Text is the message's text when a person
// posted it.
func (a *Adapter) reactLine(rest string) (*bot.Message, *turn, *notice) {
	u := a.current
	args := bot.Fields(norm.NFKC.String(rest))
	if len(args) != 2 || !isMessageID(args[1]) {
		return nil, nil, &notice{key: msgUsage, args: []any{":react NAME m12"}}
	}
	sh, ok := a.byID[strings.ToLower(args[1])]
	if !ok || !sh.visibleTo(u.name) {
		return nil, nil, &notice{key: msgNoMessage, args: []any{args[1]}}
	}
	name := strings.Trim(args[0], ":")
	if n, ok := reactionNames[name]; ok {
		name = n
	}
	if name == "" {
		return nil, nil, &notice{key: msgUsage, args: []any{":react NAME m12"}}
	}
	m := a.eventLocked(u, conv{channel: sh.conv.channel, thread: sh.root()}, bot.KindReaction)
	m.Reaction, m.Action = name, bot.Action{Value: sh.id}
	m.Text = sh.text
	a.echoLocked(u.name, sh.conv, ":"+oneLine(plain(name))+": ("+sh.id+")", "")
	t := &turn{a: a, user: u.name, conv: conv{channel: sh.conv.channel, thread: sh.root()}}
	return m, t, nil
}

var _ bot.ThreadReader = (*Adapter)(nil)

// ReadThread returns the people's posts of the thread message id is in
// (its root and the replies), oldest first; the bot's messages are left
// out, as the console does not keep their text.
func (a *Adapter) ReadThread(_ context.Context, at bot.Address, id string) ([]bot.Posted, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	sh, ok := a.byID[strings.ToLower(id)]
	if !ok {
		return nil, nil
	}
	root := sh.root()
	var out []bot.Posted
	for _, m := range a.history {
		if m.author == "" || m.conv.channel != sh.conv.channel || (m.id != root && m.conv.thread != root) {
			continue
		}
		out = append(out, bot.Posted{ID: m.id, User: m.author, Name: m.author, Text: mentionsAsNames(m.text)})
	}
	return out, nil
}

// mentionsAsNames writes the mention tokens of a post's text (<@NAME>) as
// "@NAME".
func mentionsAsNames(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "<@")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		b.WriteString(s[:i] + "@" + s[i+2:i+j])
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}
