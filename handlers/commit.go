package handlers

import (
	"context"

	"github.com/soudan/soudan/store"
)

// Commit runs fn in the one transaction that holds everything the event
// being handled causes (records, the outbox items of every message it
// sends on its own initiative, audit lines) together with the event's done
// mark: all of it is stored, or none and the event is handled again (its
// inbox entry, in the inbox's own store, goes once the handler returns). Concurrent events' commits share a disk
// sync (store.Batch), so fn may run more than once and must do the same
// each time. Replies within the turn go after Commit returns. Outside an
// event (a job), Commit is a plain shared commit.
func (k *Kit) Commit(ctx context.Context, fn func(tx *store.Tx) error) error {
	return k.Store.Batch(func(tx *store.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return k.FinishTx(ctx, tx)
	})
}

// FinishTx marks the event being handled as done, in tx; once tx
// commits, the middleware writes nothing more for the event.
func (k *Kit) FinishTx(ctx context.Context, tx *store.Tx) error {
	s, ok := ctx.Value(sessionKey{}).(*session)
	if !ok || s.msgID == "" {
		return nil
	}
	if err := tx.Events().Finish(s.msgID); err != nil {
		return err
	}
	tx.OnCommit(func() { s.finished = true })
	return nil
}

// View runs fn in a read transaction: everything fn reads comes from one
// consistent snapshot of the store. With Commit it is a feature's door to
// the store.
func (k *Kit) View(fn func(tx *store.Tx) error) error { return k.Store.View(fn) }

// Read returns what fn reads in one read transaction (Kit.View), for a
// handler that needs one value: Read(a.Kit, (*store.Tx).ClosedDays).
func Read[T any](k *Kit, fn func(tx *store.Tx) (T, error)) (T, error) {
	var v T
	err := k.Store.View(func(tx *store.Tx) (err error) {
		v, err = fn(tx)
		return err
	})
	return v, err
}

// ReadIn runs fn in tx, the caller's transaction, or when tx is nil in a
// read transaction of its own (Read). Helpers called both inside and
// outside Commit read through it: a transaction opened inside another
// holds a second database connection on PostgreSQL, and enough handlers
// doing so at once take every connection of the pool and wait for one
// another forever (bbolt, with no pool, does not show it).
func ReadIn[T any](k *Kit, tx *store.Tx, fn func(tx *store.Tx) (T, error)) (T, error) {
	if tx != nil {
		return fn(tx)
	}
	return Read(k, fn)
}

// Transactions is the store as a command-line task (an import, an
// export, the demo data) sees it: read and write transactions, nothing
// else. *store.Store satisfies it; such tasks take it, so no feature names
// store.Store.
type Transactions interface {
	View(fn func(tx *store.Tx) error) error
	Update(fn func(tx *store.Tx) error) error
}
