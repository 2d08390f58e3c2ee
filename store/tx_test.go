package store_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// work is what TestUpdateCommitsAllOrNothing does in one transaction: a
// consultation created by event "Ev1", two notices in a batch, the event
// claimed again as done, an audit entry.
func work(tx *store.Tx, asker uint64) error {
	c, _, err := tx.Consultations().Create(store.Consultation{AskerID: asker, EventID: "Ev1",
		Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: asker, Text: "q"}}})
	if err != nil {
		return err
	}
	items := []store.OutboxItem{
		{Platform: "slack", User: "U1", Key: "notice:1", Payload: []byte(`{}`)},
		{Platform: "slack", Channel: "C1", Key: "notice:2", Payload: []byte(`{}`)},
	}
	if _, _, err := tx.Outbox().Enqueue(&store.OutboxBatch{Kind: "notice"}, items); err != nil {
		return err
	}
	if _, err := tx.Events().Mark("Ev2", "notice"); err != nil {
		return err
	}
	_, err = tx.AppendAudit(store.AuditEntry{UserID: asker, Action: "consult", Detail: fmt.Sprint(c.ID)})
	return err
}

func TestUpdateCommitsAllOrNothing(t *testing.T) {
	s, _ := openClocked(t)
	u := mustUser(t, s, "U1", "asker")

	// An error at the end rolls back everything before it.
	late := errors.New("changed my mind")
	err := s.Update(func(tx *store.Tx) error {
		if err := work(tx, u.ID); err != nil {
			t.Fatalf("work: got %v, want nil", err)
		}
		return late
	})
	if !errors.Is(err, late) {
		t.Fatalf("Update: got %v, want %v", err, late)
	}
	if cs, err := storetest.Read(s, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByAsker(u.ID) }); err != nil || len(cs) != 0 {
		t.Errorf("consultations after rollback: got %d, %v; want 0, nil", len(cs), err)
	}
	for _, key := range []string{"notice:1", "notice:2"} {
		if _, err := storetest.Read(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().ItemByKey(key) }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("outbox item %s after rollback: got err %v, want ErrNotFound", key, err)
		}
	}
	if bs, err := storetest.Read(s, func(tx *store.Tx) ([]store.OutboxBatch, error) { return tx.Outbox().Batches("notice", 10) }); err != nil || len(bs) != 0 {
		t.Errorf("batches after rollback: got %d, %v; want 0, nil", len(bs), err)
	}
	for _, ev := range []string{"Ev1", "Ev2"} {
		if _, ok, err := storetest.Read2(s, func(tx *store.Tx) (string, bool, error) { return tx.Events().Seen(ev) }); err != nil || ok {
			t.Errorf("event %s seen after rollback: got %t, %v; want false, nil", ev, ok, err)
		}
	}
	if es, err := storetest.Read(s, func(tx *store.Tx) ([]store.AuditEntry, error) { return tx.AuditLog(0) }); err != nil || len(es) != 0 {
		t.Errorf("audit entries after rollback: got %d, %v; want 0, nil", len(es), err)
	}

	// Success stores all of it.
	if err := s.Update(func(tx *store.Tx) error { return work(tx, u.ID) }); err != nil {
		t.Fatalf("Update: got %v, want nil", err)
	}
	cs, err := storetest.Read(s, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByAsker(u.ID) })
	if err != nil || len(cs) != 1 || cs[0].EventID != "Ev1" {
		t.Fatalf("consultations after commit: got %+v, %v; want one of event Ev1", cs, err)
	}
	// On bbolt the ids of the rolled back attempt are taken again: the
	// sequence rolled back too. PostgreSQL's sequences do not roll back
	// (transactions that take ids never conflict), so its number 1 is a
	// gap and never given again (2 here; more when the retry pass runs
	// every write twice, each run taking an id).
	wantID := uint64(1)
	if s.Engine() == "postgres" {
		if wantID = cs[0].ID; wantID < 2 {
			t.Errorf("consultation id on postgres: got %d, want the rolled-back run's 1 left as a gap", wantID)
		}
	} else if cs[0].ID != wantID {
		t.Errorf("consultation id on %s: got %d, want %d", s.Engine(), cs[0].ID, wantID)
	}
	for _, key := range []string{"notice:1", "notice:2"} {
		if it, err := storetest.Read(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().ItemByKey(key) }); err != nil || it.Status != store.OutboxPending || it.BatchID == 0 {
			t.Errorf("outbox item %s after commit: got %s batch %d, %v; want pending in a batch", key, it.Status, it.BatchID, err)
		}
	}
	if bs, err := storetest.Read(s, func(tx *store.Tx) ([]store.OutboxBatch, error) { return tx.Outbox().Batches("notice", 10) }); err != nil || len(bs) != 1 || bs[0].Counts.Pending != 2 {
		t.Errorf("batches after commit: got %+v, %v; want one with 2 pending", bs, err)
	}
	if ref, ok, err := storetest.Read2(s, func(tx *store.Tx) (string, bool, error) { return tx.Events().Seen("Ev1") }); err != nil || !ok || ref != fmt.Sprintf("consultation:%d", wantID) {
		t.Errorf("event Ev1: got %q, %t, %v; want consultation:%d, true, nil", ref, ok, err, wantID)
	}
	if ref, ok, err := storetest.Read2(s, func(tx *store.Tx) (string, bool, error) { return tx.Events().Seen("Ev2") }); err != nil || !ok || ref != "notice" {
		t.Errorf("event Ev2: got %q, %t, %v; want notice, true, nil", ref, ok, err)
	}
	if es, err := storetest.Read(s, func(tx *store.Tx) ([]store.AuditEntry, error) { return tx.AuditLog(0) }); err != nil || len(es) != 1 || es[0].Action != "consult" {
		t.Errorf("audit log after commit: got %+v, %v; want one consult entry", es, err)
	}
}

