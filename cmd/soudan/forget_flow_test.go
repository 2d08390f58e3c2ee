package main

import (
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// After admin forget, the reminders, like every feature, address nothing
// to the forgotten asker: the ask-to-resolve and the automatic close go to
// nobody's DM, and no delivery to the tombstone fails in the outbox.
func TestRemindersAddressNothingToAForgottenAsker(t *testing.T) {
	t.Parallel()
	e := newReminderEnv(t)
	e.Mentor("佐藤", "キャリア")
	turn := e.OK(bottest.DM("田中", "キャリアの相談です"))
	card := testenv.CardTo(t, turn, "佐藤")
	e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "面談で伝えましょう"))
	tanaka := e.Known("田中")
	e.OK(bottest.Command("admin", "/soudan admin forget 田中 --yes"))
	if u, _ := storetest.Read(e.St, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(tanaka.ID) }); !u.Deleted {
		t.Fatalf("田中 not forgotten: %+v", u)
	}
	var got []bottest.Delivery
	got = append(got, e.remind(flowNow.Add(7*24*time.Hour))...)
	got = append(got, e.remind(flowNow.Add(14*24*time.Hour))...)
	for _, d := range got {
		if d.At.Channel == "dm:田中" {
			t.Errorf("sent to the forgotten asker's DM: %q", d.Reply.Text)
		}
	}
	if c := e.Consultation(1); c.State != store.StateClosed {
		t.Errorf("state %s, want closed after 14 quiet days (the mentor is still told)", c.State)
	}
	if log := e.Log.String(); strings.Contains(log, "platform=deleted") {
		t.Errorf("a message was addressed to the forgotten asker:\n%s", log)
	}
}
