// Package outbox delivers the messages the bot sends on its own initiative
// (routing cards, relays, notices, reminders, broadcasts) through a durable
// queue in the store, so each reaches its recipient once, as fast as the
// platform allows, across crashes.
//
// Enqueue stores the messages; a Worker drains them: concurrently, within a
// rate limit per platform and per conversation, one message at a time per
// conversation (so a thread reads in order), retrying rate limits (honouring
// Retry-After) and transient failures with exponential backoff and jitter,
// and giving up after a bound with the reason recorded.
//
// Crash safety: the store marks an item "sending" (and counts the attempt)
// before the platform is called, and records the result right after,
// together with the results of the other sends that finished within a few
// milliseconds (one transaction for all). At
// start the worker looks at the items a crash left "sending": where the
// platform's sender implements bot.DeliveryChecker it asks whether the
// message carrying the item's key (bot.Reply.Key) was posted, and only
// resends when it was not; elsewhere it resends, so delivery is
// at-least-once for those items (the sends in flight at the crash).
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// Defaults of Options.
const (
	DefaultConcurrency = 32
	DefaultMaxAttempts = 8
	DefaultBackoff     = 2 * time.Second
	DefaultMaxBackoff  = 5 * time.Minute
	DefaultSendTimeout = 30 * time.Second
	DefaultPoll        = 30 * time.Second
	DefaultGroupWait   = 10 * time.Millisecond
)

// Options configure a Worker.
type Options struct {
	Store  Store      // usually Transactional(a *store.Store)
	Sender bot.Sender // usually a bot.Mux of every platform's adapter
	// Limits are the sending rates by platform ("slack", "teams"); a
	// platform without an entry is not limited. See DefaultLimits.
	Limits map[string]Limit
	Log    *slog.Logger
	// Now returns the current time: when items are due. Rate limiting
	// always uses the real clock.
	Now func() time.Time
	// OnSent is called for an item with an OnSent key that was delivered,
	// with the address the platform returned, in the transaction that
	// marks it sent: what the delivery makes true commits with it. An
	// error leaves the item unrecorded ("sending"), to be checked at the
	// next start, when OnSent runs again: it must be idempotent. The
	// transaction may share its commit with concurrent ones (Batch), so
	// OnSent may also run more than once, each time in a new transaction:
	// it must change nothing outside tx.
	OnSent func(ctx context.Context, tx *store.Tx, it store.OutboxItem, at bot.Address) error
	// OnBatchDone is called when the last item of a batch was sent,
	// failed or cancelled. Concurrent deliveries may call it more than
	// once for a batch: make what it does idempotent (an Enqueue with a
	// key made of the batch id).
	OnBatchDone func(ctx context.Context, b store.OutboxBatch)
	// OnResult, when set, is told of every attempt recorded, by platform:
	// ResultSent, ResultRetry or ResultFailed, and whether the platform
	// refused it for its rate (a Retry-After); for metrics. It must not
	// block.
	OnResult func(platform, result string, rateLimited bool)

	Concurrency int           // sends in flight at once; default DefaultConcurrency
	MaxAttempts int           // attempts before an item fails; default DefaultMaxAttempts
	Backoff     time.Duration // delay before the first retry, doubled each time; default DefaultBackoff
	MaxBackoff  time.Duration // longest delay between retries; default DefaultMaxBackoff
	SendTimeout time.Duration // limit on one send; default DefaultSendTimeout
	Poll        time.Duration // longest idle wait between looks at the store; default DefaultPoll
	// GroupWait is how long Run lets a claim wait for more free slots,
	// and a finished send wait for others to be recorded with it, so
	// that one transaction (one disk sync) serves many messages; default
	// DefaultGroupWait.
	GroupWait time.Duration
	// Lease, on a replica of several sharing one database, is the lease
	// its Store (Leased) puts on its claims: Run then looks for lapsed
	// leases every half of it, and takes over the items of a replica
	// that stopped mid-send. Zero on a single process: what a crash left
	// sending is settled at the start only.
	Lease time.Duration
}

// Results of an attempt, as Options.OnResult is told.
const (
	ResultSent   = "sent"   // delivered (or found delivered)
	ResultRetry  = "retry"  // to be attempted again
	ResultFailed = "failed" // given up
)

// Message is one message to enqueue.
type Message struct {
	To    bot.Address
	Reply bot.Reply
	// Key makes the message idempotent: a key already in the outbox is not
	// enqueued again. Empty: a key is assigned.
	Key string
	// OnSent is handed back to Options.OnSent once it is delivered.
	OnSent Sent
}

// Worker drains the outbox. Its methods are safe for concurrent use.
type Worker struct {
	opt  Options
	st   Store
	log  *slog.Logger
	now  func() time.Time
	wake chan struct{} // a new item may be due
	done chan struct{} // a delivery finished: its conversation is free

	recoverOnce sync.Once
	flushMu     sync.Mutex // one Flush at a time, so flushes deliver in order

	mu     sync.Mutex
	lim    *limits
	busy   map[string]bool      // streams with a send in flight
	waitTo map[string]time.Time // conversations held back by a rate, real time
	// fullUntil is, for a platform whose rate across the app a claim found
	// spent, when it may send again (real time): new items for it need no
	// claim before then.
	fullUntil map[string]time.Time
	// duePlatforms are the platforms the last complete claim (at dueAt)
	// met due items of, and those WakeFor named since.
	duePlatforms map[string]bool
	dueAt        time.Time
	// retryHold holds a conversation back until its failed item's next
	// attempt (in Now's time), so the messages after it keep their order.
	retryHold map[string]time.Time
}

