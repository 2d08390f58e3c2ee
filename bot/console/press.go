package console

import (
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"golang.org/x/text/unicode/norm"
)

// pressLine runs ":press N" or ":press ID N": it presses button N (from 1)
// of the message ID ("m23") the current user sees, or without ID of the
// last message with buttons they can act on (see lastLocked), and returns
// the action to dispatch. A URL button only prints its URL.
func (a *Adapter) pressLine(rest string) (*bot.Message, *turn, *notice) {
	u := a.current
	args := bot.Fields(norm.NFKC.String(rest))
	var sh *shown
	switch {
	case len(args) == 2 && isMessageID(args[0]):
		id := strings.ToLower(args[0])
		m, ok := a.byID[id]
		if !ok || !m.visibleTo(u.name) {
			return nil, nil, &notice{key: msgNoMessage, args: []any{args[0]}}
		}
		if len(m.buttons) == 0 {
			return nil, nil, &notice{key: msgNoButtonsOn, args: []any{m.id}}
		}
		sh, args = m, args[1:]
	case len(args) == 1:
		sh = a.lastLocked(u, func(m *shown) bool { return len(m.buttons) > 0 })
		if sh == nil {
			return nil, nil, &notice{key: msgNoButtons}
		}
	case len(args) > 0 && isMessageID(args[0]):
		return nil, nil, &notice{key: msgUsage, args: []any{":press m12 N"}}
	default:
		return nil, nil, &notice{key: msgUsage, args: []any{":press N"}}
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

// isMessageID reports whether s names a printed message: "m" (or "M")
// and digits.
func isMessageID(s string) bool {
	if len(s) < 2 || s[0] != 'm' && s[0] != 'M' {
		return false
	}
	_, err := strconv.ParseUint(s[1:], 10, 64)
	return err == nil
}
