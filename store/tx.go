package store

import (
	"fmt"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// ErrTxNotWritable means a write verb ran inside View; test it with
// errors.Is.
var ErrTxNotWritable = kv.ErrTxNotWritable

// Tx is one unit of work on the store: the domain verbs called on it
// inside one Update commit together or not at all, and those called inside
// one View see one consistent snapshot. A Tx is valid only inside the
// function passed to Update or View and must not be used by other
// goroutines.
type Tx struct {
	tx  kv.Tx
	now time.Time
	// stats are the tip index's term statistics this transaction changed,
	// written once when its function returns (tipstats.go); a Tx made
	// outside Store.run that indexes tips calls flushTermStats itself, as
	// reindexTips does.
	stats map[string]termStat
}

// Now returns the time the transaction began (Store.Now without its
// monotonic reading). Every time stamp the transaction writes is Now, so
// records written together carry the same time however long it runs.
func (tx *Tx) Now() time.Time { return tx.now }

// OnCommit registers fn to run once after the Update commits, in the order
// registered, e.g. to wake the outbox worker after enqueuing. fn never runs
// when the Update rolls back, nor inside View, which never commits.
func (tx *Tx) OnCommit(fn func()) { tx.tx.OnCommit(fn) }

// Update runs fn in a write transaction and commits it when fn returns
// nil; an error from fn rolls back everything fn did and is returned as
// is. Write transactions run one at a time. fn must not call the Store.
func (s *Store) Update(fn func(*Tx) error) error {
	return s.run(s.kv.Update, "update", fn)
}

// View runs fn in a read transaction: it sees one consistent snapshot,
// and a write verb called inside it fails with an error wrapping
// ErrTxNotWritable. An error from fn is returned as is.
func (s *Store) View(fn func(*Tx) error) error {
	return s.run(s.kv.View, "view", fn)
}

// batch is Update in a transaction bbolt may share with concurrent calls
// (DB.Batch), so that many small writes finishing at once cost one disk
// sync. fn may run more than once and must be idempotent apart from the
// store.
func (s *Store) batch(fn func(*Tx) error) error {
	return s.run(s.kv.Batch, "batch update", fn)
}

// run runs fn in a transaction started by begin (DB.Update, View or Batch)
// and wraps the errors of bbolt itself (beginning, committing) with op.
func (s *Store) run(begin func(func(kv.Tx) error) error, op string, fn func(*Tx) error) error {
	var fnErr error
	err := begin(func(btx kv.Tx) error {
		// Count each write transaction once, however many functions a
		// Batch runs in it, when it commits: a rolled-back one leaves its
		// id to the next, which must still count.
		if btx.Writable() {
			id := btx.ID()
			btx.OnCommit(func() {
				if s.lastTxID.Swap(id) != id {
					s.commits.Add(1)
				}
			})
		}
		tx := &Tx{tx: btx, now: s.now()}
		if fnErr = fn(tx); fnErr == nil {
			fnErr = tx.flushTermStats()
		}
		return fnErr
	})
	if err != nil && fnErr == nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return err
}

// writable fails with ErrTxNotWritable inside View. Write verbs check it
// before they read, so that inside View they fail whatever the data, not
// only when they come to write.
func (tx *Tx) writable() error {
	if !tx.tx.Writable() {
		return ErrTxNotWritable
	}
	return nil
}
