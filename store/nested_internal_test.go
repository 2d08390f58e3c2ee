package store

import (
	"errors"
	"testing"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/kvguard"
)

// TestDataInsideInboxFails: the store's two databases nest one way only,
// the inbox's transaction inside the data's (TestTransactionsThatDoNotNest
// records an event inside an Update); a data transaction inside one of
// the inbox's is flagged, so that no two goroutines can each hold one
// and wait for the other.
func TestDataInsideInboxFails(t *testing.T) {
	s, err := Open(t.TempDir()+"/soudan.db", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !LenientGuard(s) {
		t.Fatal("the store of a test binary is not guarded")
	}
	var inner error
	err = s.inbox.View(func(kv.Tx) error {
		inner = s.View(func(*Tx) error { return nil })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var ne *kvguard.NestedError
	if !errors.As(inner, &ne) || ne.Held != InboxPath(s.Path()) || ne.DB != s.Path() {
		t.Fatalf("a data View inside an inbox View = %v, want a NestedError naming both files", inner)
	}
}
