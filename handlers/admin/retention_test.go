package admin

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestRetentionJob(t *testing.T) {
	t.Parallel()
	var purgedBefore []time.Time
	extra := Purger{Name: "survey responses", Purge: func(tx *store.Tx, before time.Time, limit int) (int, bool, error) {
		// Recorded when the purge commits: a transaction's function may
		// run more than once (SOUDAN_TEST_RETRY=1 runs each twice).
		tx.OnCommit(func() { purgedBefore = append(purgedBefore, before) })
		return 0, false, nil
	}}
	e := testenv.New(t, testenv.Options{Now: adminNow})
	f := NewWith(e.Kit, Options{RetentionMonths: 6, Purgers: []Purger{extra}})
	e.Register(f)
	asker := e.User("田中")
	old := adminNow.AddDate(0, -7, 0)
	var ids []uint64
	for i := range purgeBatch + 5 {
		st, closed := store.StateResolved, old.Add(time.Duration(i)*time.Minute)
		if i == 0 {
			st, closed = store.StateOpen, time.Time{}
		}
		if i == 1 {
			closed = adminNow.AddDate(0, -1, 0)
		}
		c := storetest.Update(t, e.St, func(tx *store.Tx) (store.Consultation, error) {
			c, _, err := tx.Consultations().Create(store.Consultation{TopicID: 1, AskerID: asker.ID, State: st, ClosedAt: closed,
				Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: asker.ID, Text: "質問"}}})
			return c, err
		})
		ids = append(ids, c.ID)
	}
	jobs := f.Jobs()
	if len(jobs) != 1 || jobs[0].Name != "retention:purge" {
		t.Fatalf("jobs: %+v; want retention:purge", jobs)
	}
	if err := jobs[0].Run(context.Background(), adminNow); err != nil {
		t.Fatalf("retention job: %v", err)
	}
	for i, id := range ids {
		_, err := storetest.Read(e.St, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(id) })
		if kept := i < 2; kept != (err == nil) || !kept && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("consultation %d (#%d): err %v; want kept %t", id, i, err, kept)
		}
	}
	// Two batches, each audited by the system.
	es, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.AuditEntry, error) { return tx.AuditLog(0) })
	if len(es) != 2 || es[0].Action != auditPurge || es[0].UserID != 0 || es[1].Detail != "consultations: 200 (before 2025-11-11)" {
		t.Errorf("audit: %+v", es)
	}
	if want := adminNow.AddDate(0, -6, 0); !slices.Equal(purgedBefore, []time.Time{want}) {
		t.Errorf("extra purger called with %v; want [%v]", purgedBefore, want)
	}
	// Idempotent: a second run removes and audits nothing.
	if err := f.PurgeExpired(context.Background(), adminNow); err != nil {
		t.Fatal(err)
	}
	if es2, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.AuditEntry, error) { return tx.AuditLog(0) }); len(es2) != 2 {
		t.Errorf("second run audited %d entries; want none more", len(es2)-2)
	}
}

func TestNoRetentionNoJob(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, testenv.Options{Now: adminNow})
	if jobs := New(e.Kit).Jobs(); len(jobs) != 0 {
		t.Errorf("jobs without a retention: %+v", jobs)
	}
}
