// Package pgstore opens soudan's store on PostgreSQL (store/kv/pgkv).
// It lives outside package store, which knows only the key-value seam
// (and bbolt, for its own file): the engine is chosen by whoever opens the
// store (cmd/soudan, cmd/intake, store/storetest), as DESIGN.md says, and
// internal/archtest checks that store imports no other engine.
package pgstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv/pgkv"
)

// inboxConns bounds the inbox's own connection pool: records of
// concurrent events commit together in few transactions, so a few
// connections carry hundreds of events a second.
const inboxConns = 8

// connectTimeout bounds connecting and creating the tables.
const connectTimeout = time.Minute

// IsURL reports whether where names a PostgreSQL database
// (postgres://... or postgresql://...) rather than a bbolt file.
func IsURL(where string) bool {
	return strings.HasPrefix(where, "postgres://") || strings.HasPrefix(where, "postgresql://")
}

// Open opens the store on the PostgreSQL database at url
// (postgres://user:password@host/db?sslmode=...), creating its tables and
// running pending migrations. Several soudan processes may open the same
// database.
func Open(url string, opt store.Options) (*store.Store, error) {
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
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
	s, err := store.OpenDB(db, inbox, opt)
	if err != nil {
		inbox.Close()
		db.Close()
		return nil, err
	}
	return s, nil
}
