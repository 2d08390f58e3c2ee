package console

import (
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
)

// shown is a message printed in the console: a user's post or one of the
// bot's deliveries. The console remembers them all, so that users can
// thread on them, press their buttons and submit their forms.
type shown struct {
	id      string // "m5"
	conv    conv   // where it was posted
	to      string // for an ephemeral message, the only user who sees it
	anchor  string // Reply.Anchor, without a leading "#"
	buttons []bot.Button
	form    *bot.Form
	author  string // a person's post: who wrote it (the bot's messages have none)
	text    string // a person's post: its text, for ReadThread
}

// root returns the id of the thread m belongs to: its thread's root when
// it was posted in a thread, else its own id.
func (m *shown) root() string {
	if m.conv.thread != "" {
		return m.conv.thread
	}
	return m.id
}

// visibleTo reports whether the user called name sees m: an ephemeral
// message only its recipient, a DM only its user, a channel everyone.
func (m *shown) visibleTo(name string) bool {
	if m.to != "" {
		return m.to == name
	}
	if u, ok := m.conv.dmUser(); ok {
		return u == name
	}
	return true
}

// recordLocked remembers a message about to be printed and returns it
// with its new id.
func (a *Adapter) recordLocked(c conv, to string, r bot.Reply) *shown {
	a.printed++
	a.changes++
	m := &shown{
		id:      "m" + strconv.Itoa(a.printed),
		conv:    c,
		to:      to,
		anchor:  strings.TrimPrefix(r.Anchor, "#"),
		buttons: append([]bot.Button(nil), r.Buttons...),
	}
	if r.Form != nil {
		f := *r.Form
		f.Inputs = append([]bot.Input(nil), f.Inputs...)
		f.Errors = nil
		m.form = &f
	}
	a.history = append(a.history, m)
	a.byID[m.id] = m
	return m
}

// lastLocked returns the newest message for which ok is true and which u
// can act on: one in u's DM, one shown to u alone, or one in the channel
// u is in (at top level or in any thread).
func (a *Adapter) lastLocked(u *user, ok func(*shown) bool) *shown {
	for i := len(a.history) - 1; i >= 0; i-- {
		m := a.history[i]
		if !ok(m) || !m.visibleTo(u.name) {
			continue
		}
		if m.to == u.name || m.conv.channel == dmConv(u.name).channel || m.conv.channel == u.conv.channel {
			return m
		}
	}
	return nil
}
