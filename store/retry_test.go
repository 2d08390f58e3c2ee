package store_test

import (
	"slices"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv/kvretry"
)

// TestWriteTransactionsRerunUnderRetry: under SOUDAN_TEST_RETRY=1 every
// write transaction of the store (Update, Batch, the inbox's) runs its
// function twice, the first attempt rolled back with its writes and its
// commit hooks; without it, once. Either way one transaction commits,
// once, with the last run's hooks.
func TestWriteTransactionsRerunUnderRetry(t *testing.T) {
	s, _ := openClocked(t)
	want := 1
	if kvretry.Enabled() {
		want = 2
	}
	for _, c := range []struct {
		name  string
		begin func(func(*store.Tx) error) error
	}{{"Update", s.Update}, {"Batch", s.Batch}} {
		t.Run(c.name, func(t *testing.T) {
			commits := s.Commits()
			var runs, firsts int
			var hooks []int
			err := c.begin(func(tx *store.Tx) error {
				runs++
				run := runs
				first, err := tx.Events().Mark("Ev-"+c.name, "")
				if err != nil {
					return err
				}
				if first {
					firsts++
				}
				tx.OnCommit(func() { hooks = append(hooks, run) })
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if runs != want {
				t.Errorf("the function ran %d times, want %d", runs, want)
			}
			if firsts != runs {
				t.Errorf("%d of %d runs found the event unmarked: a rolled-back run's mark stayed", firsts, runs)
			}
			if wantHooks := []int{runs}; !slices.Equal(hooks, wantHooks) {
				t.Errorf("hooks of runs %v ran, want %v (the last run's alone)", hooks, wantHooks)
			}
			if n := s.Commits() - commits; n != 1 {
				t.Errorf("Commits() grew by %d, want 1", n)
			}
		})
	}
	t.Run("inbox", func(t *testing.T) {
		// Record runs its function in the inbox's own database: recorded
		// twice or once, the entry is recorded once, first.
		_, first, err := s.Inbox().Record(store.InboxEntry{Key: "Ev-inbox", Message: []byte(`{}`)})
		if err != nil {
			t.Fatal(err)
		}
		if !first {
			t.Error("Record: first = false for a new entry: a rolled-back run's record stayed")
		}
		_, first, err = s.Inbox().Record(store.InboxEntry{Key: "Ev-inbox", Message: []byte(`{}`)})
		if err != nil || first {
			t.Errorf("Record again: first = %v, %v; want false, nil", first, err)
		}
	})
}
