package slack

import (
	"context"
	"strings"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
)

// maxThreadRead is how many messages of a thread ReadThread reads.
const maxThreadRead = 100

var _ bot.ThreadReader = (*Adapter)(nil)

// ReadThread reads the message ts in at's channel and the rest of the
// thread it starts or is in (conversations.replies on the thread's root,
// up to maxThreadRead messages), oldest first, as plain text with user
// mentions as "@name".
func (a *Adapter) ReadThread(ctx context.Context, at bot.Address, ts string) ([]bot.Posted, error) {
	root, err := a.threadRoot(ctx, at.Channel, ts)
	if err != nil {
		return nil, err
	}
	self, _ := a.identity(ctx)
	var msgs []slack.Message
	err = a.call(ctx, "conversations.replies", func(ctx context.Context) error {
		var err error
		msgs, _, _, err = a.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: at.Channel, Timestamp: root, Limit: maxThreadRead})
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]bot.Posted, 0, len(msgs))
	for _, m := range msgs {
		p := bot.Posted{ID: m.Timestamp, User: m.User, Bot: m.BotID != "" || (self.UserID != "" && m.User == self.UserID)}
		pt := plainText(m.Text, self.UserID, false)
		p.Text = pt.text
		for _, id := range pt.mentions {
			if u := a.sender(ctx, id, id); u.Name != "" {
				p.Text = strings.ReplaceAll(p.Text, bot.Mention(id), "@"+u.Name)
			}
		}
		if m.User != "" && !p.Bot {
			p.Name = a.sender(ctx, m.User, "").Name
		}
		out = append(out, p)
	}
	return out, nil
}
