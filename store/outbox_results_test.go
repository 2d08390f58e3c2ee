package store_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// claimAll claims every due item and fails the test unless there are want.
func claimAll(t *testing.T, s *store.Store, now time.Time, want int) []store.OutboxItem {
	t.Helper()
	claimed, err := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(now, 100, nil) })
	if err != nil || len(claimed) != want {
		t.Fatalf("ClaimDue = %d items, %v; want %d", len(claimed), err, want)
	}
	return claimed
}

func TestRecordResultsMarksAllAndReportsTheBatchDoneOnce(t *testing.T) {
	s, clk := openClocked(t)
	b, _ := mustEnqueue(t, s, store.OutboxBatch{}, dm("U1", "a"), dm("U2", "b"), dm("U3", "c"))
	other, _ := mustEnqueue(t, s, store.OutboxBatch{}, dm("U4", "d"), dm("U5", "e"))
	claimed := claimAll(t, s, clk.Now(), 5)
	next := clk.Now().Add(time.Minute)
	var items []store.OutboxItem
	var done []store.OutboxBatch
	storetest.MustUpdate(t, s, func(tx *store.Tx) (err error) {
		items, done, err = tx.Outbox().RecordResults([]store.OutboxResult{
			store.SentResult(claimed[0].ID, []byte(`{"thread":"1.1"}`)),
			store.FailedResult(claimed[1].ID, "channel_not_found"),
			store.SentResult(claimed[2].ID, nil),
			store.RetryResult(claimed[3].ID, "HTTP 502", next, true),
			store.SentResult(claimed[4].ID, nil),
		})
		return err
	})
	want := []store.OutboxStatus{store.OutboxSent, store.OutboxFailed, store.OutboxSent, store.OutboxPending, store.OutboxSent}
	for i, it := range items {
		if it.ID != claimed[i].ID || it.Status != want[i] {
			t.Errorf("item %d = %d %s, want %d %s (in the order of the results)", i, it.ID, it.Status, claimed[i].ID, want[i])
		}
	}
	if string(items[0].Result) != `{"thread":"1.1"}` || items[0].SentAt.IsZero() {
		t.Errorf("sent item = result %s at %v, want the result and a time", items[0].Result, items[0].SentAt)
	}
	if items[1].LastError != "channel_not_found" {
		t.Errorf("failed item's reason = %q, want channel_not_found", items[1].LastError)
	}
	if r := items[3]; !r.NextAttempt.Equal(next) || !r.MaybeDelivered || r.LastError != "HTTP 502" {
		t.Errorf("retried item = next %v, maybe delivered %v, reason %q; want %v, true, HTTP 502", r.NextAttempt, r.MaybeDelivered, r.LastError, next)
	}
	if len(done) != 1 || done[0].ID != b.ID || done[0].Status != store.BatchDone || done[0].Counts != (store.OutboxCounts{Sent: 2, Failed: 1}) {
		t.Errorf("done batches = %+v, want only batch %d, done with 2 sent and 1 failed", done, b.ID)
	}
	if got, _ := storetest.Read(s, func(tx *store.Tx) (store.OutboxBatch, error) { return tx.Outbox().Batch(other.ID) }); got.Counts != (store.OutboxCounts{Pending: 1, Sent: 1}) || got.Status != store.BatchActive {
		t.Errorf("other batch = %+v, want active with 1 pending and 1 sent", got)
	}
}

func TestRecordResultsAbortTogether(t *testing.T) {
	s, clk := openClocked(t)
	_, _ = mustEnqueue(t, s, store.OutboxBatch{}, dm("U1", "a"), dm("U2", "b"), dm("U3", "c"))
	claimed := claimAll(t, s, clk.Now(), 3)
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.OutboxItem, error) {
		return tx.Outbox().MarkFailed(claimed[2].ID, "user_not_found")
	}); err != nil {
		t.Fatal(err)
	}
	// The third result cannot be recorded (the item is no longer sending):
	// the first two, recorded before it in the same group, roll back.
	err := s.Update(func(tx *store.Tx) error {
		_, _, err := tx.Outbox().RecordResults([]store.OutboxResult{
			store.SentResult(claimed[0].ID, nil),
			store.SentResult(claimed[1].ID, nil),
			store.RetryResult(claimed[2].ID, "timeout", clk.Now(), true),
		})
		return err
	})
	if err == nil {
		t.Fatalf("RecordResults with a failed item's retry: got nil error, want one")
	}
	// So does a group whose transaction fails after recording them.
	boom := errors.New("boom")
	err = s.Update(func(tx *store.Tx) error {
		if _, _, err := tx.Outbox().RecordResults([]store.OutboxResult{store.SentResult(claimed[0].ID, nil), store.SentResult(claimed[1].ID, nil)}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	doubt, err := storetest.Read(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().InDoubt() })
	if err != nil || len(doubt) != 2 || doubt[0].ID != claimed[0].ID || doubt[1].ID != claimed[1].ID {
		t.Errorf("in doubt after the aborted groups = %+v, %v; want a and b still sending", doubt, err)
	}
	if err := s.Update(func(tx *store.Tx) error {
		_, _, err := tx.Outbox().RecordResults([]store.OutboxResult{{ID: claimed[0].ID, Status: store.OutboxCancelled}})
		return err
	}); err == nil {
		t.Errorf("RecordResults with a cancelled status: got nil error, want one")
	}
	err = s.View(func(tx *store.Tx) error {
		_, _, err := tx.Outbox().RecordResults([]store.OutboxResult{store.SentResult(claimed[0].ID, nil)})
		return err
	})
	if !errors.Is(err, store.ErrTxNotWritable) {
		t.Errorf("RecordResults inside View = %v, want ErrTxNotWritable", err)
	}
}

func TestRecordedResultsSurviveARestartTogether(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	opt := store.Options{Now: func() time.Time { return t0 }}
	s, err := store.Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, []store.OutboxItem, error) {
		return tx.Outbox().Enqueue(nil, []store.OutboxItem{dm("U1", "a"), dm("U2", "b"), dm("U3", "c")})
	}); err != nil {
		t.Fatal(err)
	}
	claimed := claimAll(t, s, t0, 3)
	// a and b are recorded in one group; c's send was under way when the
	// process stopped.
	if err := s.Update(func(tx *store.Tx) error {
		_, _, err := tx.Outbox().RecordResults([]store.OutboxResult{store.SentResult(claimed[0].ID, nil), store.FailedResult(claimed[1].ID, "user_not_found")})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = store.Open(path, opt); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for key, want := range map[string]store.OutboxStatus{"a": store.OutboxSent, "b": store.OutboxFailed, "c": store.OutboxSending} {
		if it, err := storetest.Read(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().ItemByKey(key) }); err != nil || it.Status != want {
			t.Errorf("%s after a restart = %s, %v; want %s", key, it.Status, err, want)
		}
	}
	if doubt, _ := storetest.Read(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().InDoubt() }); len(doubt) != 1 || doubt[0].Key != "c" {
		t.Errorf("in doubt after a restart = %+v, want c only", doubt)
	}
}
