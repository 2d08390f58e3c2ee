package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
)

// TestAdapterStatePurgeJob: the daily adapterstate:purge job (here run by
// the catch-up at start) forgets the adapters' expired state and keeps
// the rest.
func TestAdapterStatePurgeJob(t *testing.T) {
	db := filepath.Join(t.TempDir(), "soudan.db")
	earlier := func() time.Time { return fixedNow.Add(-48 * time.Hour) }
	st, err := store.Open(db, store.Options{Now: earlier})
	if err != nil {
		t.Fatal(err)
	}
	for key, exp := range map[string]time.Time{"old": fixedNow.Add(-time.Hour), "new": fixedNow.Add(time.Hour)} {
		if err := st.PutAdapterState("slack", key, []byte(key), exp); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	session(t, db, "/soudan help\n")

	// Read as of before either expired: only the job can have removed one.
	st, err = store.Open(db, store.Options{Now: earlier})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, ok, err := st.PeriodClaimedAt("adapterstate:purge:2026-11-21"); err != nil || !ok {
		t.Errorf("adapterstate:purge period after start: got %v, %v; want claimed by the catch-up", ok, err)
	}
	for key, want := range map[string]bool{"old": false, "new": true} {
		if _, ok, err := st.AdapterState("slack", key); err != nil || ok != want {
			t.Errorf("AdapterState(slack, %s) after the purge: got %v, %v; want %v", key, ok, err, want)
		}
	}
}
