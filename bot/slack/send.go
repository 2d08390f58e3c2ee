package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
)

// Send posts r at the address: in to.Channel (and its thread to.Thread)
// when set, to to.User alone there when r is Ephemeral; else in to.User's
// DM with the bot, which chat.postMessage opens by itself when given the
// user id; else in the multi-person DM of to.Users, opened first. It returns the address of the posted message: the real channel
// (the D… id for a DM) and Thread = the thread's root, the message itself
// at top level. A form in r is posted as a message with a button that
// opens it.
func (a *Adapter) Send(ctx context.Context, to bot.Address, r bot.Reply) (bot.Address, error) {
	if to.Platform != "" && to.Platform != bot.PlatformSlack {
		return bot.Address{}, fmt.Errorf("slack: send to a %s address", to.Platform)
	}
	team := to.Workspace
	if team == "" {
		team = a.cachedIdentity().TeamID
	}
	o := origin{team: team, user: to.User, channel: to.Channel, thread: to.Thread, direct: to.Channel == "" || isDM(to.Channel)}
	key := ""
	if r.Form != nil {
		key = a.forms.put(*r.Form, o)
	}
	switch {
	case to.Channel != "" && r.Ephemeral && to.User != "" && !isDM(to.Channel):
		return a.postEphemeral(ctx, team, to.Channel, to.Thread, to.User, r, key)
	case to.Channel != "":
		return a.post(ctx, team, to.Channel, to.Thread, r, key)
	case len(to.Users) > 0:
		ch, err := a.conversation(ctx, to)
		if err != nil {
			return bot.Address{}, err
		}
		return a.post(ctx, team, ch, to.Thread, r, key)
	case to.User != "":
		return a.post(ctx, team, to.User, to.Thread, r, key)
	}
	return bot.Address{}, errors.New("slack: send to an empty address")
}

// post posts r in channel (a user id posts in their DM with the bot), in
// thread when set, and returns the message's address.
func (a *Adapter) post(ctx context.Context, team, channel, thread string, r bot.Reply, formKey string) (bot.Address, error) {
	opts := msgOptions(r, formKey)
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	if r.Key != "" {
		opts = append(opts, deliveryMetadata(r.Key))
	}
	var gotChannel, ts string
	var failed error // the last attempt's failure, if any
	err := a.call(ctx, "chat.postMessage", func(ctx context.Context) error {
		// An attempt that failed may have posted all the same (a 5xx
		// answer, a connection lost after the request went out): before
		// trying again, a message with a delivery key is looked for, so
		// that it is not posted twice. A rate limit posted nothing.
		if failed != nil && r.Key != "" && rateLimit(failed) == 0 {
			to := bot.Address{Platform: bot.PlatformSlack, Workspace: team, Channel: channel, Thread: thread}
			if isUser(channel) {
				to.Channel, to.User = "", channel
			}
			at, found, err := a.Delivered(ctx, to, r.Key)
			if err != nil {
				return err
			}
			if found {
				gotChannel, ts = at.Channel, at.Thread
				return nil
			}
		}
		var err error
		gotChannel, ts, err = a.api.PostMessageContext(ctx, channel, opts...)
		failed = err
		return err
	})
	if err != nil {
		return bot.Address{}, err
	}
	if gotChannel == "" {
		gotChannel = channel
	}
	if isUser(channel) && isDM(gotChannel) {
		a.dms.Store(channel, gotChannel)
	}
	if thread == "" {
		thread = ts
	}
	a.roots.put(gotChannel, ts, thread) // a reaction on it needs no lookup
	return bot.Address{Platform: bot.PlatformSlack, Workspace: team, Channel: gotChannel, Thread: thread}, nil
}

