package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// ErrNotFile means an operation only a bbolt file has (backup, compaction,
// its path) was asked of a store on another engine, whose own tools do
// that work (pg_dump for PostgreSQL).
var ErrNotFile = errors.New("store: the store is not a bbolt file")

// OpenDB opens the store on db, an engine other than the default bbolt
// file (store/pgstore opens it on PostgreSQL), and runs pending
// migrations, as Open does on a file. inbox is the inbox's own database
// (see Inbox), so that recording an event never waits for the data's
// transactions: on PostgreSQL the same database through a connection
// pool of its own. A nil inbox means db holds the inbox too. Closing the
// store closes both; when OpenDB fails, the caller closes them.
// Options.Timeout and Options.Check are a file's and are ignored.
func OpenDB(db, inbox kv.DB, opt Options) (*Store, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	// In test binaries each database is guarded against nested
	// transactions, and retried when asked (testWrap); one database
	// serving both is one guard.
	s := &Store{kv: testWrap(db, "data"), Now: opt.Now}
	s.inbox = s.kv
	if inbox != nil {
		s.inbox = testWrap(inbox, "inbox")
		guardOrder(s)
	}
	if err := s.prepare(opt, migrations); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return s, nil
}

// Ping reports whether the database answers: always for a file, a round
// trip for a server. A readiness probe asks it, so that a replica that
// lost its database stops taking events it could not store.
func (s *Store) Ping(ctx context.Context) error {
	if err := kv.Ping(ctx, s.kv); err != nil {
		return fmt.Errorf("store: database unreachable: %w", err)
	}
	return nil
}

// Engine names the store's engine: "bbolt", "postgres", or what the
// database given to OpenDB calls itself (an Engine method), else its type.
func (s *Store) Engine() string { return kv.Engine(s.kv) }
