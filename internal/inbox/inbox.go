// Package inbox records every incoming event in the store before its
// platform is acknowledged, and handles again after a restart what was
// recorded and not handled: nothing acknowledged is lost to a crash, a
// kill or a stop.
//
// An adapter whose dispatcher is an *Inbox (a bot.Intake) calls Record,
// acknowledges, then Dispatch. Records go to the store's inbox
// (store.Inbox: on bbolt a file of its own beside the data file), whose
// commits are shared by concurrent records and never wait behind the
// handlers' or the outbox's. The handler's commit marks the event done in
// the data store; Dispatch then drops the entry, so an event is either
// still in the inbox or done, never neither (both after a crash between
// the two: handled again, a done event changes nothing). When more than MaxDepth events are
// recorded and not handled, Record refuses (bot.ErrBusy) and the adapter
// makes the platform deliver it again later, instead of queueing without
// bound in memory.
package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// DefaultMaxDepth is how many recorded, unhandled events the inbox holds
// before it refuses more.
const DefaultMaxDepth = 5000

// Options configure an Inbox.
type Options struct {
	Store      *store.Store
	Dispatcher bot.Dispatcher // the router
	Log        *slog.Logger
	MaxDepth   int // default DefaultMaxDepth
	// OnReceive, when set, is told of every event an adapter offers to
	// Record (a platform's retries and refused events too), by platform
	// and kind (bot.Kind's String): for metrics. It must not block.
	OnReceive func(platform, kind string)
	// Ping tells whether the data store answers; nil: Store.Ping. A
	// handler that failed while it does not keeps its entry (tests set it
	// to play a database that goes away).
	Ping func(context.Context) error
	// Replica names this process among replicas sharing one database
	// (PostgreSQL): the entries it records are its own, its start takes
	// its own leftovers and those of replicas whose heartbeat lapsed, and
	// KeepAlive renews its heartbeat. Empty: one process owns the inbox.
	Replica string
	// Heartbeat is how long a replica's heartbeat lasts (DefaultHeartbeat
	// when zero): a replica cut off from the database for longer has its
	// entries taken over by the others.
	Heartbeat time.Duration
}

// DefaultHeartbeat is how long a replica's heartbeat lasts unless
// renewed. A replica renews it every third of that, so one slow round
// does not let it lapse; a replica stopped or cut off from the database
// for longer hands its acknowledged events to the others.
const DefaultHeartbeat = 15 * time.Second

// Inbox is the durable intake in front of the router.
type Inbox struct {
	st    *store.Store
	d     bot.Dispatcher
	onRcv func(platform, kind string)
	log   *slog.Logger
	max   int64
	depth atomic.Int64 // recorded and not yet handled
	live  sync.Map     // keys recorded by this process and not yet handled
	ping  func(context.Context) error
	// kept are the keys of entries Dispatch kept on disk because the
	// store did not answer; RetryKept handles them when it does again.
	kept sync.Map
	// own is the store's inbox as this replica's (Options.Replica).
	own       store.Inbox
	heartbeat time.Duration
}

var _ bot.Intake = (*Inbox)(nil)

