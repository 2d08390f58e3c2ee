package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// mustConsult creates a consultation asked by asker, routed to mentors,
// in state st finished at closed (zero: not finished).
func mustConsult(t *testing.T, s *store.Store, asker uint64, st store.State, closed time.Time, rating *int, mentors ...uint64) store.Consultation {
	t.Helper()
	var c store.Consultation
	err := s.Update(func(tx *store.Tx) (err error) {
		c, _, err = tx.Consultations().Create(store.Consultation{
			TopicID: 1, AskerID: asker, State: st, ClosedAt: closed, Rating: rating, Routed: mentors,
			Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: asker, Text: "異動の相談"}},
			Threads:  []store.Thread{{Platform: "slack", Channel: "D-asker", Thread: "1", UserID: asker}},
		})
		return err
	})
	if err != nil {
		t.Fatalf("CreateConsultation: %v", err)
	}
	return c
}

func TestPurgeConsultationsBatchedAndIdempotent(t *testing.T) {
	s, clk := openClocked(t)
	asker := mustUser(t, s, "U1", "田中")
	mentor := mustUser(t, s, "U2", "佐藤")
	nine, five := 9, 5
	old := t0.AddDate(0, -8, 0)
	var purge []uint64
	for i := range 5 {
		rating := &nine
		if i%2 == 1 {
			rating = &five
		}
		purge = append(purge, mustConsult(t, s, asker.ID, store.StateResolved, old.Add(time.Duration(i)*time.Hour), rating, mentor.ID).ID)
	}
	purge = append(purge, mustConsult(t, s, asker.ID, store.StateClosed, old, nil, mentor.ID).ID)
	recent := mustConsult(t, s, asker.ID, store.StateResolved, t0.AddDate(0, -1, 0), &nine, mentor.ID)
	active := mustConsult(t, s, asker.ID, store.StateOpen, time.Time{}, nil, mentor.ID)
	clk.Advance(time.Hour)

	cutoff := t0.AddDate(0, -6, 0)
	total, batches := 0, 0
	for more := true; more; batches++ {
		var n int
		if err := s.Update(func(tx *store.Tx) (err error) { n, more, err = tx.PurgeConsultations(cutoff, 4); return err }); err != nil {
			t.Fatalf("PurgeConsultations: %v", err)
		}
		total += n
	}
	if total != 6 || batches != 2 {
		t.Errorf("purged %d in %d batches; want 6 in 2", total, batches)
	}
	for _, id := range purge {
		if _, err := storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(id) }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("consultation %d after purge: err %v; want ErrNotFound", id, err)
		}
	}
	for _, id := range []uint64{recent.ID, active.ID} {
		if _, err := storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(id) }); err != nil {
			t.Errorf("consultation %d kept: %v", id, err)
		}
	}
	// Indexes no longer name the purged ones.
	err := s.View(func(tx *store.Tx) error {
		mine, err := tx.Consultations().ByAsker(asker.ID)
		if err != nil {
			return err
		}
		if got := ids(mine, consultID); len(got) != 2 {
			t.Errorf("by asker after purge: %v; want [%d %d]", got, active.ID, recent.ID)
		}
		if _, err := tx.Consultations().ByThread("slack", "", "D-asker", "1"); err != nil {
			t.Errorf("thread of a kept consultation: %v", err)
		}
		fin, err := tx.Consultations().ByState(store.StateResolved, store.StateClosed)
		if got := ids(fin, consultID); err != nil || len(got) != 1 || got[0] != recent.ID {
			t.Errorf("finished after purge: %v, %v; want [%d]", got, err, recent.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	assertLoad(t, s, mentor.ID, "after purge")

	// The aggregates keep what they counted for.
	var months []store.PurgedMonth
	if err := s.View(func(tx *store.Tx) (err error) { months, err = tx.PurgedCounts(); return err }); err != nil {
		t.Fatal(err)
	}
	if len(months) != 1 {
		t.Fatalf("purged months: %+v; want one", months)
	}
	p := months[0]
	if p.Month != t0.UTC().Format("2006-01") || p.Consultations != 6 || p.Resolved != 5 || p.Closed != 1 ||
		p.Rated != 5 || p.RatingSum != 9*3+5*2 || p.Rated8Plus != 3 || p.ByTopic[1] != 6 {
		t.Errorf("purged aggregates: got %+v", p)
	}

	// Again: nothing to do, aggregates unchanged.
	var n int
	var more bool
	if err := s.Update(func(tx *store.Tx) (err error) { n, more, err = tx.PurgeConsultations(cutoff, 4); return err }); err != nil || n != 0 || more {
		t.Errorf("second purge: %d, %t, %v; want 0, false, nil", n, more, err)
	}
	if err := s.View(func(tx *store.Tx) (err error) { months, err = tx.PurgedCounts(); return err }); err != nil || months[0].Consultations != 6 {
		t.Errorf("aggregates after a second purge: %+v, %v", months, err)
	}
}

func TestPurgeFollowsReopen(t *testing.T) {
	s, _ := openClocked(t)
	asker := mustUser(t, s, "U1", "田中")
	mentor := mustUser(t, s, "U2", "佐藤")
	c := mustConsult(t, s, asker.ID, store.StateResolved, t0.AddDate(-1, 0, 0), nil, mentor.ID)
	// Reopened: active again, out of the closed index, and counted in load.
	err := s.Update(func(tx *store.Tx) error {
		_, err := tx.Consultations().Update(c.ID, func(c *store.Consultation) error { c.State = store.StateOpen; return nil })
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.Update(func(tx *store.Tx) (err error) { n, _, err = tx.PurgeConsultations(t0, 10); return err }); err != nil || n != 0 {
		t.Errorf("purge of a reopened consultation: %d, %v; want 0", n, err)
	}
	assertLoad(t, s, mentor.ID, "reopened")
	if err := s.View(func(tx *store.Tx) error { _, _, err := tx.PurgeConsultations(t0, 1); return err }); !errors.Is(err, store.ErrTxNotWritable) {
		t.Errorf("PurgeConsultations in View: %v; want ErrTxNotWritable", err)
	}
}
