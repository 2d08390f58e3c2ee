package handlers

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/internal/outbox"
	"github.com/soudan/soudan/store"
)

// Sent names what to record once a message is delivered: a kind
// registered with HandleSent and the ids its SentFunc needs.
type Sent = outbox.Sent

// SentFunc records, in tx (the transaction that marks the message sent),
// what a delivered message makes true (where a card landed, say). It gets
// the ids of the message's Sent, and must be idempotent: the outbox may
// run it again after a crash.
type SentFunc func(ctx context.Context, tx *store.Tx, ids []uint64, at bot.Address) error

// BatchDoneFunc runs when the last item of an outbox batch of its kind was
// sent, failed or cancelled. It may run more than once for a batch: make
// what it does idempotent (an Enqueue keyed by the batch id).
type BatchDoneFunc func(ctx context.Context, b store.OutboxBatch)

// HandleSent registers what to do once a message whose Sent is of kind was
// delivered. A feature calls it from Register.
func (k *Kit) HandleSent(kind string, fn SentFunc) { k.sent[kind] = fn }

// HandleBatchDone registers what to do when a batch of kind is finished.
func (k *Kit) HandleBatchDone(kind string, fn BatchDoneFunc) { k.done[kind] = fn }

// OnSent runs the OnSent action of a delivered item in tx: the outbox
// worker's Options.OnSent.
func (k *Kit) OnSent(ctx context.Context, tx *store.Tx, it store.OutboxItem, at bot.Address) error {
	s, err := outbox.ParseSent(it.OnSent)
	if err != nil {
		return err
	}
	fn, ok := k.sent[s.Kind]
	if !ok {
		return fmt.Errorf("on sent %q: unknown action", it.OnSent)
	}
	if err := fn(ctx, tx, s.IDs, at); err != nil {
		return fmt.Errorf("on sent %q: %w", it.OnSent, err)
	}
	return nil
}

// OnBatchDone runs the hook of a finished batch's kind: the outbox
// worker's Options.OnBatchDone.
func (k *Kit) OnBatchDone(ctx context.Context, b store.OutboxBatch) {
	if fn, ok := k.done[b.Kind]; ok {
		fn(ctx, b)
	}
}

// Deliver enqueues r for to in the outbox: the bot's own initiative
// (routing cards, relays, notices) is delivered durably, within the
// platform's limits, and exactly once. onSent (the zero Sent for none) names what to
// record once it is delivered (see HandleSent). Replies within the user's
// own turn use the Responder instead.
//
// The delivery key is r.Key when the caller set one: a key that names what
// the message is lets a handler that is run again after a crash queue the
// same messages without sending any twice, whatever it did before the
// crash. Otherwise it is the event's next sequence key.
func (k *Kit) Deliver(ctx context.Context, to bot.Address, r bot.Reply, onSent Sent) error {
	key := r.Key
	if key == "" {
		key = DeliveryKey(ctx)
	}
	return k.Enqueue(ctx, Outgoing{To: to, Reply: r, Key: key, OnSent: onSent})
}

// Enqueue puts msgs in the outbox in one transaction, keys as given.
func (k *Kit) Enqueue(ctx context.Context, msgs ...Outgoing) error {
	if len(msgs) == 0 {
		return nil
	}
	err := k.Store.Update(func(tx *store.Tx) error {
		_, err := k.EnqueueTx(tx, nil, msgs...)
		return err
	})
	if err != nil {
		return fmt.Errorf("deliver: %w", err)
	}
	return nil
}

// EnqueueTx queues msgs in tx, under a new batch when b is not nil, so
// they are stored with the change they announce or not at all; the worker
// is woken once tx commits. Messages whose key is already queued are not
// queued again; messages to a forgotten user (store.DeletedPlatform) are
// not queued at all, whichever feature addressed them.
func (k *Kit) EnqueueTx(tx *store.Tx, b *store.OutboxBatch, msgs ...Outgoing) (store.OutboxBatch, error) {
	msgs = slices.DeleteFunc(slices.Clone(msgs), func(m Outgoing) bool { return m.To.Platform == store.DeletedPlatform })
	items, err := outbox.Items(msgs)
	if err != nil {
		return store.OutboxBatch{}, err
	}
	batch, _, err := tx.Outbox().Enqueue(b, items)
	if err != nil {
		return store.OutboxBatch{}, fmt.Errorf("enqueue: %w", err)
	}
	var platforms []string
	for _, m := range msgs {
		if !slices.Contains(platforms, m.To.Platform) {
			platforms = append(platforms, m.To.Platform)
		}
	}
	k.WakeOnCommit(tx, platforms...)
	return batch, nil
}

// WakeOnCommit wakes the outbox worker once tx commits: for a change that
// makes queued items for the platforms due (a released batch: none named,
// any platform).
func (k *Kit) WakeOnCommit(tx *store.Tx, platforms ...string) {
	tx.OnCommit(func() { k.Out.WakeFor(platforms...) })
}

// DeliveryKey is the key of the next message enqueued while handling the
// current event: the event and a count, so a platform's redelivery of the
// event enqueues nothing twice. Outside an event (a job) it is empty and
// the outbox assigns one.
func DeliveryKey(ctx context.Context) string {
	s, ok := ctx.Value(sessionKey{}).(*session)
	if !ok || s.event == "" {
		return ""
	}
	s.sends++
	return "ev:" + s.event + ":" + strconv.Itoa(s.sends)
}

// SendDM enqueues r for u's direct conversation with the bot; onSent
// (the zero Sent for none) names what to record once it is delivered.
func (k *Kit) SendDM(ctx context.Context, u store.User, r bot.Reply, onSent Sent) error {
	if err := k.Deliver(ctx, DMAddress(u), r, onSent); err != nil {
		return fmt.Errorf("send DM to user %d: %w", u.ID, err)
	}
	return nil
}

// NotifyAdmins tells every admin something, each in their language. With
// a non-empty dkey each admin's message gets the delivery key dkey:<admin>.
func (k *Kit) NotifyAdmins(ctx context.Context, dkey, key string, kv ...any) {
	if err := k.Enqueue(ctx, k.AdminNotices(dkey, key, kv...)...); err != nil {
		k.Log.Warn("notify admins", "err", err)
	}
}

// AdminNotices are NotifyAdmins' messages, to queue in a commit of one's
// own (EnqueueTx).
func (k *Kit) AdminNotices(dkey, key string, kv ...any) []Outgoing {
	return k.AdminNoticesTx(nil, dkey, key, kv...)
}

// AdminNoticesTx is AdminNotices that reads the admins in tx, the
// caller's transaction (nil: a read transaction of its own). A handler
// inside Commit passes its tx: a second transaction opened inside the
// first holds a second database connection on PostgreSQL, and enough
// handlers doing so at once take every connection of the pool and wait
// for one another forever.
func (k *Kit) AdminNoticesTx(tx *store.Tx, dkey, key string, kv ...any) []Outgoing {
	admins, err := ReadIn(k, tx, func(tx *store.Tx) ([]store.User, error) { return tx.Users().WithRole(store.RoleAdmin) })
	if err != nil {
		k.Log.Error("list admins", "err", err)
		return nil
	}
	out := make([]Outgoing, 0, len(admins))
	for _, ad := range admins {
		r := bot.Reply{Text: k.T(ad, key, kv...)}
		if dkey != "" {
			r.Key = dkey + ":" + strconv.FormatUint(ad.ID, 10)
		}
		out = append(out, Outgoing{To: DMAddress(ad), Reply: r, Key: r.Key})
	}
	return out
}
