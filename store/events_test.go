package store_test

import (
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestMarkEvent(t *testing.T) {
	s := storetest.MustOpen(t)
	steps := []struct {
		id, ref   string
		wantFirst bool
	}{
		{"Ev1", "survey:3", true},
		{"Ev1", "survey:4", false},
		{"Ev2", "", true},
	}
	for _, st := range steps {
		if first, err := storetest.Write(s, func(tx *store.Tx) (bool, error) { return tx.Events().Mark(st.id, st.ref) }); err != nil || first != st.wantFirst {
			t.Errorf("MarkEvent(%s, %s): got %t, %v; want %t", st.id, st.ref, first, err, st.wantFirst)
		}
	}
	if ref, ok, err := storetest.Read2(s, func(tx *store.Tx) (string, bool, error) { return tx.Events().Seen("Ev1") }); err != nil || !ok || ref != "survey:3" {
		t.Errorf("SeenEvent(Ev1): got %q, %t, %v; want %q, true (the first claim's ref)", ref, ok, err, "survey:3")
	}
	if ref, ok, err := storetest.Read2(s, func(tx *store.Tx) (string, bool, error) { return tx.Events().Seen("Ev3") }); err != nil || ok || ref != "" {
		t.Errorf("SeenEvent(Ev3): got %q, %t, %v; want not seen", ref, ok, err)
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (bool, error) { return tx.Events().Mark("", "x") }); err == nil {
		t.Errorf("MarkEvent(empty id): got nil error, want one")
	}
}

func TestPurgeEvents(t *testing.T) {
	s, clk := openClocked(t)
	for _, id := range []string{"old1", "old2"} {
		if _, err := storetest.Write(s, func(tx *store.Tx) (bool, error) { return tx.Events().Mark(id, "") }); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(24 * time.Hour)
	if _, err := storetest.Write(s, func(tx *store.Tx) (bool, error) { return tx.Events().Mark("new", "") }); err != nil {
		t.Fatal(err)
	}
	n, err := storetest.Write(s, func(tx *store.Tx) (int, error) { return tx.Events().Purge(t0.Add(time.Hour)) })
	if err != nil || n != 2 {
		t.Errorf("PurgeEvents: got %d, %v; want 2", n, err)
	}
	for id, want := range map[string]bool{"old1": false, "old2": false, "new": true} {
		if _, ok, err := storetest.Read2(s, func(tx *store.Tx) (string, bool, error) { return tx.Events().Seen(id) }); err != nil || ok != want {
			t.Errorf("SeenEvent(%s) after purge: got %t, %v; want %t", id, ok, err, want)
		}
	}
	// A purged event can be claimed again.
	if first, err := storetest.Write(s, func(tx *store.Tx) (bool, error) { return tx.Events().Mark("old1", "") }); err != nil || !first {
		t.Errorf("MarkEvent(purged): got %t, %v; want true", first, err)
	}
}
