// Package storetest opens throwaway stores for tests.
package storetest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
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
	s, err := store.OpenPostgres(url, option(tb, opts))
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
