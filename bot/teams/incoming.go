package teams

import (
	"strings"

	"github.com/soudan/soudan/bot"
)

// incoming turns an activity into the neutral message to dispatch and the
// turn that answers it. ok is false for activities the bot does not act
// on (typing, an empty message, a card value that is not ours, an update
// that did not add the bot).
func (a *Adapter) incoming(act *activity) (*bot.Message, *turn, bool) {
	switch act.Type {
	case typeMessage:
		if act.hasValue() {
			s, ok := submissionOf(act.Value)
			return a.submitted(act, s, ok)
		}
		return a.typed(act)
	case typeInvoke:
		if act.Name == invokeMessageAction {
			return a.messageAction(act)
		}
		if act.Name != invokeCardAction {
			return nil, nil, false
		}
		s, ok := executeOf(act.Value)
		return a.submitted(act, s, ok)
	case typeConversationUpdate:
		return a.welcome(act)
	}
	return nil, nil, false
}

// base is the message every kind starts from: who, where, when.
func (a *Adapter) base(act *activity, source string) (*bot.Message, *turn) {
	locale, tz := act.clientInfo()
	ref := refOf(act)
	ct := ref.Conversation.ConversationType
	conv, root := splitConvID(act.Conversation.ID)
	thread := ""
	if ct == convChannel {
		if root == "" {
			root = act.ReplyToID
		}
		switch {
		case root == source: // at top level
		case otherClientRoot(act, source):
			source = root // at top level, and the client knows it by root
		default:
			thread = root
		}
	}
	m := &bot.Message{
		ID:     act.ID,
		User:   bot.User{ID: act.From.ID, Name: act.From.Name, Locale: locale, TZ: tz},
		Direct: ct == convPersonal,
		Time:   act.time(a.opt.Now),
		Raw:    act,
		Address: bot.Address{
			Platform:  platform,
			Workspace: ref.Conversation.TenantID,
			Channel:   conv,
			Thread:    thread,
			Ref:       encodeRef(ref),
		},
	}
	if m.Direct {
		m.Address.User = act.From.ID
	}
	if thread == "" {
		m.Self = source // a reply in its thread has it as the root
	}
	t := &turn{a: a, act: act, msg: m, ref: ref, convType: ct, conv: conv, thread: thread, source: source}
	return m, t
}

// typed is a typed message: text with neutral mentions. In personal chat
// the router reads a first word that is a command as that command; in
// channels and group chats it does so after a mention of the bot. A
// message starting with "/soudan" is a command anywhere, as in Slack.
func (a *Adapter) typed(act *activity) (*bot.Message, *turn, bool) {
	p := parseText(act)
	if p.text == "" && !p.bot {
		return nil, nil, false
	}
	m, t := a.base(act, act.ID)
	m.Kind, m.Text, m.Mentions, m.BotMentioned = bot.KindPost, p.text, p.mentions, p.bot
	if word, _ := bot.CutWord(p.text); strings.EqualFold(bot.NormalizeName(word), a.opt.BotName) && strings.HasPrefix(strings.TrimSpace(word), "/") {
		m.Kind = bot.KindCommand
		m.Command, m.Args, m.ArgText = bot.ParseCommand(a.opt.BotName, p.text)
	}
	return m, t, true
}

// submitted is a card's button press or form submission; the card is the
// message it is about.
func (a *Adapter) submitted(act *activity, s submission, ok bool) (*bot.Message, *turn, bool) {
	if !ok {
		a.log.Debug("teams: card value names no action of ours", "activity", act.ID)
		return nil, nil, false
	}
	m, t := a.base(act, act.ReplyToID)
	m.Kind, m.Action, m.Form = s.kind, s.action, s.form
	return m, t, true
}

// welcome answers the bot's installation (in personal chat or a team) by
// running "help" for the user who installed it, in their language.
func (a *Adapter) welcome(act *activity) (*bot.Message, *turn, bool) {
	added := false
	for _, u := range act.MembersAdded {
		added = added || (u.ID != "" && u.ID == act.Recipient.ID)
	}
	if !added || act.From.ID == "" || act.From.ID == act.Recipient.ID {
		return nil, nil, false
	}
	m, t := a.base(act, "")
	if m.ID == "" {
		m.ID = "welcome:" + m.Address.Channel + ":" + act.From.ID
	}
	m.Kind, m.Command = bot.KindCommand, "help"
	return m, t, true
}

// otherClientRoot reports whether a channel post from a client that is not
// Teams itself is at top level. Teams names the thread root in the
// conversation id (";messageid=" equals a root post's own id; replyToId is
// not always set on replies). The Agents Playground gives activities GUIDs
// that never equal the message id, and marks replies with replyToId, so
// for GUID ids replyToId decides.
func otherClientRoot(act *activity, source string) bool {
	return source == act.ID && act.ReplyToID == "" && isGUID(act.ID)
}

// isGUID reports whether s has the form 8-4-4-4-12 hex digits.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}
