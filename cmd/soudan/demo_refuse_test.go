package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestDemoRefusesAWorkspacesDataFile: -demo on the file a Slack workspace
// is served from (as SOUDAN_DB names it in the Docker image) fails with a
// message that says why and what to do, and adds nothing to the file.
func TestDemoRefusesAWorkspacesDataFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "prod.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := storetest.Write2(st, func(tx *store.Tx) (store.User, bool, error) {
		return tx.Users().Ensure(store.UserKey{Platform: bot.PlatformSlack, Workspace: "T1", PlatformID: "U123"}, "山田", "ja")
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOUDAN_DB", db)
	m, _, _ := newMain("")
	ctx := context.Background()
	if err := m.ParseFlags(ctx, []string{"console", "-demo"}); err != nil {
		t.Fatalf("ParseFlags: %v", err)
	}
	err = m.Run(ctx)
	if cerr := m.Close(); cerr != nil {
		t.Errorf("Close: %v", cerr)
	}
	if err == nil {
		t.Fatal("-demo on a file with a Slack user ran; want a refusal")
	}
	for _, want := range []string{"-demo refuses " + db, "slack", "-db"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	st, err = store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	topics, _ := storetest.Read(st, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() })
	ms, _ := storetest.Read(st, func(tx *store.Tx) ([]store.Mentor, error) { return tx.Mentors().All() })
	for _, tp := range topics {
		if tp.Demo {
			t.Errorf("demo topic %s added to the workspace's file", tp.Name)
		}
	}
	if len(ms) != 0 {
		t.Errorf("%d demo mentors added to the workspace's file", len(ms))
	}
}
