package store

import "github.com/soudan/soudan/store/kv"

// Engines returns the key-value databases under s: db, which every
// transaction runs on, and the inbox's, which on PostgreSQL is the same
// database through a connection pool of its own (on bbolt, a file of its
// own). The binary's wiring reads an engine's own counters from them
// (pgkv's Stats, for /metrics); nothing may write through them. It is a
// function, not a method: *Store's methods are its door to transactions.
func Engines(s *Store) (db, inbox kv.DB) { return s.kv, s.inbox }
