package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/scheduler"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestAdapterStatePurgeJob: the daily adapterstate:purge job is scheduled
// and, when it runs, forgets the adapters' expired state and keeps the
// rest. (It runs the job itself: the start-up catch-up is cancelled when a
// short console session ends, so waiting for it would race.)
func TestAdapterStatePurgeJob(t *testing.T) {
	t.Parallel()
	st := storetest.MustOpen(t, store.Options{Now: func() time.Time { return fixedNow.Add(-48 * time.Hour) }})
	for key, exp := range map[string]time.Time{"old": fixedNow.Add(-time.Hour), "new": fixedNow.Add(time.Hour)} {
		if err := st.Update(func(tx *store.Tx) error { return tx.PutAdapterState("slack", key, []byte(key), exp) }); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	app, err := newBot(botOptions{Kit: handlers.Config{Store: st, Sender: bottest.New(""), Log: log}})
	if err != nil {
		t.Fatal(err)
	}
	var job scheduler.Job
	for _, j := range jobs(app.jobs(), st, log) {
		if j.Name == "adapterstate:purge" {
			job = j
		}
	}
	if job.Run == nil || job.Spec != "45 4 * * *" || job.Period == nil {
		t.Fatalf("adapterstate:purge job = %+v, want a daily job", job)
	}
	if err := job.Run(context.Background(), fixedNow); err != nil {
		t.Fatalf("run: %v", err)
	}
	for key, want := range map[string]bool{"old": false, "new": true} {
		if _, ok, err := storetest.Read2(st, func(tx *store.Tx) ([]byte, bool, error) { return tx.AdapterState("slack", key) }); err != nil || ok != want {
			t.Errorf("AdapterState(slack, %s) after the purge: got %v, %v; want %v", key, ok, err, want)
		}
	}
}
