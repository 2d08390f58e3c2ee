package slack

import (
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/soudan/soudan/bot"
)

// decoder turns Slack payloads into bot.Messages. It knows the bot's own
// user id, to drop the bot's own messages and its mention, and the slash
// command's name.
type decoder struct {
	botUser string // U…
	cmdName string // the slash command without "/": "soudan"
	now     func() time.Time
}

// postSubtypes are the message subtypes that are people's posts.
var postSubtypes = map[string]bool{"": true, "thread_broadcast": true, "file_share": true, "me_message": true}

// event decodes an Events API event: a post (in a channel, a thread or a
// DM), a mention of the bot, a reaction, or the opening of the App Home.
// ok is false for anything else, and for the bot's own messages. A channel
// post that mentions the bot is left to its app_mention event, so one post
// makes one message.
//
// A reaction's Message.Action.Value is the ts of the reacted message, and
// its Address.Thread that same ts until dispatch looks up the thread the
// message is in (see reactionThread): a reaction on a thread reply is
// then addressed to the thread's root, and Action.Value still names the
// reply.
func (d decoder) event(ev slackevents.EventsAPIEvent) (m *bot.Message, o origin, ok bool) {
	cb, _ := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if cb == nil || cb.EventID == "" {
		return nil, origin{}, false
	}
	team := cb.TeamID
	if team == "" {
		team = ev.TeamID
	}
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.MessageEvent:
		if !postSubtypes[e.SubType] || e.User == "" || e.BotID != "" || e.User == d.botUser {
			return nil, origin{}, false
		}
		direct := e.ChannelType == "im"
		if !direct && d.mentionsBot(e.Text) {
			return nil, origin{}, false
		}
		return d.post(cb.EventID, team, e.User, e.Channel, e.TimeStamp, e.ThreadTimeStamp, e.Text, direct)
	case *slackevents.AppMentionEvent:
		if e.User == "" || e.BotID != "" || e.User == d.botUser {
			return nil, origin{}, false
		}
		return d.post(cb.EventID, team, e.User, e.Channel, e.TimeStamp, e.ThreadTimeStamp, e.Text, isDM(e.Channel))
	case *slackevents.ReactionAddedEvent:
		if e.Item.Type != "message" || e.User == "" || e.User == d.botUser || e.Item.Channel == "" {
			return nil, origin{}, false
		}
		name, _, _ := strings.Cut(e.Reaction, "::") // "+1::skin-tone-2"
		o = origin{team: team, user: e.User, channel: e.Item.Channel, source: e.Item.Timestamp, direct: isDM(e.Item.Channel)}
		m = d.message(cb.EventID, bot.KindReaction, o)
		m.Reaction = name
		m.Address.Thread = e.Item.Timestamp
		m.Action.Value = e.Item.Timestamp
		m.Time = d.at(e.EventTimestamp)
		m.Raw = e
		return m, o, true
	case *slackevents.AppHomeOpenedEvent:
		if e.Tab != "home" || e.User == "" {
			return nil, origin{}, false
		}
		o = origin{team: team, user: e.User, channel: e.Channel, direct: true, home: true}
		m = d.message(cb.EventID, bot.KindHome, o)
		m.Time = d.at(e.EventTimeStamp)
		m.Raw = e
		return m, o, true
	}
	return nil, origin{}, false
}

// mentionsBot reports whether Slack text mentions the bot: <@U…> or
// <@U…|name>.
func (d decoder) mentionsBot(text string) bool {
	return d.botUser != "" && (strings.Contains(text, "<@"+d.botUser+">") || strings.Contains(text, "<@"+d.botUser+"|"))
}

// post decodes a message posted by user in channel at ts (in the thread
// rooted at threadTS, if any).
func (d decoder) post(id, team, user, channel, ts, threadTS, text string, direct bool) (*bot.Message, origin, bool) {
	if threadTS == ts {
		threadTS = "" // the root of a thread is a top-level message
	}
	pt := plainText(text, d.botUser, false)
	if pt.text == "" {
		return nil, origin{}, false // a file alone, or the bot's name alone: nothing to answer
	}
	o := origin{team: team, user: user, channel: channel, thread: threadTS, source: ts, direct: direct}
	m := d.message(id, bot.KindPost, o)
	m.Text, m.Mentions, m.BotMentioned = pt.text, pt.mentions, pt.bot
	m.Time = d.at(ts)
	m.Self = ts
	return m, o, true
}

