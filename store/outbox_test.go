package store_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// dm is an outbox item to a Slack user's DM with a key.
func dm(user, key string) store.OutboxItem {
	return store.OutboxItem{Platform: "slack", Workspace: "T1", User: user, Key: key, Payload: []byte(`{"text":"お知らせ"}`)}
}

// mustEnqueue enqueues items under a new batch of kind "broadcast".
func mustEnqueue(t *testing.T, s *store.Store, b store.OutboxBatch, items ...store.OutboxItem) (store.OutboxBatch, []store.OutboxItem) {
	t.Helper()
	if b.Kind == "" {
		b.Kind = "broadcast"
	}
	got, out, err := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, []store.OutboxItem, error) {
		return tx.Outbox().Enqueue(&b, items)
	})
	if err != nil {
		t.Fatalf("EnqueueOutbox: %v", err)
	}
	return got, out
}

func TestEnqueueOutboxIsIdempotentByKey(t *testing.T) {
	s, _ := openClocked(t)
	b, items := mustEnqueue(t, s, store.OutboxBatch{Label: "年末のお知らせ", CreatedBy: 7}, dm("U1", "k1"), dm("U2", ""), dm("U1", "k1"))
	if b.ID == 0 || b.Status != store.BatchActive || b.Counts.Pending != 2 || b.Counts.Total() != 2 {
		t.Fatalf("batch = %+v, want an active batch with 2 pending items", b)
	}
	if len(items) != 3 || items[0].ID != items[2].ID {
		t.Fatalf("items = %+v, want 3 returned, the repeated key as the first", items)
	}
	if items[1].Key != fmt.Sprintf("ob:%d", items[1].ID) {
		t.Errorf("assigned key = %q, want ob:%d", items[1].Key, items[1].ID)
	}
	for _, it := range items {
		if it.Status != store.OutboxPending || it.BatchID != b.ID || !it.NextAttempt.Equal(t0) {
			t.Errorf("item = %+v, want pending in batch %d, due at %v", it, b.ID, t0)
		}
	}

	// The same key again, in another batch: nothing new is added.
	b2, again := mustEnqueue(t, s, store.OutboxBatch{}, dm("U1", "k1"))
	if again[0].ID != items[0].ID || b2.Counts.Total() != 0 || b2.Status != store.BatchDone {
		t.Errorf("re-enqueue: item %d, batch %+v; want item %d and an empty, done batch", again[0].ID, b2, items[0].ID)
	}
	got, err := storetest.Read(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().ItemByKey("k1") })
	if err != nil || got.ID != items[0].ID {
		t.Errorf("OutboxItemByKey(k1) = %d, %v; want %d", got.ID, err, items[0].ID)
	}
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, []store.OutboxItem, error) {
		return tx.Outbox().Enqueue(nil, []store.OutboxItem{{Platform: "slack"}})
	}); err == nil {
		t.Errorf("EnqueueOutbox of an item with no address: got nil error, want one")
	}
}