// tickingClock returns a later time on every call, as a real clock does
// between the verbs of a transaction.
type tickingClock struct {
	mu sync.Mutex
	t  time.Time
	n  int
}

func (c *tickingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	c.t = c.t.Add(time.Second)
	return c.t
}

func TestTxNowIsFixedPerTransaction(t *testing.T) {
	clk := &tickingClock{t: t0}
	s := storetest.MustOpen(t, store.Options{Now: clk.Now})

	var now time.Time
	var u store.User
	var c store.Consultation
	var items []store.OutboxItem
	var batch store.OutboxBatch
	var audit store.AuditEntry
	var day store.ClosedDay
	runs := 0
	err := s.Update(func(tx *store.Tx) (err error) {
		runs++
		now = tx.Now()
		if u, _, err = tx.Users().Ensure(store.UserKey{Platform: "slack", PlatformID: "U1"}, "asker", "ja"); err != nil {
			return err
		}
		time.Sleep(2 * time.Millisecond) // the wall clock moves too
		if c, _, err = tx.Consultations().Create(store.Consultation{AskerID: u.ID,
			Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: u.ID, Text: "q"}}}); err != nil {
			return err
		}
		if c, err = tx.Consultations().Update(c.ID, func(c *store.Consultation) error {
			c.Messages = append(c.Messages, store.ConsultMessage{Kind: store.MsgFollowUp, AuthorID: u.ID, Text: "more"})
			return nil
		}); err != nil {
			return err
		}
		if batch, items, err = tx.Outbox().Enqueue(&store.OutboxBatch{Kind: "notice"}, []store.OutboxItem{
			{Platform: "slack", User: "U1", Payload: []byte(`{}`)},
			{Platform: "slack", User: "U2", Payload: []byte(`{}`)},
		}); err != nil {
			return err
		}
		if _, err = tx.ClaimPeriod("test:period"); err != nil {
			return err
		}
		if audit, err = tx.AppendAudit(store.AuditEntry{UserID: u.ID, Action: "test"}); err != nil {
			return err
		}
		day, err = tx.AddClosedDay(store.ClosedDay{Date: "2026-12-29"})
		return err
	})
	if err != nil {
		t.Fatalf("Update: got %v, want nil", err)
	}
	// Each run of the function is a transaction of its own (a retried
	// one reruns it: SOUDAN_TEST_RETRY=1 runs each twice), which reads
	// the clock once, when it begins.
	if want := t0.Add(time.Duration(runs) * time.Second); !now.Equal(want) {
		t.Errorf("tx.Now: got %v, want %v (the clock read once, when the transaction began)", now, want)
	}
	if clk.n != runs {
		t.Errorf("clock reads in %d runs of one transaction's function: got %d, want %d", runs, clk.n, runs)
	}

	// Read back what was stored, not what the verbs returned.
	if u, err = storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(u.ID) }); err != nil {
		t.Fatal(err)
	}
	if c, err = storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(c.ID) }); err != nil {
		t.Fatal(err)
	}
	claimed, _, err := storetest.Read2(s, func(tx *store.Tx) (time.Time, bool, error) { return tx.PeriodClaimedAt("test:period") })
	if err != nil {
		t.Fatal(err)
	}
	stamps := map[string]time.Time{
		"user created": u.CreatedAt, "user updated": u.UpdatedAt,
		"consultation created": c.CreatedAt, "consultation updated": c.UpdatedAt,
		"question": c.Messages[0].At, "follow-up": c.Messages[1].At, "history": c.History[0].At,
		"batch created": batch.CreatedAt, "period claimed": claimed,
		"audit": audit.At, "closed day": day.At,
	}
	for _, it := range items {
		stored := storetest.View(t, s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().Item(it.ID) })
		stamps["item "+stored.Key+" created"] = stored.CreatedAt
		stamps["item "+stored.Key+" next attempt"] = stored.NextAttempt
	}
	for what, at := range stamps {
		if !at.Equal(now) {
			t.Errorf("%s at: got %v, want %v", what, at, now)
		}
	}

	// The next transaction takes the time again.
	var next time.Time
	if err := s.View(func(tx *store.Tx) error { next = tx.Now(); return nil }); err != nil {
		t.Fatal(err)
	}
	if !next.After(now) {
		t.Errorf("Now of the next transaction: got %v, want after %v", next, now)
	}
}

