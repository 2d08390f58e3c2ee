package store_test

import (
	"testing"
	"time"

	"github.com/soudan/soudan/store"
)

func TestSearchTermsByMonth(t *testing.T) {
	s, _ := openClocked(t)
	count := func(month, q string, empty bool) {
		t.Helper()
		if err := s.Update(func(tx *store.Tx) error { return tx.CountSearchTerm(month, q, empty) }); err != nil {
			t.Fatal(err)
		}
	}
	// Width and case fold into one query.
	count("2026-11", "ＶＰＮ", false)
	count("2026-11", "vpn", false)
	count("2026-11", "VPN ", false)
	count("2026-11", "育休 延長", true)
	count("2026-11", "育休 延長", true)
	count("2026-11", "在外手当", true)
	count("2026-10", "vpn", false)
	var top, empty []store.SearchTerm
	if err := s.View(func(tx *store.Tx) (err error) { top, empty, err = tx.SearchTerms("2026-11", 2); return err }); err != nil {
		t.Fatal(err)
	}
	if len(top) != 2 || top[0] != (store.SearchTerm{Query: "vpn", Searches: 3}) || top[1].Query != "育休 延長" || top[1].Searches != 2 {
		t.Errorf("top = %+v, want vpn ×3 then 育休 延長 ×2", top)
	}
	if len(empty) != 2 || empty[0].Query != "育休 延長" || empty[0].Empty != 2 || empty[1].Query != "在外手当" {
		t.Errorf("empty = %+v, want 育休 延長 ×2 then 在外手当", empty)
	}
	// Purging before December keeps nothing of October and November.
	var n int
	var more bool
	purge := func(limit int) {
		if err := s.Update(func(tx *store.Tx) (err error) {
			n, more, err = tx.PurgeSearchTerms(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), limit)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	purge(2)
	if n != 2 || !more {
		t.Errorf("first purge: %d, more %v; want 2, more", n, more)
	}
	purge(10)
	if n != 2 || more {
		t.Errorf("second purge: %d, more %v; want the last 2", n, more)
	}
	if err := s.View(func(tx *store.Tx) (err error) { top, _, err = tx.SearchTerms("2026-11", 5); return err }); err != nil || len(top) != 0 {
		t.Errorf("after the purge: %+v, %v", top, err)
	}
}