// New checks opt and returns a worker; call Run (or Flush) to deliver.
func New(opt Options) (*Worker, error) {
	if opt.Store == nil {
		return nil, errors.New("outbox: Options.Store is required")
	}
	if opt.Sender == nil {
		return nil, errors.New("outbox: Options.Sender is required")
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = DefaultConcurrency
	}
	if opt.MaxAttempts <= 0 {
		opt.MaxAttempts = DefaultMaxAttempts
	}
	if opt.Backoff <= 0 {
		opt.Backoff = DefaultBackoff
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = DefaultMaxBackoff
	}
	if opt.SendTimeout <= 0 {
		opt.SendTimeout = DefaultSendTimeout
	}
	if opt.Poll <= 0 {
		opt.Poll = DefaultPoll
	}
	if opt.GroupWait <= 0 {
		opt.GroupWait = DefaultGroupWait
	}
	for p, l := range opt.Limits {
		if err := l.validate(); err != nil {
			return nil, fmt.Errorf("outbox: limit of %s: %w", p, err)
		}
	}
	return &Worker{
		opt:          opt,
		st:           opt.Store,
		log:          opt.Log,
		now:          opt.Now,
		wake:         make(chan struct{}, 1),
		done:         make(chan struct{}, 1),
		lim:          newLimits(opt.Limits),
		busy:         map[string]bool{},
		waitTo:       map[string]time.Time{},
		retryHold:    map[string]time.Time{},
		fullUntil:    map[string]time.Time{},
		duePlatforms: map[string]bool{},
	}, nil
}

// Enqueue stores msgs for delivery, under a new batch when b is not nil,
// and wakes the worker. Messages whose key is already in the outbox are
// not enqueued again. It returns the batch (zero when b is nil).
func (w *Worker) Enqueue(_ context.Context, b *store.OutboxBatch, msgs []Message) (store.OutboxBatch, error) {
	items, err := Items(msgs)
	if err != nil {
		return store.OutboxBatch{}, err
	}
	batch, _, err := w.st.EnqueueOutbox(b, items)
	if err != nil {
		return store.OutboxBatch{}, fmt.Errorf("enqueue: %w", err)
	}
	w.Wake()
	return batch, nil
}

// Items encodes msgs as outbox rows, for callers that store them in a
// transaction of their own (tx.Outbox().Enqueue inside store.Update); wake
// the worker once they are committed, with tx.OnCommit(w.Wake).
func Items(msgs []Message) ([]store.OutboxItem, error) {
	items := make([]store.OutboxItem, len(msgs))
	for i, m := range msgs {
		m.Reply.Key = "" // the item's key is set at send time
		payload, err := json.Marshal(m.Reply)
		if err != nil {
			return nil, fmt.Errorf("enqueue: encode message: %w", err)
		}
		items[i] = store.OutboxItem{
			Platform: m.To.Platform, Workspace: m.To.Workspace, Channel: m.To.Channel,
			Thread: m.To.Thread, User: m.To.User, Ref: m.To.Ref, Users: m.To.Users,
			Payload: payload, Key: m.Key, OnSent: m.OnSent.String(),
		}
	}
	return items, nil
}

// Wake tells a running worker to look for due items now.
func (w *Worker) Wake() {
	w.mu.Lock()
	clear(w.duePlatforms) // items of any platform: the next claim looks
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// WakeFor tells a running worker that items for the platforms were
// queued. A platform whose rate is spent until later is not worth a claim
// (a walk over the queue) before then: under a backlog every question
// queues items, and the worker would otherwise claim for each.
func (w *Worker) WakeFor(platforms ...string) {
	now := time.Now()
	w.mu.Lock()
	worth := len(platforms) == 0
	if worth {
		clear(w.duePlatforms) // any platform: the next claim looks
	}
	for _, p := range platforms {
		w.duePlatforms[p] = true
		if t, ok := w.fullUntil[p]; !ok || !now.Before(t) {
			worth = true
		}
	}
	w.mu.Unlock()
	if worth {
		w.Wake()
	}
}

// Cancel cancels the batch's pending items and returns how many.
func (w *Worker) Cancel(batchID uint64) (int, error) {
	_, n, err := w.st.CancelBatch(batchID)
	if err != nil {
		return 0, fmt.Errorf("outbox: %w", err)
	}
	return n, nil
}

// address is the bot address an item is sent to.
func address(it store.OutboxItem) bot.Address {
	return bot.Address{Platform: it.Platform, Workspace: it.Workspace, Channel: it.Channel, Thread: it.Thread, User: it.User, Ref: it.Ref, Users: it.Users}
}

// convKey names the conversation of an item, for per-conversation rate
// limits: its channel, else the user's DM.
func convKey(it store.OutboxItem) string { return it.Conversation() }

// streamKey names the stream of an item: what is delivered one message at
// a time and in order (a thread, or a conversation's top level). It is the
// store's key, so a stream the worker refuses is the one ClaimDue holds
// back.
func streamKey(it store.OutboxItem) string { return it.Stream() }
