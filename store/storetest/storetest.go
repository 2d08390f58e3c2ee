// Package storetest opens throwaway stores for tests.
package storetest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
	"github.com/soudan/soudan/store/pgstore"
)

// EnvEngine names the engine MustOpen's stores run on: "postgres" for
// a new database on PostgreSQL (see store/kv/pgkv/pgtest: the package's
// TestMain must call pgtest.Main), "bbolt" or nothing for a file.
const EnvEngine = "SOUDAN_TEST_STORE"

// MustOpen opens a store on a new file in tb.TempDir() (or a new
// PostgreSQL database, see EnvEngine) and closes it when the test ends.
// It takes at most one store.Options; the test fails at once if the store
// cannot be opened.
func MustOpen(tb testing.TB, opts ...store.Options) *store.Store {
	tb.Helper()
	switch e := os.Getenv(EnvEngine); e {
	case "", "bbolt":
		return MustOpenFile(tb, opts...)
	case "postgres":
		return MustOpenPostgres(tb, opts...)
	default:
		tb.Fatalf("storetest: %s=%q, want bbolt or postgres", EnvEngine, e)
		return nil
	}
}

// MustOpenFile is MustOpen on a bbolt file whatever EnvEngine says.
func MustOpenFile(tb testing.TB, opts ...store.Options) *store.Store {
	tb.Helper()
	s, err := store.Open(filepath.Join(tb.TempDir(), "soudan.db"), option(tb, opts))
	return closed(tb, s, err)
}

// MustOpenPostgres is MustOpen on a new PostgreSQL database whatever
// EnvEngine says; it skips tb when no PostgreSQL can be had (pgtest.URL).
func MustOpenPostgres(tb testing.TB, opts ...store.Options) *store.Store {
	tb.Helper()
	url := pgtest.URL(tb)
	s, err := pgstore.Open(url, option(tb, opts))
	return closed(tb, s, err)
}

// option returns the one store.Options of opts, or the zero one.
func option(tb testing.TB, opts []store.Options) store.Options {
	tb.Helper()
	switch len(opts) {
	case 0:
		return store.Options{}
	case 1:
		return opts[0]
	}
	tb.Fatalf("storetest.MustOpen: got %d options, want at most 1", len(opts))
	return store.Options{}
}

// closed fails tb on err, else closes s when tb ends.
func closed(tb testing.TB, s *store.Store, err error) *store.Store {
	tb.Helper()
	if err != nil {
		tb.Fatalf("storetest.MustOpen: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("storetest: close store: %v", err)
		}
	})
	return s
}

// The helpers below run one function in one transaction of a test's
// store. A test that only needs a value and fails on any error takes
// View or Update (or MustView, MustUpdate for a function with no value);
// one that checks the error itself takes Read or Write, with Read2 and
// Write2 for verbs of two values.

// MustUpdate runs fn in one write transaction of s; the test fails at once
// if it returns an error (and nothing fn did is stored).
func MustUpdate(tb testing.TB, s *store.Store, fn func(tx *store.Tx) error) {
	tb.Helper()
	if err := s.Update(fn); err != nil {
		tb.Fatalf("update: %v", err)
	}
}

// MustView runs fn in one read transaction of s; the test fails at once
// if it returns an error.
func MustView(tb testing.TB, s *store.Store, fn func(tx *store.Tx) error) {
	tb.Helper()
	if err := s.View(fn); err != nil {
		tb.Fatalf("view: %v", err)
	}
}

// Update returns what fn returns in one write transaction of s; the test
// fails at once if fn returns an error.
func Update[T any](tb testing.TB, s *store.Store, fn func(tx *store.Tx) (T, error)) T {
	tb.Helper()
	v, err := Write(s, fn)
	if err != nil {
		tb.Fatalf("update: %v", err)
	}
	return v
}

// View returns what fn reads in one read transaction of s; the test fails
// at once if fn returns an error.
func View[T any](tb testing.TB, s *store.Store, fn func(tx *store.Tx) (T, error)) T {
	tb.Helper()
	v, err := Read(s, fn)
	if err != nil {
		tb.Fatalf("view: %v", err)
	}
	return v
}

// Read returns what fn reads in one read transaction of s, and its error.
func Read[T any](s *store.Store, fn func(tx *store.Tx) (T, error)) (T, error) {
	v, _, err := Read2(s, func(tx *store.Tx) (T, struct{}, error) {
		v, err := fn(tx)
		return v, struct{}{}, err
	})
	return v, err
}

// Write returns what fn returns in one write transaction of s, and its
// error; an error rolls back everything fn did.
func Write[T any](s *store.Store, fn func(tx *store.Tx) (T, error)) (T, error) {
	v, _, err := Write2(s, func(tx *store.Tx) (T, struct{}, error) {
		v, err := fn(tx)
		return v, struct{}{}, err
	})
	return v, err
}

// Read2 is Read for a function of two values.
func Read2[A, B any](s *store.Store, fn func(tx *store.Tx) (A, B, error)) (A, B, error) {
	return run2(s.View, fn)
}

// Write2 is Write for a function of two values.
func Write2[A, B any](s *store.Store, fn func(tx *store.Tx) (A, B, error)) (A, B, error) {
	return run2(s.Update, fn)
}

// run2 runs fn in a transaction begun by run and returns its values, or
// zero values with the error: a rolled-back write has no results.
func run2[A, B any](run func(func(*store.Tx) error) error, fn func(tx *store.Tx) (A, B, error)) (A, B, error) {
	var a A
	var b B
	err := run(func(tx *store.Tx) (err error) {
		a, b, err = fn(tx)
		return err
	})
	if err != nil {
		var za A
		var zb B
		return za, zb, err
	}
	return a, b, nil
}
