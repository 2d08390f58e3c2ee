package slack

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
)

// deliveryEvent is the event type of the message metadata that carries a
// delivery key (bot.Reply.Key).
const deliveryEvent = "soudan_delivery"

// Lookback of Delivered: the newest messages of a conversation, or of a
// thread, searched for a delivery key.
const (
	historyLookback = 100
	repliesLookback = 200
)

// deliveryMetadata attaches a delivery key to a message as Slack message
// metadata, which only apps see.
func deliveryMetadata(key string) slack.MsgOption {
	return slack.MsgOptionMetadata(slack.SlackMetadata{EventType: deliveryEvent, EventPayload: map[string]any{"key": key}})
}

// Delivered reports whether a message carrying the delivery key was
// already posted at the address (in its thread when it has one), by
// reading the conversation's newest messages with their metadata; it
// returns the message's address when found. An address with only a user
// is their DM with the bot.
func (a *Adapter) Delivered(ctx context.Context, to bot.Address, key string) (bot.Address, bool, error) {
	if key == "" {
		return bot.Address{}, false, nil
	}
	channel, err := a.conversation(ctx, to)
	if err != nil {
		return bot.Address{}, false, err
	}
	var msgs []slack.Message
	if to.Thread != "" {
		err = a.call(ctx, "conversations.replies", func(ctx context.Context) error {
			var err error
			msgs, _, _, err = a.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: channel, Timestamp: to.Thread, Limit: repliesLookback, IncludeAllMetadata: true})
			return err
		})
	} else {
		err = a.call(ctx, "conversations.history", func(ctx context.Context) error {
			r, err := a.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: channel, Limit: historyLookback, IncludeAllMetadata: true})
			if r != nil {
				msgs = r.Messages
			}
			return err
		})
	}
	if err != nil {
		return bot.Address{}, false, err
	}
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
		return bot.Address{Platform: bot.PlatformSlack, Workspace: team, Channel: channel, Thread: thread}, true, nil
	}
	return bot.Address{}, false, nil
}

// conversation is the channel id of an address: its channel, or the DM
// with its user (remembered from posts, else from conversations.open).
func (a *Adapter) conversation(ctx context.Context, to bot.Address) (string, error) {
	if to.Channel != "" {
		return to.Channel, nil
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
