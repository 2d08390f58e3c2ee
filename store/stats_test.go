package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestConsultationsActiveIn: a consultation is found in every range that
// holds a UTC day it was opened, answered or changed state on, and in no
// other; records of a later month do not show in an earlier one.
func TestConsultationsActiveIn(t *testing.T) {
	s, clk := openClocked(t)
	asker := mustUser(t, s, "U1", "相談者")
	mentor := mustUser(t, s, "U2", "佐藤")
	utc := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	clk.Set(utc(2026, 10, 30))
	a, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{AskerID: asker.ID, Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: asker.ID, Text: "質問"}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(utc(2026, 11, 2))
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().AddMessage(a.ID, store.ConsultMessage{Kind: store.MsgAnswer, AuthorID: mentor.ID, Text: "回答"})
	}); err != nil {
		t.Fatal(err)
	}
	clk.Set(utc(2026, 12, 3))
	b, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{AskerID: asker.ID})
	})
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(utc(2027, 1, 5))
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Consultation, error) {
		return tx.Consultations().Update(a.ID, func(c *store.Consultation) error {
			c.History = append(c.History, store.StateChange{From: c.State, To: store.StateResolved, By: asker.ID})
			c.State = store.StateResolved
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		from, to time.Time
		want     []uint64
	}{
		{utc(2026, 10, 1), utc(2026, 11, 1), []uint64{a.ID}},
		{utc(2026, 11, 1), utc(2026, 12, 1), []uint64{a.ID}},
		{utc(2026, 12, 1), utc(2027, 1, 1), []uint64{b.ID}},
		{utc(2027, 1, 1), utc(2027, 2, 1), []uint64{a.ID}},
		{utc(2026, 10, 1), utc(2027, 2, 1), []uint64{a.ID, b.ID}},
		{utc(2026, 9, 1), utc(2026, 10, 1), nil},
		// A month in Tokyo reads the UTC days it overlaps.
		{time.Date(2026, 12, 1, 0, 0, 0, 0, jst), time.Date(2027, 1, 1, 0, 0, 0, 0, jst), []uint64{b.ID}},
		{time.Date(2026, 10, 31, 0, 0, 0, 0, jst), time.Date(2026, 11, 1, 0, 0, 0, 0, jst), []uint64{a.ID}},
		{time.Date(2026, 11, 3, 0, 0, 0, 0, jst), time.Date(2026, 12, 3, 9, 0, 0, 0, jst), []uint64{a.ID}}, // its answer, on 2 Nov UTC
		{time.Date(2026, 11, 3, 0, 0, 0, 0, jst), time.Date(2026, 12, 3, 10, 0, 0, 0, jst), []uint64{a.ID, b.ID}},
		{time.Date(2026, 11, 4, 0, 0, 0, 0, jst), time.Date(2026, 12, 3, 9, 0, 0, 0, jst), nil},
	} {
		var got []store.Consultation
		if err := s.View(func(tx *store.Tx) (err error) { got, err = tx.ConsultationsActiveIn(tc.from, tc.to); return err }); err != nil {
			t.Fatal(err)
		}
		if g := ids(got, consultID); !slices.Equal(g, tc.want) {
			t.Errorf("active from %s to %s = %v, want %v", tc.from, tc.to, g, tc.want)
		}
	}
}

var jst = time.FixedZone("JST", 9*60*60)

// TestOldestUnanswered: open consultations with no answer, oldest first,
// at most n; answered and reopened-after-an-answer ones are left out.
func TestOldestUnanswered(t *testing.T) {
	s, clk := openClocked(t)
	asker := mustUser(t, s, "U1", "相談者")
	var made []store.Consultation
	for i := 0; i < 4; i++ {
		c, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
			return tx.Consultations().Create(store.Consultation{AskerID: asker.ID})
		})
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, c)
		clk.Advance(time.Hour)
	}
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().AddMessage(made[0].ID, store.ConsultMessage{Kind: store.MsgAnswer, AuthorID: 99, Text: "a"})
	}); err != nil {
		t.Fatal(err)
	}
	var got []store.Consultation
	if err := s.View(func(tx *store.Tx) (err error) { got, err = tx.OldestUnanswered(2); return err }); err != nil {
		t.Fatal(err)
	}
	if g, want := ids(got, consultID), []uint64{made[1].ID, made[2].ID}; !slices.Equal(g, want) {
		t.Errorf("oldest unanswered = %v, want %v", g, want)
	}
}

// TestMonthlyCounters: counters add up per month and name, months do not
// mix, a bad month is refused, and View cannot add.
func TestMonthlyCounters(t *testing.T) {
	s, _ := openClocked(t)
	err := s.Update(func(tx *store.Tx) error {
		for _, x := range []struct {
			m, k string
			n    int
		}{{"2026-11", store.StatSearches, 1}, {"2026-11", store.StatSearches, 2}, {"2026-11", store.StatSearchEmpty, 1}, {"2026-12", store.StatSearches, 5}} {
			if err := tx.AddMonthly(x.m, x.k, x.n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var nov, jan map[string]int
	if err := s.View(func(tx *store.Tx) (err error) {
		if nov, err = tx.Monthly("2026-11"); err != nil {
			return err
		}
		jan, err = tx.Monthly("2027-01")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if nov[store.StatSearches] != 3 || nov[store.StatSearchEmpty] != 1 || len(nov) != 2 {
		t.Errorf("2026-11 = %v, want searches 3, search_empty 1", nov)
	}
	if len(jan) != 0 {
		t.Errorf("2027-01 = %v, want none", jan)
	}
	for _, bad := range []string{"2026-13", "2026-1", "202611", "", "2026-11\x00x"} {
		err := s.Update(func(tx *store.Tx) error { return tx.AddMonthly(bad, store.StatSearches, 1) })
		if err == nil || !strings.Contains(err.Error(), "bad month") {
			t.Errorf("AddMonthly(%q) = %v, want a bad month error", bad, err)
		}
	}
	if err := s.View(func(tx *store.Tx) error { return tx.AddMonthly("2026-11", store.StatSearches, 1) }); err == nil {
		t.Error("AddMonthly in View succeeded")
	}
}
