package store

import "github.com/soudan/soudan/store/kv"

// Engines returns the key-value databases under the store: db, which every
// transaction runs on, and the inbox's, which on PostgreSQL is the same
// database through a connection pool of its own (on bbolt, a file of its
// own). The caller that wires the binary reads an engine's own counters
// from them (pgkv's Stats, for /metrics); nothing may write through them.
func (s *Store) Engines() (db, inbox kv.DB) { return s.kv, s.inbox }
