package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestAuditLog(t *testing.T) {
	s, clk := openClocked(t)
	preset := t0.Add(-time.Hour)
	var added []store.AuditEntry
	for _, e := range []store.AuditEntry{
		{UserID: 1, Action: "grant", Detail: "U2 admin"},
		{UserID: 1, Action: "topic.add", Detail: "IT", At: preset},
		{UserID: 2, Action: "topic.map", Detail: "#ask IT"},
	} {
		got := storetest.Update(t, s, func(tx *store.Tx) (store.AuditEntry, error) { return tx.AppendAudit(e) })
		added = append(added, got)
		clk.Advance(time.Minute)
	}
	if !added[0].At.Equal(t0) || !added[1].At.Equal(preset) {
		t.Errorf("At: got %v and %v, want %v (now) and %v (kept)", added[0].At, added[1].At, t0, preset)
	}
	entryID := func(e store.AuditEntry) uint64 { return e.ID }
	tests := []struct {
		limit int
		want  []uint64
	}{
		{0, []uint64{added[2].ID, added[1].ID, added[0].ID}},
		{2, []uint64{added[2].ID, added[1].ID}},
		{10, []uint64{added[2].ID, added[1].ID, added[0].ID}},
	}
	for _, tt := range tests {
		got, err := storetest.Read(s, func(tx *store.Tx) ([]store.AuditEntry, error) { return tx.AuditLog(tt.limit) })
		if err != nil || !slices.Equal(ids(got, entryID), tt.want) {
			t.Errorf("AuditLog(%d): got %v, %v; want %v", tt.limit, ids(got, entryID), err, tt.want)
		}
	}
}