func TestClaimDueTakesDueItemsInOrderAndRecordsTheAttempt(t *testing.T) {
	s, clk := openClocked(t)
	_, loose, err := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, []store.OutboxItem, error) {
		return tx.Outbox().Enqueue(nil, []store.OutboxItem{dm("U1", "a"), dm("U2", "b")})
	})
	if err != nil {
		t.Fatal(err)
	}
	later, _ := mustEnqueue(t, s, store.OutboxBatch{NotBefore: t0.Add(time.Hour)}, dm("U3", "c"))
	if loose[0].BatchID != 0 {
		t.Errorf("item without batch has BatchID %d, want 0", loose[0].BatchID)
	}

	// The filter refuses U1; U3 is not due.
	got := storetest.Update(t, s, func(tx *store.Tx) ([]store.OutboxItem, error) {
		return tx.Outbox().ClaimDue(clk.Now(), 10, func(it store.OutboxItem) bool { return it.User != "U1" })
	})
	if len(got) != 1 || got[0].Key != "b" || got[0].Status != store.OutboxSending || got[0].Attempts != 1 {
		t.Fatalf("claimed %+v, want only b, sending, attempt 1", got)
	}
	if again, _ := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) {
		return tx.Outbox().ClaimDue(clk.Now(), 10, func(it store.OutboxItem) bool { return it.User != "U1" })
	}); len(again) != 0 {
		t.Errorf("claimed %d items again, want 0: b is sending", len(again))
	}
	next, ok, err := storetest.Read2(s, func(tx *store.Tx) (time.Time, bool, error) { return tx.Outbox().NextDue() })
	if err != nil || !ok || !next.Equal(t0) {
		t.Errorf("NextDue = %v, %v, %v; want %v (a)", next, ok, err, t0)
	}
	if n := storetest.View(t, s, func(tx *store.Tx) (int, error) { return tx.Outbox().PendingCount(), nil }); n != 2 {
		t.Errorf("Outbox.PendingCount = %d, want 2 (a and c; b is sending)", n)
	}

	clk.Advance(2 * time.Hour)
	got, err = storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(clk.Now(), 1, nil) })
	if err != nil || len(got) != 1 || got[0].Key != "a" {
		t.Fatalf("ClaimDue(n=1) = %+v, %v; want a, the oldest due", got, err)
	}
	got, _ = storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(clk.Now(), 10, nil) })
	if len(got) != 1 || got[0].Key != "c" {
		t.Fatalf("ClaimDue after the batch's NotBefore = %+v, want c", got)
	}
	if b, _ := storetest.Read(s, func(tx *store.Tx) (store.OutboxBatch, error) { return tx.Outbox().Batch(later.ID) }); b.Counts.Sending != 1 || b.Counts.Pending != 0 {
		t.Errorf("batch counts = %+v, want 1 sending", b.Counts)
	}
	if _, ok, _ := storetest.Read2(s, func(tx *store.Tx) (time.Time, bool, error) { return tx.Outbox().NextDue() }); ok {
		t.Errorf("NextDue reports an item, want none pending")
	}
}

func TestMarkingItemsKeepsBatchCountsAndFinishesTheBatch(t *testing.T) {
	s, clk := openClocked(t)
	b, _ := mustEnqueue(t, s, store.OutboxBatch{}, dm("U1", "a"), dm("U2", "b"), dm("U3", "c"))
	claimed, err := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(clk.Now(), 3, nil) })
	if err != nil || len(claimed) != 3 {
		t.Fatalf("ClaimDue = %d, %v; want 3", len(claimed), err)
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.OutboxItem, error) {
		return tx.Outbox().MarkSent(claimed[0].ID, []byte(`{"thread":"1.1"}`))
	}); err != nil {
		t.Fatal(err)
	}
	next := clk.Now().Add(time.Minute)
	it, err := storetest.Write(s, func(tx *store.Tx) (store.OutboxItem, error) {
		return tx.Outbox().MarkRetry(claimed[1].ID, "timeout", next, true)
	})
	if err != nil || it.Status != store.OutboxPending || !it.NextAttempt.Equal(next) || it.LastError != "timeout" || !it.MaybeDelivered {
		t.Fatalf("MarkRetry = %+v, %v; want pending at %v with the reason, maybe delivered", it, err, next)
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.OutboxItem, error) {
		return tx.Outbox().MarkFailed(claimed[2].ID, "channel_not_found")
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().MarkFailed(claimed[2].ID, "again") }); err == nil {
		t.Errorf("MarkFailed of a failed item: got nil error, want one (it is not sending)")
	}
	r := storetest.View(t, s, func(tx *store.Tx) (store.OutboxReport, error) { return tx.Outbox().BatchReport(b.ID, 10) })
	want := store.OutboxCounts{Pending: 1, Sent: 1, Failed: 1}
	if r.Batch.Counts != want || r.Batch.Status != store.BatchActive {
		t.Errorf("report counts %+v status %s, want %+v active", r.Batch.Counts, r.Batch.Status, want)
	}
	if len(r.Failures) != 1 || r.Failures[0].User != "U3" || r.Failures[0].Reason != "channel_not_found" || r.Failures[0].Attempts != 1 {
		t.Errorf("failures = %+v, want U3 with its reason", r.Failures)
	}

	clk.Advance(time.Minute)
	retry, _ := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(clk.Now(), 10, nil) })
	if len(retry) != 1 || retry[0].Attempts != 2 || !retry[0].MaybeDelivered {
		t.Fatalf("retry claim = %+v, want b on attempt 2, maybe delivered", retry)
	}
	sent, err := storetest.Write(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().MarkSent(retry[0].ID, nil) })
	if err != nil || sent.SentAt.IsZero() {
		t.Fatalf("MarkSent = %+v, %v", sent, err)
	}
	if again, err := storetest.Write(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().MarkSent(retry[0].ID, []byte("x")) }); err != nil || string(again.Result) == "x" {
		t.Errorf("MarkSent twice = %q, %v; want the first result kept", again.Result, err)
	}
	r, _ = storetest.Read(s, func(tx *store.Tx) (store.OutboxReport, error) { return tx.Outbox().BatchReport(b.ID, 10) })
	if r.Batch.Status != store.BatchDone || r.Batch.DoneAt.IsZero() || r.Batch.Counts.Sent != 2 {
		t.Errorf("batch = %+v, want done with 2 sent", r.Batch)
	}
}

