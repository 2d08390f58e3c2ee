package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/pgkv"
)

// ErrNotFile means an operation only a bbolt file has (backup, compaction,
// its path) was asked of a store on another engine, whose own tools do
// that work (pg_dump for PostgreSQL).
var ErrNotFile = errors.New("store: the store is not a bbolt file")

// OpenDB opens the store on db, an engine other than the default bbolt
// file (store/kv/pgkv), and runs pending migrations, as Open does on a
// file. Closing the store closes db. Options.Timeout and Options.Check
// are a file's and are ignored.
func OpenDB(db kv.DB, opt Options) (*Store, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return openDB(db, db, opt)
}

// openDB is OpenDB with the inbox's database, which may be db itself.
func openDB(db, inbox kv.DB, opt Options) (*Store, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	s := &Store{kv: db, inbox: inbox, Now: opt.Now}
	if err := s.prepare(opt, migrations); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return s, nil
}

// inboxConns bounds the inbox's own connection pool on PostgreSQL:
// records of concurrent events commit together in few transactions, so a
// few connections carry hundreds of events a second.
const inboxConns = 8

// IsPostgresURL reports whether where names a PostgreSQL database rather
// than a bbolt file.
func IsPostgresURL(where string) bool {
	return strings.HasPrefix(where, "postgres://") || strings.HasPrefix(where, "postgresql://")
}

// OpenPostgres opens the store on the PostgreSQL database at url
// (postgres://user:password@host/db?sslmode=...), creating its tables and
// running pending migrations. Several soudan processes may open the same
// database.
func OpenPostgres(url string, opt Options) (*Store, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := pgkv.Open(ctx, url, pgkv.Options{})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	// The inbox's rows live in the same database, but its records go
	// through a pool of their own: an event's acknowledgement never waits
	// for a connection that a long handler transaction holds.
	inbox, err := pgkv.Open(ctx, url, pgkv.Options{MaxConns: inboxConns})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store: inbox: %w", err)
	}
	s, err := openDB(db, inbox, opt)
	if err != nil {
		inbox.Close()
		db.Close()
		return nil, err
	}
	return s, nil
}

// Ping reports whether the database answers: always for a file, a round
// trip for a server. A readiness probe asks it, so that a replica that
// lost its database stops taking events it could not store.
func (s *Store) Ping(ctx context.Context) error {
	p, ok := s.kv.(interface{ Ping(context.Context) error })
	if !ok {
		return nil
	}
	if err := p.Ping(ctx); err != nil {
		return fmt.Errorf("store: database unreachable: %w", err)
	}
	return nil
}

// Engine names the store's engine: "bbolt" or "postgres".
func (s *Store) Engine() string {
	if s.db != nil {
		return "bbolt"
	}
	if _, ok := s.kv.(*pgkv.DB); ok {
		return "postgres"
	}
	return fmt.Sprintf("%T", s.kv)
}