// postEphemeral shows r to user alone in channel (in thread when set). An
// ephemeral message starts no thread: the address returned has the
// thread only when it was posted in one.
func (a *Adapter) postEphemeral(ctx context.Context, team, channel, thread, user string, r bot.Reply, formKey string) (bot.Address, error) {
	opts := msgOptions(r, formKey)
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	err := a.call(ctx, "chat.postEphemeral", func(ctx context.Context) error {
		_, err := a.api.PostEphemeralContext(ctx, channel, user, opts...)
		return err
	})
	if err != nil {
		return bot.Address{}, err
	}
	return bot.Address{Platform: bot.PlatformSlack, Workspace: team, Channel: channel, Thread: thread, User: user}, nil
}

// msgOptions are the text and blocks of r.
func msgOptions(r bot.Reply, formKey string) []slack.MsgOption {
	return []slack.MsgOption{
		slack.MsgOptionText(fallback(r), false),
		slack.MsgOptionBlocks(blocks(r, formKey)...),
	}
}

// Update replaces the top-level message at the address (its Thread is the
// message's ts, as Send returned it) with r.
func (a *Adapter) Update(ctx context.Context, at bot.Address, r bot.Reply) error {
	if at.Channel == "" || at.Thread == "" {
		return errors.New("slack: update needs the message's channel and ts")
	}
	key := ""
	if r.Form != nil {
		key = a.forms.put(*r.Form, origin{team: at.Workspace, channel: at.Channel, thread: at.Thread, direct: isDM(at.Channel)})
	}
	return a.call(ctx, "chat.update", func(ctx context.Context) error {
		_, _, _, err := a.api.UpdateMessageContext(ctx, at.Channel, at.Thread, msgOptions(r, key)...)
		return err
	})
}

// Permalink returns Slack's link to the message (or thread root) at the
// address, from chat.getPermalink; for an address without a message, a
// link to the channel.
func (a *Adapter) Permalink(ctx context.Context, at bot.Address) (string, error) {
	if at.Channel == "" {
		return "", errors.New("slack: permalink to an address without a channel")
	}
	if at.Thread == "" {
		id, err := a.identity(ctx)
		if err != nil {
			return "", err
		}
		if id.URL != "" {
			return strings.TrimSuffix(id.URL, "/") + "/archives/" + at.Channel, nil
		}
		return "slack://channel?team=" + id.TeamID + "&id=" + at.Channel, nil
	}
	var link string
	err := a.call(ctx, "chat.getPermalink", func(ctx context.Context) error {
		var err error
		link, err = a.api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: at.Channel, Ts: at.Thread})
		return err
	})
	return link, err
}

// UserLink returns a link that opens the user in Slack (their profile,
// with its Message button): https://WORKSPACE.slack.com/team/U… when the
// workspace URL is known, else slack://user?team=T…&id=U….
func (a *Adapter) UserLink(ctx context.Context, userID string) (string, error) {
	if userID == "" {
		return "", errors.New("slack: link to an empty user id")
	}
	id, err := a.identity(ctx)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(id.URL, "https://") {
		return strings.TrimSuffix(id.URL, "/") + "/team/" + userID, nil
	}
	return "slack://user?team=" + id.TeamID + "&id=" + userID, nil
}

// isDM reports whether a channel id is a direct conversation.
func isDM(channel string) bool { return strings.HasPrefix(channel, "D") }

// isUser reports whether an id is a user id.
func isUser(id string) bool { return strings.HasPrefix(id, "U") || strings.HasPrefix(id, "W") }

// OpenGroup opens (or finds: Slack returns the same one for the same
// people) the multi-person DM of users and the bot with
// conversations.open, and returns its address. One user is their DM.
func (a *Adapter) OpenGroup(ctx context.Context, workspace string, users []string) (bot.Address, error) {
	if workspace == "" {
		id, err := a.identity(ctx)
		if err != nil {
			return bot.Address{}, err
		}
		workspace = id.TeamID
	}
	ch, err := a.conversation(ctx, bot.Address{Platform: bot.PlatformSlack, Workspace: workspace, Users: users})
	if err != nil {
		return bot.Address{}, err
	}
	return bot.Address{Platform: bot.PlatformSlack, Workspace: workspace, Channel: ch}, nil
}
