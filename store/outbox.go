package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// Outbox buckets (schema version 3). Items are filed in
// outbox.items.by_due under "status 0x00 next-attempt" while pending or
// sending, so the worker finds due items in order of their next attempt
// and a restart finds the items a crash left in flight.
const (
	bktOutboxBatches = "outbox.batches"
	bktOutboxItems   = "outbox.items"
	bktOutboxByDue   = "outbox.items.by_due"
	bktOutboxByBatch = "outbox.items.by_batch"
	bktOutboxByKey   = "outbox.items.by_key"
)

// createOutboxBuckets creates the outbox and calendar buckets of schema
// version 3.
func createOutboxBuckets(tx kv.Tx) error {
	for _, name := range []string{bktOutboxBatches, bktOutboxItems, bktOutboxByDue, bktOutboxByBatch, bktOutboxByKey, bktClosedDays} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// OutboxStatus is the delivery state of one outbox item.
type OutboxStatus string

// Outbox item states: pending -> sending -> sent, or back to pending for a
// retry, or failed; pending items of a cancelled batch become cancelled.
const (
	OutboxPending   OutboxStatus = "pending"
	OutboxSending   OutboxStatus = "sending" // the send was started: its intent is recorded
	OutboxSent      OutboxStatus = "sent"
	OutboxFailed    OutboxStatus = "failed"
	OutboxCancelled OutboxStatus = "cancelled"
)

// Terminal reports whether an item in this state will never be sent.
func (s OutboxStatus) Terminal() bool {
	return s == OutboxSent || s == OutboxFailed || s == OutboxCancelled
}

// BatchStatus is the state of an outbox batch.
type BatchStatus string

// Batch states: a draft waits for ReleaseBatch (its items are not due);
// active until every item is sent, failed or cancelled.
const (
	BatchDraft     BatchStatus = "draft"
	BatchActive    BatchStatus = "active"
	BatchCancelled BatchStatus = "cancelled"
	BatchDone      BatchStatus = "done"
)

// OutboxCounts counts a batch's items by state.
type OutboxCounts struct {
	Pending   int `json:"pending"`
	Sending   int `json:"sending"`
	Sent      int `json:"sent"`
	Failed    int `json:"failed"`
	Cancelled int `json:"cancelled"`
}

// Total is the number of items counted.
func (c OutboxCounts) Total() int { return c.Pending + c.Sending + c.Sent + c.Failed + c.Cancelled }

// add moves n items into state st.
func (c *OutboxCounts) add(st OutboxStatus, n int) {
	switch st {
	case OutboxPending:
		c.Pending += n
	case OutboxSending:
		c.Sending += n
	case OutboxSent:
		c.Sent += n
	case OutboxFailed:
		c.Failed += n
	case OutboxCancelled:
		c.Cancelled += n
	}
}

// OutboxBatch groups the items of one act: a broadcast, a reminder run.
// Items enqueued on their own have no batch (BatchID 0).
type OutboxBatch struct {
	ID        uint64       `json:"id"`
	Kind      string       `json:"kind"`            // "broadcast", "reminder", "notice", ...
	CreatedBy uint64       `json:"created_by"`      // user id; 0 for the system
	Label     string       `json:"label,omitempty"` // what the sender sees in reports
	NotBefore time.Time    `json:"not_before"`      // no item is sent before
	Status    BatchStatus  `json:"status"`          // active, cancelled or done
	Counts    OutboxCounts `json:"counts"`
	CreatedAt time.Time    `json:"created_at"`
	DoneAt    time.Time    `json:"done_at,omitempty"`
}

// OutboxItem is one message to one address. The address fields copy a
// bot.Address and Payload is the caller's encoding of the message (the
// store imports nothing of the bot).
type OutboxItem struct {
	ID        uint64 `json:"id"`
	BatchID   uint64 `json:"batch_id,omitempty"`
	Platform  string `json:"platform"`
	Workspace string `json:"workspace,omitempty"`
	Channel   string `json:"channel,omitempty"`
	Thread    string `json:"thread,omitempty"`
	User      string `json:"user,omitempty"`
	Ref       []byte `json:"ref,omitempty"`
	// Users are the members of a group conversation the sender opens when
	// it sends (bot.Address.Users).
	Users   []string `json:"users,omitempty"`
	Payload []byte   `json:"payload"`
	// Key is unique among items: enqueuing a key again adds nothing. The
	// store assigns "ob:<id>" when it is empty.
	Key string `json:"key"`
	// OnSent names what to do once it is sent (the caller's callback key).
	OnSent string `json:"on_sent,omitempty"`

	Status    OutboxStatus `json:"status"`
	Attempts  int          `json:"attempts"`
	LastError string       `json:"last_error,omitempty"`
	// MaybeDelivered is set when an earlier attempt may have reached the
	// platform (a timeout, a crash while sending): the next attempt should
	// check before it sends again.
	MaybeDelivered bool      `json:"maybe_delivered,omitempty"`
	NextAttempt    time.Time `json:"next_attempt"`
	// Lease names the replica whose claim made the item sending, and
	// LeaseUntil when that claim lapses: on several replicas (one
	// PostgreSQL database), another replica takes over an item whose lease
	// lapsed, because its owner stopped or lost the database mid-send
	// (Outbox.Lapsed). Empty on a single process, which owns every claim.
	Lease      string    `json:"lease,omitempty"`
	LeaseUntil time.Time `json:"lease_until,omitempty"`
	SentAt     time.Time `json:"sent_at,omitempty"`
	Result     []byte    `json:"result,omitempty"` // the caller's encoding of where it was posted
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// dueValue is the outbox.items.by_due value of an item: its state and its
// next attempt as big-endian nanoseconds, so keys sort by time.
func dueValue(st OutboxStatus, next time.Time) string {
	n := next.UnixNano()
	if n < 0 || next.IsZero() {
		n = 0
	}
	return string(st) + sep + string(itob(uint64(n)))
}

// outboxEntries are the index entries of an item: its batch, its key, and
// while it is pending or sending, its state and next attempt; a leased
// sending item is filed at its lease's end instead, so that the items
// another replica may take over are the first of the sending entries.
// A sending item is also filed under its stream (bktOutboxSending).
func outboxEntries(it OutboxItem) []entry {
	es := []entry{{bktOutboxByKey, it.Key}}
	if it.BatchID != 0 {
		es = append(es, entry{bktOutboxByBatch, idValue(it.BatchID)})
	}
	// A draft's items have no next attempt: they are not due.
	switch {
	case it.Status == OutboxSending && !it.LeaseUntil.IsZero():
		es = append(es, entry{bktOutboxByDue, dueValue(it.Status, it.LeaseUntil)})
	case it.Status == OutboxSending || it.Status == OutboxPending && !it.NextAttempt.IsZero():
		es = append(es, entry{bktOutboxByDue, dueValue(it.Status, it.NextAttempt)})
	}
	if it.Status == OutboxSending {
		es = append(es, entry{bktOutboxSending, it.Stream()})
	}
	return es
}

// Enqueue stores items as pending under a new batch when b is not
// nil (its ID, Counts and CreatedAt are assigned; its Status is active, or
// draft when given as BatchDraft) or on their own. An item whose Key is
// already in the outbox is not added again: the stored one is returned in
// its place, so enqueuing the same keys twice (a redelivered event, a
// retried job) sends once. An item's NextAttempt defaults to the batch's
// NotBefore, else now. It returns the batch (zero when b is nil) and the
// items as stored, in the order given. Register tx.OnCommit to wake the
// worker once they are committed.
func (ob Outbox) Enqueue(b *OutboxBatch, items []OutboxItem) (OutboxBatch, []OutboxItem, error) {
	batch, out, err := ob.enqueue(b, items)
	if err != nil {
		return OutboxBatch{}, nil, fmt.Errorf("enqueue %d outbox items: %w", len(items), err)
	}
	return batch, out, nil
}

// enqueue is Enqueue without its error wrapping.
func (ob Outbox) enqueue(b *OutboxBatch, items []OutboxItem) (OutboxBatch, []OutboxItem, error) {
	var batch OutboxBatch
	if err := ob.tx.writable(); err != nil {
		return batch, nil, err
	}
	out := make([]OutboxItem, 0, len(items))
	now := ob.tx.Now()
	if b != nil {
		batch = *b
		id, err := ob.tx.bucket(bktOutboxBatches).NextSequence()
		if err != nil {
			return batch, nil, err
		}
		if batch.Status != BatchDraft {
			batch.Status = BatchActive
		}
		batch.ID, batch.Counts, batch.CreatedAt, batch.DoneAt = id, OutboxCounts{}, now, time.Time{}
	}
	itemsB := ob.tx.bucket(bktOutboxItems)
	for _, it := range items {
		if it.Key != "" {
			if ids := lookup(ob.tx, bktOutboxByKey, it.Key); len(ids) > 0 {
				old, err := getByID[OutboxItem](ob.tx, bktOutboxItems, ids[0])
				if err != nil {
					return batch, nil, err
				}
				out = append(out, old)
				continue
			}
		}
		if it.Platform == "" || (it.Channel == "" && it.User == "" && len(it.Users) == 0) {
			return batch, nil, fmt.Errorf("item %q: a platform and a channel, a user or a group's users are required", it.Key)
		}
		id, err := itemsB.NextSequence()
		if err != nil {
			return batch, nil, err
		}
		it.ID, it.BatchID, it.Status, it.Attempts = id, batch.ID, OutboxPending, 0
		it.LastError, it.SentAt, it.Result = "", time.Time{}, nil
		it.CreatedAt, it.UpdatedAt = now, now
		if it.Key == "" {
			it.Key = "ob:" + strconv.FormatUint(id, 10)
		}
		switch {
		case batch.Status == BatchDraft:
			it.NextAttempt = time.Time{}
		case it.NextAttempt.IsZero() && !batch.NotBefore.IsZero():
			it.NextAttempt = batch.NotBefore
		case it.NextAttempt.IsZero():
			it.NextAttempt = now
		}
		it.NextAttempt = it.NextAttempt.Round(0)
		if err := ob.putItem(nil, it); err != nil {
			return batch, nil, err
		}
		batch.Counts.add(OutboxPending, 1)
		out = append(out, it)
	}
	if b == nil {
		return batch, out, nil
	}
	if batch.Counts.Total() == 0 && batch.Status == BatchActive {
		batch.Status, batch.DoneAt = BatchDone, now
	}
	return batch, out, putJSON(ob.tx.bucket(bktOutboxBatches), itob(batch.ID), batch)
}

// putItem stores it and moves its index entries from those of old (nil
// for a new item).
func (ob Outbox) putItem(old *OutboxItem, it OutboxItem) error {
	var oldEntries []entry
	if old != nil {
		oldEntries = outboxEntries(*old)
	}
	if err := reindex(ob.tx, it.ID, oldEntries, outboxEntries(it)); err != nil {
		return err
	}
	if err := ob.noteConversation(it); err != nil {
		return err
	}
	return putJSON(ob.tx.bucket(bktOutboxItems), itob(it.ID), it)
}

// Conversation names the conversation the item is posted into: its
// platform, workspace and channel, else the user's DM. The thread is not
// part of it: a channel's threads share its rate.
func (it OutboxItem) Conversation() string {
	if it.Channel != "" {
		return it.Platform + sep + it.Workspace + sep + it.Channel
	}
	if len(it.Users) > 0 {
		// A group not opened yet: its members, in order, name it (the
		// sender opens the same conversation for the same people).
		return it.Platform + sep + it.Workspace + sep + "@" + strings.Join(it.Users, ",")
	}
	return it.Platform + sep + it.Workspace + sep + "@" + it.User
}

// Stream names the sequence the item is delivered in, one message at a
// time and in order: its thread, or its conversation's top level. The
// threads of a busy channel are delivered side by side, at the channel's
// rate.
func (it OutboxItem) Stream() string {
	if it.Thread != "" {
		return it.Conversation() + sep + it.Thread
	}
	return it.Conversation()
}

// StreamConversation is the conversation (OutboxItem.Conversation) of a
// stream (OutboxItem.Stream).
func StreamConversation(stream string) string {
	parts := strings.SplitN(stream, sep, 4)
	return strings.Join(parts[:min(len(parts), 3)], sep)
}

// StreamPlatform is the platform of a stream (OutboxItem.Stream).
func StreamPlatform(stream string) string {
	p, _, _ := strings.Cut(stream, sep)
	return p
}

// noteConversation stores the item's stream as the value of its
// outbox.items.by_due entry, if it has one, so ClaimDue can pass over the
// items of a held-back conversation without decoding them. Entries written
// before carry no value; ClaimDue decodes those.
func (ob Outbox) noteConversation(it OutboxItem) error {
	for _, e := range outboxEntries(it) {
		if e.bucket == bktOutboxByDue {
			return ob.tx.bucket(bktOutboxByDue).Put(indexKey(e.value, it.ID), []byte(it.Stream()))
		}
	}
	return nil
}

// Item returns the item with id.
func (ob Outbox) Item(id uint64) (OutboxItem, error) {
	it, err := getByID[OutboxItem](ob.tx, bktOutboxItems, id)
	if err != nil {
		return OutboxItem{}, fmt.Errorf("get outbox item %d: %w", id, err)
	}
	return it, nil
}

// ItemByKey returns the item enqueued with key.
func (ob Outbox) ItemByKey(key string) (OutboxItem, error) {
	ids := lookup(ob.tx, bktOutboxByKey, key)
	err := ErrNotFound
	var it OutboxItem
	if len(ids) > 0 {
		it, err = getByID[OutboxItem](ob.tx, bktOutboxItems, ids[0])
	}
	if err != nil {
		return OutboxItem{}, fmt.Errorf("get outbox item %q: %w", key, err)
	}
	return it, nil
}

// Batch returns the batch with id.
func (ob Outbox) Batch(id uint64) (OutboxBatch, error) {
	b, err := getByID[OutboxBatch](ob.tx, bktOutboxBatches, id)
	if err != nil {
		return OutboxBatch{}, fmt.Errorf("get outbox batch %d: %w", id, err)
	}
	return b, nil
}
