package console

import (
	"strconv"

	"github.com/soudan/soudan/bot"
	"golang.org/x/text/unicode/norm"
)

// pressLine runs ":press N": it presses button N (from 1) of the last message
// with buttons the current user sees (see lastLocked), and returns the
// action to dispatch. A URL button only prints its URL.
func (a *Adapter) pressLine(rest string) (*bot.Message, *turn, *notice) {
	u := a.current
	args := bot.Fields(norm.NFKC.String(rest))
	if len(args) != 1 {
		return nil, nil, &notice{key: msgUsage, args: []any{":press N"}}
	}
	sh := a.lastLocked(u, func(m *shown) bool { return len(m.buttons) > 0 })
	if sh == nil {
		return nil, nil, &notice{key: msgNoButtons}
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 1 || n > len(sh.buttons) {
		return nil, nil, &notice{key: msgBadButton, args: []any{len(sh.buttons), args[0]}}
	}
	b := sh.buttons[n-1]
	if b.URL != "" {
		return nil, nil, &notice{key: msgOpenURL, args: []any{b.URL}}
	}
	m := a.eventLocked(u, sh.conv, bot.KindAction)
	m.Action = bot.Action{ID: b.ID, Value: b.Value}
	a.echoLocked(u.name, sh.conv, "▶ ["+strconv.Itoa(n)+"] "+oneLine(plain(b.Label))+" ("+sh.id+")", "")
	return m, a.turnOn(u, sh), nil
}

// turnOn returns the responder of an event about the message sh: replies
// go to sh's conversation, and InThread starts a thread on sh unless it is
// ephemeral.
func (a *Adapter) turnOn(u *user, sh *shown) *turn {
	t := &turn{a: a, user: u.name, conv: sh.conv}
	if sh.to == "" {
		t.source = sh.id
	}
	return t
}