func TestOnCommitRunsOnceAfterCommit(t *testing.T) {
	s, _ := openClocked(t)
	var calls []string
	record := func(what string) func() { return func() { calls = append(calls, what) } }

	err := s.Update(func(tx *store.Tx) error {
		tx.OnCommit(record("first"))
		tx.OnCommit(record("second"))
		if _, err := tx.Events().Mark("Ev1", ""); err != nil {
			return err
		}
		if len(calls) != 0 {
			t.Errorf("calls before commit: got %v, want none", calls)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Update: got %v, want nil", err)
	}
	if want := []string{"first", "second"}; !slices.Equal(calls, want) {
		t.Errorf("calls after commit: got %v, want %v", calls, want)
	}

	// Neither a rollback nor a later transaction runs them (again).
	calls = nil
	boom := errors.New("boom")
	err = s.Update(func(tx *store.Tx) error {
		tx.OnCommit(record("rolled back"))
		if _, err := tx.Events().Mark("Ev2", ""); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update: got %v, want %v", err, boom)
	}
	if err := s.Update(func(tx *store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.View(func(tx *store.Tx) error { tx.OnCommit(record("view")); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 0 {
		t.Errorf("calls after a rollback, an empty Update and a View: got %v, want none", calls)
	}
	if _, ok, _ := storetest.Read2(s, func(tx *store.Tx) (string, bool, error) { return tx.Events().Seen("Ev2") }); ok {
		t.Errorf("event Ev2 seen after rollback: got true, want false")
	}
}

// Commits counts write transactions, one per commit however many
// functions a Batch shares it with; reads and rollbacks count none.
func TestCommitsCountsWriteTransactions(t *testing.T) {
	s := storetest.MustOpen(t)
	before := s.Commits()
	if err := s.Update(func(tx *store.Tx) error { _, err := tx.AppendAudit(store.AuditEntry{Action: "a"}); return err }); err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *store.Tx) error { return nil })
	_ = s.Update(func(tx *store.Tx) error { return errors.New("rolled back") })
	if got := s.Commits() - before; got != 1 {
		t.Errorf("commits after one Update, a View and a rollback = %d, want 1", got)
	}
	// The write after a rollback gets the rolled-back one's id: it counts.
	if err := s.Update(func(tx *store.Tx) error { _, err := tx.AppendAudit(store.AuditEntry{Action: "b"}); return err }); err != nil {
		t.Fatal(err)
	}
	if got := s.Commits() - before; got != 2 {
		t.Errorf("commits after a rollback and another Update = %d, want 2", got)
	}
}
