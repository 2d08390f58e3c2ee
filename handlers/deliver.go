package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers/outbox"
	"github.com/soudan/soudan/store"
)

// onSentThread is the OnSent kind that records where a consultation's
// card or confirmation landed: "consult.thread:<consultation>:<user>".
const onSentThread = "consult.thread"

// threadOnSent is the OnSent key that adds the delivered message's thread
// to consultation cid as userID's thread.
func threadOnSent(cid, userID uint64) string {
	return fmt.Sprintf("%s:%d:%d", onSentThread, cid, userID)
}

// deliver enqueues r for to in the outbox: the bot's own initiative
// (routing cards, relays, notices) is delivered durably, within the
// platform's limits, and exactly once. onSent ("" for none) names what to
// record once it is delivered. Replies within the user's own turn use the
// Responder instead.
//
// The delivery key is r.Key when the caller set one: a key that names what
// the message is (consultationKey) lets a handler that is run again after
// a crash queue the same messages without sending any twice, whatever it
// did before the crash. Otherwise it is the event's next sequence key.
func (a *App) deliver(ctx context.Context, to bot.Address, r bot.Reply, onSent string) error {
	key := r.Key
	if key == "" {
		key = deliveryKey(ctx)
	}
	return a.enqueue(ctx, outbox.Message{To: to, Reply: r, Key: key, OnSent: onSent})
}

// consultationKey is a delivery key for a message about consultation cid:
// consultationKey(12, "card", 5) is "consult:12:card:5".
func consultationKey(cid uint64, parts ...any) string {
	s := "consult:" + strconv.FormatUint(cid, 10)
	for _, p := range parts {
		s += ":" + fmt.Sprint(p)
	}
	return s
}

// enqueue puts msgs in the outbox in one transaction, keys as given.
func (a *App) enqueue(ctx context.Context, msgs ...outbox.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	if _, err := a.out.Enqueue(ctx, nil, msgs); err != nil {
		return fmt.Errorf("deliver: %w", err)
	}
	return nil
}

// deliveryKey is the key of the next message enqueued while handling the
// current event: the event and a count, so a platform's redelivery of the
// event enqueues nothing twice. Outside an event (a job) it is empty and
// the outbox assigns one.
func deliveryKey(ctx context.Context) string {
	s, ok := ctx.Value(sessionKey{}).(*session)
	if !ok || s.event == "" {
		return ""
	}
	s.sends++
	return "ev:" + s.event + ":" + strconv.Itoa(s.sends)
}

// onSent runs the OnSent action of a delivered item. It is idempotent: the
// outbox may run it again after a crash.
func (a *App) onSent(_ context.Context, it store.OutboxItem, at bot.Address) error {
	kind, rest, _ := strings.Cut(it.OnSent, ":")
	switch kind {
	case onSentThread:
		c, u, ok := strings.Cut(rest, ":")
		cid, err1 := strconv.ParseUint(c, 10, 64)
		uid, err2 := strconv.ParseUint(u, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			return fmt.Errorf("on sent %q: bad key", it.OnSent)
		}
		return a.recordThread(cid, uid, at)
	}
	return fmt.Errorf("on sent %q: unknown action", it.OnSent)
}

// recordThread adds the thread of the message at at to consultation cid,
// owned by userID, unless it is there already.
func (a *App) recordThread(cid, userID uint64, at bot.Address) error {
	th, ok := threadOf(at, userID)
	if !ok {
		return nil
	}
	_, err := a.st.UpdateConsultation(cid, func(c *store.Consultation) error {
		for _, t := range c.Threads {
			if t.Platform == th.Platform && t.Channel == th.Channel && t.Thread == th.Thread {
				return nil
			}
		}
		c.Threads = append(c.Threads, th)
		return nil
	})
	if err != nil {
		return fmt.Errorf("record thread: %w", err)
	}
	return nil
}