func TestCancelBatchStopsPendingItemsOnly(t *testing.T) {
	s, clk := openClocked(t)
	b, _ := mustEnqueue(t, s, store.OutboxBatch{NotBefore: t0}, dm("U1", "a"), dm("U2", "b"), dm("U3", "c"))
	other, _ := mustEnqueue(t, s, store.OutboxBatch{}, dm("U4", "d"))
	inFlight, _ := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(clk.Now(), 1, nil) })

	got, n, err := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, int, error) { return tx.Outbox().CancelBatch(b.ID) })
	if err != nil || n != 2 || got.Status != store.BatchCancelled {
		t.Fatalf("CancelBatch = %+v, %d, %v; want cancelled with 2 items", got, n, err)
	}
	if claimed, _ := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(clk.Now(), 10, nil) }); len(claimed) != 1 || claimed[0].BatchID != other.ID {
		t.Errorf("claimed after cancel: %+v, want only the other batch's item", claimed)
	}
	// The item in flight when the batch was cancelled is not retried.
	it, err := storetest.Write(s, func(tx *store.Tx) (store.OutboxItem, error) {
		return tx.Outbox().MarkRetry(inFlight[0].ID, "timeout", clk.Now(), false)
	})
	if err != nil || it.Status != store.OutboxCancelled {
		t.Errorf("retry of a cancelled batch's item = %s, %v; want cancelled", it.Status, err)
	}
	r, _ := storetest.Read(s, func(tx *store.Tx) (store.OutboxReport, error) { return tx.Outbox().BatchReport(b.ID, 10) })
	if want := (store.OutboxCounts{Cancelled: 3}); r.Batch.Counts != want || r.Batch.DoneAt.IsZero() || r.Batch.Status != store.BatchCancelled {
		t.Errorf("report = %+v, want 3 cancelled, finished, status cancelled", r.Batch)
	}
	if _, n, err := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, int, error) { return tx.Outbox().CancelBatch(b.ID) }); n != 0 || err != nil {
		t.Errorf("second CancelBatch = %d, %v; want 0, nil", n, err)
	}
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, int, error) { return tx.Outbox().CancelBatch(99) }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CancelBatch(99) = %v, want ErrNotFound", err)
	}
}

func TestInDoubtItemsSurviveARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	s, err := store.Open(path, store.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, []store.OutboxItem, error) {
		return tx.Outbox().Enqueue(nil, []store.OutboxItem{dm("U1", "a"), dm("U2", "b")})
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(t0, 1, nil) }); err != nil {
		t.Fatal(err)
	}
	// No MarkSent: the process dies here.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(path, store.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	doubt, err := storetest.Read(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().InDoubt() })
	if err != nil || len(doubt) != 1 || doubt[0].Key != "a" || doubt[0].Attempts != 1 {
		t.Fatalf("InDoubt = %+v, %v; want a, attempt 1", doubt, err)
	}
	if pending, _ := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(t0, 10, nil) }); len(pending) != 1 || pending[0].Key != "b" {
		t.Errorf("pending after restart = %+v, want b", pending)
	}
}

func TestConcurrentMarksAreAllRecorded(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{Now: func() time.Time { return t0 }})
	items := make([]store.OutboxItem, 200)
	for i := range items {
		items[i] = dm(fmt.Sprintf("U%d", i), "")
	}
	b, _ := mustEnqueue(t, s, store.OutboxBatch{}, items...)
	claimed, err := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(t0, len(items), nil) })
	if err != nil || len(claimed) != len(items) {
		t.Fatalf("ClaimDue = %d, %v", len(claimed), err)
	}
	var wg sync.WaitGroup
	for i, it := range claimed {
		wg.Go(func() {
			var err error
			if i%10 == 0 {
				_, err = storetest.Write(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().MarkFailed(it.ID, "user_not_found") })
			} else {
				_, err = storetest.Write(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().MarkSent(it.ID, nil) })
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, _ := storetest.Read(s, func(tx *store.Tx) (store.OutboxBatch, error) { return tx.Outbox().Batch(b.ID) })
	if want := (store.OutboxCounts{Sent: 180, Failed: 20}); got.Counts != want || got.Status != store.BatchDone {
		t.Errorf("batch = %+v, want %+v and done", got, want)
	}
}

func TestClosedDays(t *testing.T) {
	s, _ := openClocked(t)
	for _, d := range []string{"2026-12-30", "2026-12-29"} {
		if _, err := storetest.Write(s, func(tx *store.Tx) (store.ClosedDay, error) {
			return tx.AddClosedDay(store.ClosedDay{Date: d, Note: "年末休暇"})
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.ClosedDay, error) { return tx.AddClosedDay(store.ClosedDay{Date: "12/31"}) }); err == nil {
		t.Errorf("AddClosedDay(12/31): got nil error, want a bad date")
	}
	if err := s.Update(func(tx *store.Tx) error { return tx.RemoveClosedDay("2026-12-30") }); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *store.Tx) error { return tx.RemoveClosedDay("2026-12-30") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RemoveClosedDay twice = %v, want ErrNotFound", err)
	}
	days, err := storetest.Read(s, func(tx *store.Tx) ([]store.ClosedDay, error) { return tx.ClosedDays() })
	if err != nil || len(days) != 1 || days[0].Date != "2026-12-29" || days[0].Note != "年末休暇" {
		t.Errorf("ClosedDays = %+v, %v; want 2026-12-29 年末休暇", days, err)
	}
}

func TestDraftBatchWaitsForRelease(t *testing.T) {
	s, clk := openClocked(t)
	draft, _ := mustEnqueue(t, s, store.OutboxBatch{Status: store.BatchDraft}, dm("U1", "a"), dm("U2", "b"))
	if draft.Status != store.BatchDraft || draft.Counts.Pending != 2 {
		t.Fatalf("draft = %+v, want a draft with 2 pending", draft)
	}
	if got, _ := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) {
		return tx.Outbox().ClaimDue(clk.Now().Add(24*time.Hour), 10, nil)
	}); len(got) != 0 {
		t.Fatalf("claimed %d items of a draft, want 0", len(got))
	}
	if _, ok, _ := storetest.Read2(s, func(tx *store.Tx) (time.Time, bool, error) { return tx.Outbox().NextDue() }); ok {
		t.Errorf("NextDue reports a draft's item as due")
	}
	at := t0.Add(time.Hour)
	b, err := storetest.Write(s, func(tx *store.Tx) (store.OutboxBatch, error) { return tx.Outbox().ReleaseBatch(draft.ID, at) })
	if err != nil || b.Status != store.BatchActive || !b.NotBefore.Equal(at) {
		t.Fatalf("ReleaseBatch = %+v, %v; want active from %v", b, err, at)
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.OutboxBatch, error) { return tx.Outbox().ReleaseBatch(draft.ID, at) }); !errors.Is(err, store.ErrExists) {
		t.Errorf("second ReleaseBatch = %v, want ErrExists", err)
	}
	if got, _ := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(clk.Now(), 10, nil) }); len(got) != 0 {
		t.Errorf("claimed %d before the release time, want 0", len(got))
	}
	clk.Advance(time.Hour)
	if got, _ := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(clk.Now(), 10, nil) }); len(got) != 2 {
		t.Errorf("claimed %d at the release time, want 2", len(got))
	}

	other, _ := mustEnqueue(t, s, store.OutboxBatch{Status: store.BatchDraft, Kind: "broadcast"}, dm("U3", "c"))
	if _, n, err := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, int, error) { return tx.Outbox().CancelBatch(other.ID) }); n != 1 || err != nil {
		t.Errorf("CancelBatch(draft) = %d, %v; want 1 cancelled", n, err)
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.OutboxBatch, error) { return tx.Outbox().ReleaseBatch(other.ID, time.Time{}) }); !errors.Is(err, store.ErrExists) {
		t.Errorf("ReleaseBatch of a cancelled draft = %v, want ErrExists", err)
	}
	list, err := storetest.Read(s, func(tx *store.Tx) ([]store.OutboxBatch, error) { return tx.Outbox().Batches("broadcast", 10) })
	if err != nil || len(list) != 2 || list[0].ID != other.ID || list[1].ID != draft.ID {
		t.Errorf("OutboxBatches = %+v, %v; want the two broadcasts, newest first", list, err)
	}
	if list, _ := storetest.Read(s, func(tx *store.Tx) ([]store.OutboxBatch, error) { return tx.Outbox().Batches("broadcast", 1) }); len(list) != 1 {
		t.Errorf("OutboxBatches(limit 1) = %d batches", len(list))
	}
}

