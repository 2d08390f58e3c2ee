package broadcast

import (
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// A person an admin forgot is in no broadcast's audience.
func TestBroadcastSkipsForgottenUsers(t *testing.T) {
	e := newBroadcastEnv(t)
	f := New(e.Kit)
	at := bot.Address{Platform: bottest.Platform, Workspace: bottest.Workspace}
	audience := func() (resolved, error) {
		return handlers.Read(e.Kit, func(tx *store.Tx) (resolved, error) { return f.audience(tx, at, audEveryone, "") })
	}
	before, err := audience()
	if err != nil {
		t.Fatal(err)
	}
	u := e.Known("田中")
	if err := e.St.Update(func(tx *store.Tx) error { _, err := tx.ForgetUser(u.ID); return err }); err != nil {
		t.Fatal(err)
	}
	after, err := audience()
	if err != nil {
		t.Fatal(err)
	}
	if len(after.msgs) != len(before.msgs)-1 {
		t.Errorf("everyone after forgetting 田中: %d recipients; want %d", len(after.msgs), len(before.msgs)-1)
	}
	for _, m := range after.msgs {
		if m.To.User == "田中" || m.To.Platform == "deleted" {
			t.Errorf("a recipient is the forgotten person: %+v", m.To)
		}
	}
}
