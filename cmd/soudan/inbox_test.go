package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
	"github.com/soudan/soudan/internal/inbox"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// nowhere handles nothing: the process "dies" right after recording.
type nowhere struct{}

func (nowhere) Dispatch(context.Context, *bot.Message, bot.Responder) error { return nil }

// TestConsoleHandlesALineRecordedBeforeAKill: a question the console had
// recorded when the process was killed (recorded, not handled) is routed
// at the next start, before the next line is read; the one after it is
// handled once too.
func TestConsoleHandlesALineRecordedBeforeAKill(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	session(t, db, ":as 田中\n/soudan mine\n", "-demo")

	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in, err := inbox.New(inbox.Options{Store: st, Dispatcher: nowhere{}})
	if err != nil {
		t.Fatal(err)
	}
	m := &bot.Message{
		ID: "killed-1", Kind: bot.KindPost, Text: "キャリアパスに悩んでいます。異動希望はどう出すべき？",
		User:    bot.User{ID: "田中", Name: "田中", Locale: "ja"},
		Address: bot.Address{Platform: bot.PlatformConsole, Workspace: console.Workspace, Channel: "dm:田中", User: "田中"},
		Direct:  true,
	}
	if first, err := in.Record(context.Background(), m, nil); err != nil || !first {
		t.Fatalf("Record = %v, %v", first, err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	out := session(t, db, ":as 田中\n/soudan mine\n")
	if !strings.Contains(out, "キャリアパスに悩んでいます") || !strings.Contains(out, "#1") {
		t.Fatalf("the recorded question was not handled at start; output:\n%s", out)
	}
	if strings.Index(out, "#1") > strings.Index(out, "/soudan mine") {
		t.Errorf("the recorded question was handled after the next line; output:\n%s", out)
	}
	// A second start handles nothing again.
	again := session(t, db, ":as 田中\n/soudan mine\n")
	if strings.Count(again, "キャリアパスに悩んでいます") != 1 {
		t.Errorf("second start: want the question listed once by mine, got:\n%s", again)
	}
	st, err = store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	uid := mustUser(t, st, "田中").ID
	cs, err := storetest.Read(st, func(tx *store.Tx) ([]store.Consultation, error) {
		return tx.Consultations().ByAsker(uid)
	})
	if err != nil || len(cs) != 1 {
		t.Errorf("田中's consultations = %d, %v; want exactly 1", len(cs), err)
	}
}

func mustUser(t *testing.T, st *store.Store, name string) store.User {
	t.Helper()
	u := storetest.View(t, st, func(tx *store.Tx) (store.User, error) {
		return tx.Users().ByKey(store.UserKey{Platform: bot.PlatformConsole, Workspace: console.Workspace, PlatformID: name})
	})
	return u
}