// command decodes a slash command. Its id is built from the trigger id,
// unique per invocation. Its response_url is kept in the origin, unchecked:
// turn.Reply validates it before any use.
func (d decoder) command(c slack.SlashCommand) (*bot.Message, origin) {
	direct := c.ChannelName == "directmessage" || isDM(c.ChannelID)
	o := origin{team: c.TeamID, user: c.UserID, channel: c.ChannelID, direct: direct, trigger: c.TriggerID, responseURL: c.ResponseURL, received: d.now()}
	m := d.message(prefixed("cmd:", c.TriggerID), bot.KindCommand, o)
	m.User.Name = c.UserName
	pt := plainText(c.Text, d.botUser, true)
	m.Command, m.Args, m.ArgText = bot.ParseCommand(d.cmdName, "/"+d.cmdName+" "+pt.text)
	m.Text, m.Mentions, m.BotMentioned = pt.text, pt.mentions, pt.bot
	m.Raw = c
	return m, o
}

// action decodes the button pressed in a block_actions interaction. ok is
// false when no button of soudan's was pressed (a link button).
func (d decoder) action(ic slack.InteractionCallback) (m *bot.Message, o origin, ok bool) {
	var act *slack.BlockAction
	for _, a := range ic.ActionCallback.BlockActions {
		if a != nil && !strings.HasPrefix(a.ActionID, actionURLPrefix) {
			act = a
			break
		}
	}
	if act == nil || ic.User.ID == "" {
		return nil, origin{}, false
	}
	o = origin{team: ic.Team.ID, user: ic.User.ID, trigger: ic.TriggerID}
	switch {
	case ic.Container.Type == "view" || ic.View.Type == slack.VTHomeTab:
		o.direct = true // the App Home: replies go to the user's DM
		o.inHome = ic.View.Type == slack.VTHomeTab
	default:
		o.channel = ic.Container.ChannelID
		if o.channel == "" {
			o.channel = ic.Channel.ID
		}
		msgTS := ic.Container.MessageTs
		if msgTS == "" {
			msgTS = ic.Message.Timestamp
		}
		o.thread = ic.Container.ThreadTs
		if o.thread == "" {
			o.thread = ic.Message.ThreadTimestamp
		}
		if o.thread == msgTS {
			o.thread = ""
		}
		if !ic.Container.IsEphemeral {
			o.source = msgTS
		}
		o.direct = o.channel == "" || isDM(o.channel) // no channel: answer in the DM
	}
	id := ic.TriggerID
	if id == "" {
		id = act.ActionTs + ":" + ic.User.ID
	}
	m = d.message(prefixed("act:", id), bot.KindAction, o)
	m.User.Name = displayName(ic.User.Name)
	m.Action = bot.Action{ID: act.ActionID, Value: act.Value}
	m.Time = d.at(act.ActionTs)
	m.Raw = ic
	return m, o, true
}

// submission decodes a view_submission of a soudan modal: the form's id
// and value, its inputs, and where it was opened. ok is false for other
// views.
func (d decoder) submission(ic slack.InteractionCallback) (m *bot.Message, o origin, ok bool) {
	if ic.View.CallbackID != modalCallback || ic.User.ID == "" {
		return nil, origin{}, false
	}
	meta, values, err := submitted(ic.View)
	if err != nil {
		return nil, origin{}, false
	}
	o = origin{team: ic.Team.ID, user: ic.User.ID, channel: meta.Channel, thread: meta.Thread, source: meta.Source, direct: meta.Direct, trigger: ic.TriggerID}
	id := ic.TriggerID
	if id == "" {
		id = ic.View.ID + ":" + ic.View.Hash
	}
	m = d.message(prefixed("view:", id), bot.KindFormSubmit, o)
	m.User.Name = displayName(ic.User.Name)
	m.Action = bot.Action{ID: meta.Form, Value: meta.Value}
	m.Form = values
	m.Raw = ic
	return m, o, true
}

// message starts a message of kind from o.
func (d decoder) message(id string, kind bot.Kind, o origin) *bot.Message {
	m := &bot.Message{
		ID:      id,
		Kind:    kind,
		User:    bot.User{ID: o.user},
		Address: bot.Address{Platform: bot.PlatformSlack, Workspace: o.team, Channel: o.channel, Thread: o.thread},
		Direct:  o.direct,
		Time:    d.now(),
	}
	if o.direct {
		m.Address.User = o.user
	}
	return m
}

// at is the time of a Slack ts, or now.
func (d decoder) at(ts string) time.Time {
	if t := tsTime(ts); !t.IsZero() {
		return t
	}
	return d.now()
}

// prefixed names a payload id for Message.ID: "slack:cmd:…", so that ids
// of different payload kinds never collide with each other or with event
// ids (Ev…). An empty id stays empty: no deduplication.
func prefixed(kind, id string) string {
	if id == "" {
		return ""
	}
	return "slack:" + kind + id
}

// tsTime reads a Slack ts ("1700000000.000100") as a time; the zero time
// when it is not one.
func tsTime(ts string) time.Time {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil || s <= 0 {
		return time.Time{}
	}
	var ns int64
	if frac != "" {
		frac = (frac + "000000000")[:9]
		ns, _ = strconv.ParseInt(frac, 10, 64)
	}
	return time.Unix(s, ns)
}
