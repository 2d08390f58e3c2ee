// Package storetest opens throwaway stores for tests.
package storetest

import (
	"path/filepath"
	"testing"

	"github.com/soudan/soudan/store"
)

// MustOpen opens a store on a new file in tb.TempDir() and closes it when
// the test ends. It takes at most one store.Options; the test fails at once
// if the store cannot be opened.
func MustOpen(tb testing.TB, opts ...store.Options) *store.Store {
	tb.Helper()
	var opt store.Options
	switch len(opts) {
	case 0:
	case 1:
		opt = opts[0]
	default:
		tb.Fatalf("storetest.MustOpen: got %d options, want at most 1", len(opts))
	}
	s, err := store.Open(filepath.Join(tb.TempDir(), "soudan.db"), opt)
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