// New returns an inbox in front of opt.Dispatcher. Entries left by an
// earlier run count towards its depth until Resume handles them.
func New(opt Options) (*Inbox, error) {
	if opt.Store == nil || opt.Dispatcher == nil {
		return nil, errors.New("inbox: Options.Store and Options.Dispatcher are required")
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.MaxDepth <= 0 {
		opt.MaxDepth = DefaultMaxDepth
	}
	if opt.Ping == nil {
		opt.Ping = opt.Store.Ping
	}
	if opt.Heartbeat <= 0 {
		opt.Heartbeat = DefaultHeartbeat
	}
	in := &Inbox{st: opt.Store, d: opt.Dispatcher, log: opt.Log, max: int64(opt.MaxDepth), onRcv: opt.OnReceive, ping: opt.Ping,
		own: opt.Store.Inbox().Owned(opt.Replica), heartbeat: opt.Heartbeat}
	if opt.Replica != "" {
		// The shared inbox holds the other replicas' entries too: this
		// one counts what Pending hands it.
		return in, nil
	}
	n, err := in.st.Inbox().Len()
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	in.depth.Store(int64(n))
	return in, nil
}

// Key is the inbox key of m: its platform and event id.
func Key(m *bot.Message) string { return m.Address.Platform + ":" + m.ID }

// Depth is how many recorded events are not handled yet.
func (in *Inbox) Depth() int { return int(in.depth.Load()) }

// Record stores m durably before the adapter acknowledges it. A message
// without an event id cannot be told from a retry and is not recorded:
// Record reports true and the adapter dispatches it as before.
func (in *Inbox) Record(ctx context.Context, m *bot.Message, origin []byte) (bool, error) {
	if in.onRcv != nil {
		in.onRcv(m.Address.Platform, m.Kind.String())
	}
	if m.ID == "" {
		return true, nil
	}
	if in.depth.Load() >= in.max {
		return false, bot.ErrBusy
	}
	m.Inbox = Key(m)
	payload, err := json.Marshal(m)
	if err != nil {
		return false, fmt.Errorf("inbox: encode %s: %w", m.Inbox, err)
	}
	// A retry of an event handled already is acknowledged and dropped. A
	// read does not wait for the data store's writer. (A retry that comes
	// while the first delivery's commit is under way is recorded again;
	// handled again, it changes nothing.)
	var done bool
	if err := in.st.View(func(tx *store.Tx) (err error) { done, err = tx.Events().Done(m.ID); return err }); err != nil {
		return false, fmt.Errorf("inbox: record %s: %w", m.Inbox, err)
	}
	if done {
		return false, nil
	}
	_, first, err := in.own.Record(store.InboxEntry{Key: m.Inbox, Platform: m.Address.Platform, Message: payload, Origin: origin})
	if err != nil {
		return false, fmt.Errorf("inbox: record %s: %w", m.Inbox, err)
	}
	if first {
		in.depth.Add(1)
		in.live.Store(m.Inbox, struct{}{})
	}
	return first, nil
}

// Dispatch handles m through the router, whose commit marks the event
// done in the data store, then drops m's entry from the inbox. When the
// handler fails for a defect the entry goes all the same, as it did when
// it went in the handler's commit: a retry of the platform, not a loop of
// restarts, handles it again. When it fails because the run is stopping
// or the database does not answer (or its transactions kept conflicting
// with other replicas': store.Passing), the entry stays on disk:
// RetryKept handles it once the database answers again, or the next start
// does. An acknowledged event is not dropped for want of a database.
func (in *Inbox) Dispatch(ctx context.Context, m *bot.Message, r bot.Responder) error {
	err := in.d.Dispatch(ctx, m, r)
	if m.Inbox == "" {
		return err
	}
	if _, ok := in.live.Load(m.Inbox); !ok {
		return err
	}
	if err != nil && (store.Passing(err) || in.unavailable(ctx)) {
		in.log.Warn("inbox: an event not handled stays on disk until the database answers", "key", m.Inbox, "err", err)
		if _, ok := in.live.LoadAndDelete(m.Inbox); ok {
			in.depth.Add(-1)
		}
		if ctx.Err() == nil {
			in.kept.Store(m.Inbox, struct{}{})
		}
		return err
	}
	in.drop(m.Inbox)
	return err
}

// unavailable reports whether the run is stopping or the store does not
// answer.
func (in *Inbox) unavailable(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return in.ping(pctx) != nil
}

// drop removes an entry whose event was handled (or cannot be), and
// counts it out of the depth once it is gone from disk, so a too-deep
// inbox keeps refusing until the room is really there.
func (in *Inbox) drop(key string) {
	if err := in.st.Inbox().Done(key); err != nil {
		// The entry stays on disk and is looked at again at the next
		// start, where its done mark drops it; this run counts it out.
		in.log.Error("inbox: drop entry", "key", key, "err", err)
	}
	if _, ok := in.live.LoadAndDelete(key); ok {
		in.depth.Add(-1)
	}
}
