package outbox_test

import (
	"testing"
	"time"

	"github.com/soudan/soudan/internal/outbox"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestAClaimThatTakesNothingCommitsNothing: the worker looks for due
// items all the time; a look that finds none, or none it accepts, rolls
// back instead of costing a disk sync, and one that takes items commits
// them once.
func TestAClaimThatTakesNothingCommitsNothing(t *testing.T) {
	st := storetest.MustOpen(t)
	s := outbox.Transactional(st)
	// A minute on, so that what is queued below is due.
	now := st.Now().Add(time.Minute)
	never := func(string) bool { return false }
	claim := func(accept func(store.OutboxItem) bool) ([]store.OutboxItem, uint64) {
		t.Helper()
		before := st.Commits()
		items, err := s.ClaimDue(now, 10, outbox.Claim{Skip: never, Accept: accept})
		if err != nil {
			t.Fatalf("ClaimDue: %v", err)
		}
		return items, st.Commits() - before
	}
	if items, commits := claim(func(store.OutboxItem) bool { return true }); len(items) != 0 || commits != 0 {
		t.Errorf("empty outbox: claimed %d in %d commits, want none in none", len(items), commits)
	}
	if _, _, err := s.EnqueueOutbox(nil, []store.OutboxItem{{Platform: "slack", User: "U1", Key: "k1", Payload: []byte(`{"Text":"お知らせ"}`)}}); err != nil {
		t.Fatal(err)
	}
	if items, commits := claim(func(store.OutboxItem) bool { return false }); len(items) != 0 || commits != 0 {
		t.Errorf("nothing accepted: claimed %d in %d commits, want none in none", len(items), commits)
	}
	if items, commits := claim(func(store.OutboxItem) bool { return true }); len(items) != 1 || commits != 1 {
		t.Errorf("one due item: claimed %d in %d commits, want 1 in 1", len(items), commits)
	}
}