func TestPurgeOutboxForgetsOldFinishedItems(t *testing.T) {
	s, clk := openClocked(t)
	b, _ := mustEnqueue(t, s, store.OutboxBatch{}, dm("U1", "old-sent"), dm("U2", "pending"))
	claimed, _ := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(clk.Now(), 1, nil) })
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().MarkSent(claimed[0].ID, nil) }); err != nil {
		t.Fatal(err)
	}
	clk.Advance(31 * 24 * time.Hour)
	n, err := storetest.Write(s, func(tx *store.Tx) (int, error) { return tx.Outbox().Purge(clk.Now().Add(-30 * 24 * time.Hour)) })
	if err != nil || n != 1 {
		t.Fatalf("PurgeOutbox = %d, %v; want 1", n, err)
	}
	if _, err := storetest.Read(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().ItemByKey("old-sent") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("purged item still found by key: %v", err)
	}
	if _, err := storetest.Read(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().ItemByKey("pending") }); err != nil {
		t.Errorf("pending item purged: %v", err)
	}
	if got, _ := storetest.Read(s, func(tx *store.Tx) (store.OutboxBatch, error) { return tx.Outbox().Batch(b.ID) }); got.Counts.Sent != 1 {
		t.Errorf("batch counts after purge = %+v, want kept", got.Counts)
	}
	// A purged key may be enqueued again: it is a new message.
	if _, items, _ := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, []store.OutboxItem, error) {
		return tx.Outbox().Enqueue(nil, []store.OutboxItem{dm("U1", "old-sent")})
	}); items[0].Status != store.OutboxPending {
		t.Errorf("re-enqueue after purge = %+v, want a new pending item", items[0])
	}
}
