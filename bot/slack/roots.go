package slack

import (
	"context"
	"sync"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
)

// maxCachedRoots bounds the thread-root cache; past it, the cache is
// cleared. A message's thread never changes, so entries do not expire.
const maxCachedRoots = 10000

// rootCache remembers which thread messages are in: channel and message
// ts -> the ts of the thread's root (the message's own ts at top level).
type rootCache struct {
	mu    sync.Mutex
	roots map[string]string
}

func newRootCache() *rootCache { return &rootCache{roots: map[string]string{}} }

func (c *rootCache) get(channel, ts string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	root, ok := c.roots[channel+"/"+ts]
	return root, ok
}

func (c *rootCache) put(channel, ts, root string) {
	if channel == "" || ts == "" || root == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.roots) >= maxCachedRoots {
		clear(c.roots)
	}
	c.roots[channel+"/"+ts] = root
}

// threadRoot returns the ts of the root of the thread the message ts in
// channel is in, ts itself for a top-level message: conversations.replies
// with the message's ts and limit 1 answers with the message, whose
// thread_ts is the root when it is in a thread. Answers are cached.
func (a *Adapter) threadRoot(ctx context.Context, channel, ts string) (string, error) {
	if root, ok := a.roots.get(channel, ts); ok {
		return root, nil
	}
	var msgs []slack.Message
	err := a.call(ctx, "conversations.replies", func(ctx context.Context) error {
		var err error
		msgs, _, _, err = a.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{ChannelID: channel, Timestamp: ts, Limit: 1})
		return err
	})
	if err != nil {
		return "", err
	}
	if len(msgs) == 0 {
		return ts, nil // deleted, or not visible: not cached
	}
	root := ts
	if msgs[0].ThreadTimestamp != "" {
		root = msgs[0].ThreadTimestamp
	}
	a.roots.put(channel, ts, root)
	return root, nil
}

// reactionThread addresses a reaction m to the root of the thread the
// reacted message (o.source, also m.Action.Value) is in, and makes the
// turn reply in that thread. When the lookup fails, the reacted message
// stays the thread, as for a top-level message.
func (a *Adapter) reactionThread(ctx context.Context, m *bot.Message, o *origin) {
	if o.channel == "" || o.source == "" {
		return
	}
	root, err := a.threadRoot(ctx, o.channel, o.source)
	if err != nil {
		a.log.Warn("slack: look up the thread of a reacted message", "channel", o.channel, "ts", o.source, "err", err)
		return
	}
	m.Address.Thread = root
	if root != o.source {
		o.thread = root
	}
}
