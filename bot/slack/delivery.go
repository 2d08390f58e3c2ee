package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
)

// deliveryEvent is the event type of the message metadata that carries a
// delivery key (bot.Reply.Key).
const deliveryEvent = "soudan_delivery"

// How far Delivered looks for a delivery key: pages of the
// conversation's (or the thread's) messages, newest first, at most
// checkPages of them. A message in doubt is normally among the newest
// (the outbox checks it before posting what was queued behind it), but
// people and other streams post too, so one page is not enough.
const (
	historyPage = 200
	checkPages  = 10
)

// deliveryMetadata attaches a delivery key to a message as Slack message
// metadata, which only apps see.
func deliveryMetadata(key string) slack.MsgOption {
	return slack.MsgOptionMetadata(slack.SlackMetadata{EventType: deliveryEvent, EventPayload: map[string]any{"key": key}})
}

// Delivered reports whether a message carrying the delivery key was
// already posted at the address (in its thread when it has one), by
// reading the conversation's messages with their metadata, newest first,
// page by page (at most checkPages pages of historyPage); it returns the
// message's address when found. An address with only a user
// is their DM with the bot.
func (a *Adapter) Delivered(ctx context.Context, to bot.Address, key string) (bot.Address, bool, error) {
	if key == "" {
		return bot.Address{}, false, nil
	}
	channel, err := a.conversation(ctx, to)
	if err != nil {
		return bot.Address{}, false, err
	}
	cursor := ""
	for page := 0; page < checkPages; page++ {
		var batch []slack.Message
		var more bool
		if to.Thread != "" {
			err = a.call(ctx, "conversations.replies", func(ctx context.Context) error {
				var err error
				batch, more, cursor, err = a.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: channel, Timestamp: to.Thread, Limit: historyPage, Cursor: cursor, IncludeAllMetadata: true})
				return err
			})
		} else {
			err = a.call(ctx, "conversations.history", func(ctx context.Context) error {
				r, err := a.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: channel, Limit: historyPage, Cursor: cursor, IncludeAllMetadata: true})
				if r != nil {
					batch, more, cursor = r.Messages, r.HasMore, r.ResponseMetaData.NextCursor
				}
				return err
			})
		}
		if err != nil {
			return bot.Address{}, false, err
		}
		if at, ok := a.findKey(batch, to, channel, key); ok {
			return at, true, nil
		}
		if !more || cursor == "" {
			return bot.Address{}, false, nil
		}
	}
	a.log.Warn("slack: a delivery in doubt was not among the conversation's newest messages read; it will be posted", "channel", channel, "messages", checkPages*historyPage)
	return bot.Address{}, false, nil
}

// findKey returns the address of the message among msgs that carries the
// delivery key, posted at to in channel.
func (a *Adapter) findKey(msgs []slack.Message, to bot.Address, channel, key string) (bot.Address, bool) {
	for _, m := range msgs {
		if m.Metadata.EventType != deliveryEvent || fmt.Sprint(m.Metadata.EventPayload["key"]) != key {
			continue
		}
		thread := to.Thread
		if thread == "" {
			thread = m.Timestamp
		}
		team := to.Workspace
		if team == "" {
			team = a.cachedIdentity().TeamID
		}
		return bot.Address{Platform: bot.PlatformSlack, Workspace: team, Channel: channel, Thread: thread}, true
	}
	return bot.Address{}, false
}

// conversation is the channel id of an address: its channel, the
// multi-person DM of its users, or the DM with its user (remembered from
// posts, else from conversations.open).
func (a *Adapter) conversation(ctx context.Context, to bot.Address) (string, error) {
	if to.Channel != "" {
		return to.Channel, nil
	}
	if len(to.Users) > 0 {
		return a.group(ctx, to.Users)
	}
	if to.User == "" {
		return "", errors.New("slack: an address without a channel or a user")
	}
	if ch, ok := a.dms.Load(to.User); ok {
		return ch.(string), nil
	}
	var channel string
	err := a.call(ctx, "conversations.open", func(ctx context.Context) error {
		c, _, _, err := a.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{to.User}})
		if err == nil && c != nil {
			channel = c.ID
		}
		return err
	})
	if err != nil {
		return "", err
	}
	a.dms.Store(to.User, channel)
	return channel, nil
}

// group is the channel id of the multi-person DM of users and the bot,
// remembered once opened. conversations.open takes at most 8 users
// besides the bot; a larger group is refused rather than split.
func (a *Adapter) group(ctx context.Context, users []string) (string, error) {
	if len(users) > 8 {
		return "", fmt.Errorf("slack: a group DM of %d users (at most 8)", len(users))
	}
	key := strings.Join(users, ",")
	if ch, ok := a.mpims.Load(key); ok {
		return ch.(string), nil
	}
	var channel string
	err := a.call(ctx, "conversations.open", func(ctx context.Context) error {
		c, _, _, err := a.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: users})
		if err == nil && c != nil {
			channel = c.ID
		}
		return err
	})
	if err != nil {
		return "", err
	}
	if channel == "" {
		return "", errors.New("slack: conversations.open returned no channel")
	}
	a.mpims.Store(key, channel)
	return channel, nil
}
