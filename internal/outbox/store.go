package outbox

import (
	"errors"
	"time"

	"github.com/soudan/soudan/store"
)

// Store is what a Worker needs of the store: enqueuing, claiming due items
// and recording the results of attempts, many at once, each in a
// transaction of its own. Transactional makes one of a *store.Store; a test
// may wrap it to count or refuse calls.
type Store interface {
	EnqueueOutbox(b *store.OutboxBatch, items []store.OutboxItem) (store.OutboxBatch, []store.OutboxItem, error)
	ClaimDue(now time.Time, n int, c Claim) ([]store.OutboxItem, error)
	NextDue() (time.Time, bool, error)
	InDoubt() ([]store.OutboxItem, error)
	RecordResults(results []store.OutboxResult, also func(*store.Tx) error) ([]store.OutboxItem, []store.OutboxBatch, error)
	OutboxBatch(id uint64) (store.OutboxBatch, error)
	CancelBatch(id uint64) (store.OutboxBatch, int, error)
}

// Claim is what one claim asks of the due items it walks (see
// store.Outbox.ClaimDueSkipping for Skip and Accept). The claim's write
// transaction may run more than once, as any may: bbolt's Batch reruns a
// function alone, PostgreSQL retries a serialization failure. So every run
// starts with Begin, when set, where the caller undoes what Skip and
// Accept decided in a run that did not commit (streams marked busy, rate
// tokens taken): else a rerun would refuse the very items the first run
// accepted, and their streams would wait forever.
type Claim struct {
	Begin  func()
	Skip   func(stream string) bool
	Accept func(store.OutboxItem) bool
}

// Transactions is the store's door: read and write transactions.
// *store.Store implements it.
type Transactions interface {
	View(fn func(tx *store.Tx) error) error
	Update(fn func(tx *store.Tx) error) error
}

var _ Transactions = (*store.Store)(nil)

// batcher is a Transactions whose write transactions may share one commit
// with concurrent ones (*store.Store's Batch, which the handlers' commits
// use): fn may then run more than once, each time in a new transaction.
type batcher interface {
	Batch(fn func(tx *store.Tx) error) error
}

var _ batcher = (*store.Store)(nil)

// Transactional returns the Store a Worker uses on db: each method runs
// the outbox verb of its name (store.Outbox) in a transaction of its own.
func Transactional(db Transactions) Store { return transactional{db: db} }

// Leased returns the Store that each of several replicas sharing one
// database gives its Worker: its claims lease the items to replica (a
// name unique among the running replicas, stable across restarts where
// it can be) for lease, and its InDoubt returns the items it may settle:
// those whose lease lapsed, whichever replica claimed them, and its own
// (store.Outbox.Lapsed). Give the Worker the same Options.Lease, so that
// it looks for lapsed leases while it runs, not only at its start. lease
// must be longer than a claim takes to be sent and recorded: the rate
// wait, SendTimeout and the record's commit.
func Leased(db Transactions, replica string, lease time.Duration) Store {
	return transactional{db: db, replica: replica, lease: lease}
}

type transactional struct {
	db      Transactions
	replica string
	lease   time.Duration
}

// outbox is tx's outbox verbs, leased when s is.
func (s transactional) outbox(tx *store.Tx) store.Outbox {
	if s.replica == "" {
		return tx.Outbox()
	}
	return tx.Outbox().Leased(s.replica, s.lease)
}

func (s transactional) EnqueueOutbox(b *store.OutboxBatch, items []store.OutboxItem) (batch store.OutboxBatch, queued []store.OutboxItem, err error) {
	err = s.db.Update(func(tx *store.Tx) (err error) {
		batch, queued, err = tx.Outbox().Enqueue(b, items)
		return err
	})
	if err != nil {
		return store.OutboxBatch{}, nil, err
	}
	return batch, queued, nil
}

// errNothingClaimed rolls back a claim that took nothing.
var errNothingClaimed = errors.New("nothing claimed")

// ClaimDue claims in a write transaction; a claim that takes nothing rolls
// back, so a look that finds nothing to send costs no disk sync.
func (s transactional) ClaimDue(now time.Time, n int, c Claim) ([]store.OutboxItem, error) {
	var items []store.OutboxItem
	err := s.db.Update(func(tx *store.Tx) (err error) {
		if c.Begin != nil {
			c.Begin()
		}
		if items, err = s.outbox(tx).ClaimDueSkipping(now, n, c.Skip, c.Accept); err == nil && len(items) == 0 {
			return errNothingClaimed
		}
		return err
	})
	switch {
	case errors.Is(err, errNothingClaimed):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return items, nil
}

func (s transactional) NextDue() (at time.Time, ok bool, err error) {
	err = s.db.View(func(tx *store.Tx) (err error) {
		at, ok, err = tx.Outbox().NextDue()
		return err
	})
	if err != nil {
		return time.Time{}, false, err
	}
	return at, ok, nil
}

func (s transactional) InDoubt() (items []store.OutboxItem, err error) {
	err = s.db.View(func(tx *store.Tx) (err error) {
		if s.replica != "" {
			items, err = s.outbox(tx).Lapsed(0, true)
		} else {
			items, err = tx.Outbox().InDoubt()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return items, nil
}

// RecordResults records results in one write transaction, followed in
// the same transaction by also (nil for nothing): what the deliveries make
// true, such as where a card landed, commits with them. Where the store
// can, the transaction shares its commit (one disk sync) with the
// handlers' commits under way (Batch): on a busy bot a group of results
// then costs no sync of its own, where it took one of the few a disk
// gives per second from them. also may then run more than once, each time
// in a new transaction, as a handler's commit may.
func (s transactional) RecordResults(results []store.OutboxResult, also func(*store.Tx) error) (items []store.OutboxItem, done []store.OutboxBatch, err error) {
	write := s.db.Update
	if b, ok := s.db.(batcher); ok {
		write = b.Batch
	}
	err = write(func(tx *store.Tx) (err error) {
		if items, done, err = tx.Outbox().RecordResults(results); err != nil {
			return err
		}
		if also != nil {
			return also(tx)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return items, done, nil
}

// Lapsed returns the items whose lease lapsed, to take over (leased
// stores only; see Leased).
func (s transactional) Lapsed() (items []store.OutboxItem, err error) {
	err = s.db.View(func(tx *store.Tx) (err error) {
		items, err = s.outbox(tx).Lapsed(0, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return items, nil
}

func (s transactional) OutboxBatch(id uint64) (b store.OutboxBatch, err error) {
	err = s.db.View(func(tx *store.Tx) (err error) {
		b, err = tx.Outbox().Batch(id)
		return err
	})
	if err != nil {
		return store.OutboxBatch{}, err
	}
	return b, nil
}

func (s transactional) CancelBatch(id uint64) (b store.OutboxBatch, n int, err error) {
	err = s.db.Update(func(tx *store.Tx) (err error) {
		b, n, err = tx.Outbox().CancelBatch(id)
		return err
	})
	if err != nil {
		return store.OutboxBatch{}, 0, err
	}
	return b, n, nil
}
