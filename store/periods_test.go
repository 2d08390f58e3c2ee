package store_test

import (
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestClaimPeriod(t *testing.T) {
	s, clk := openClocked(t)
	const key = "survey:monthly:2026-12"
	if at, ok, err := storetest.Read2(s, func(tx *store.Tx) (time.Time, bool, error) { return tx.PeriodClaimedAt(key) }); err != nil || ok || !at.IsZero() {
		t.Errorf("PeriodClaimedAt before a claim: got %v, %t, %v; want unclaimed", at, ok, err)
	}
	for i, want := range []bool{true, false, false} {
		if got, err := storetest.Write(s, func(tx *store.Tx) (bool, error) { return tx.ClaimPeriod(key) }); err != nil || got != want {
			t.Errorf("ClaimPeriod #%d: got %t, %v; want %t", i+1, got, err, want)
		}
		clk.Advance(time.Hour)
	}
	if at, ok, err := storetest.Read2(s, func(tx *store.Tx) (time.Time, bool, error) { return tx.PeriodClaimedAt(key) }); err != nil || !ok || !at.Equal(t0) {
		t.Errorf("PeriodClaimedAt: got %v, %t, %v; want %v (the first claim)", at, ok, err, t0)
	}
	if got, err := storetest.Write(s, func(tx *store.Tx) (bool, error) { return tx.ClaimPeriod("survey:monthly:2027-01") }); err != nil || !got {
		t.Errorf("ClaimPeriod(next month): got %t, %v; want true", got, err)
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (bool, error) { return tx.ClaimPeriod("") }); err == nil {
		t.Errorf("ClaimPeriod(empty): got nil error, want one")
	}
}
