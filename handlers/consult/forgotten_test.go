package consult

import (
	"context"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// forget forgets the user with the test platform id name, as admin forget
// does in the store.
func forget(t *testing.T, e *testenv.Env, name string) store.User {
	t.Helper()
	u := e.Known(name)
	if err := e.St.Update(func(tx *store.Tx) error { _, err := tx.ForgetUser(u.ID); return err }); err != nil {
		t.Fatalf("forget %s: %v", name, err)
	}
	return u
}

func TestAForgottenPersonsOldThreadTakesNoPosts(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	turn, card := careerCard(t, e)
	// 佐藤 brings 伊藤 in; 伊藤 gets a card and answers in its thread.
	turn = e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "@伊藤 さんが詳しいです"))
	invite := testenv.CardTo(t, turn, "伊藤")
	e.OK(bottest.ThreadPost("伊藤", invite.At.Channel, invite.At.Thread, "人事に聞くのが早いです"))
	old := forget(t, e, "伊藤")
	c := e.Consultation(1)
	for _, th := range c.Threads {
		if th.UserID == old.ID {
			t.Errorf("after forget the consultation still lists the forgotten person's thread %+v", th)
		}
	}
	msgs := len(c.Messages)

	// 伊藤 comes back (a new user to the bot) and replies in the old card's
	// thread: refused, recorded nowhere, relayed to nobody.
	turn = e.Do(bottest.ThreadPost("伊藤", invite.At.Channel, invite.At.Thread, "まだ見ていますか？"))
	if txt := turn.Text(); !strings.Contains(txt, "⚠️") || !strings.Contains(txt, "受け付けていません") {
		t.Errorf("post in the old thread: got %q, want a refusal", txt)
	}
	if len(turn.Sent) != 0 {
		t.Errorf("post in the old thread was relayed to %v", testenv.Recipients(turn.Sent))
	}
	if c := e.Consultation(1); len(c.Messages) != msgs {
		t.Errorf("messages = %d, want %d: the post was recorded", len(c.Messages), msgs)
	}
	if all, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByState() }); len(all) != 1 {
		t.Errorf("%d consultations, want 1: the post became a new question", len(all))
	}
	if back := e.Known("伊藤"); back.ID == old.ID {
		t.Fatalf("the returning person has the forgotten id %d", old.ID)
	}
	// Closing it tells those who helped, not the forgotten person: nothing
	// is addressed to their tombstone.
	turn = e.OK(bottest.Command("田中", "/soudan close 1"))
	for _, d := range turn.Sent {
		if d.At.Channel == "dm:伊藤" {
			t.Errorf("the close note went to 伊藤's DM: %q", d.Reply.Text)
		}
	}
	if strings.Contains(e.Log.String(), "delivery failed") || strings.Contains(e.Log.String(), "platform=deleted") {
		t.Errorf("a note was addressed to the forgotten person:\n%s", e.Log.String())
	}
}

// An invitation queued before the person is forgotten is not delivered at
// all: forget cancels what the outbox still holds for them, so no card
// reaches them and no thread of theirs is recorded. (A card already being
// sent at that moment records no thread either: threadSent skips a
// forgotten reader, TestThreadSentSkipsAForgottenReader.)
func TestAnInvitationQueuedBeforeForgetIsNotDelivered(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	_, card := careerCard(t, e)
	// The invitation is queued, and 伊藤 is forgotten before it goes out.
	before := len(e.Ad.Sent())
	if got := e.Ad.Do(context.Background(), e.Router, bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "@伊藤 さんが詳しいです")); got.Err != nil {
		t.Fatal(got.Err)
	}
	old := forget(t, e, "伊藤")
	e.Flush()
	for _, d := range e.Ad.Sent()[before:] {
		if d.At.Channel == "dm:伊藤" {
			t.Errorf("the invitation queued before forget was delivered: %q", d.Reply.Text)
		}
	}
	for _, th := range e.Consultation(1).Threads {
		if th.UserID == old.ID || th.Channel == "dm:伊藤" {
			t.Errorf("a thread of the forgotten person was recorded: %+v", th)
		}
	}
}

func TestADMThreadTakesPostsFromItsOwnerAlone(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	turn, card := careerCard(t, e)
	// Someone other than the card's owner posting in its DM thread is not
	// that owner (a person who came back as a new user, a changed id).
	turn = e.Do(bottest.ThreadPost("宇野", card.At.Channel, card.At.Thread, "代わりに答えます"))
	if !strings.Contains(turn.Text(), "⚠️") || len(turn.Sent) != 0 {
		t.Errorf("post by another user in 佐藤's card thread: %q, relayed to %v; want a refusal", turn.Text(), testenv.Recipients(turn.Sent))
	}
	if c := e.Consultation(1); len(c.Messages) != 1 || c.State != store.StateOpen {
		t.Errorf("consultation: %d messages, state %s; want the question alone, open", len(c.Messages), c.State)
	}
}

// An asker with no DM thread of their own (a question posted in a channel)
// hears of the first answer by a new DM; a reply in that DM's thread is a
// follow-up, not a refusal and not a new question.
func TestAReplyToTheFirstAnswersDMIsAFollowUp(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.MapChannel("#career", "キャリア")
	e.Mentor("佐藤", "キャリア")
	turn := e.OK(bottest.Post("田中", "#career", "異動の時期について"))
	card := testenv.CardTo(t, turn, "佐藤")
	turn = e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "4月が一般的です"))
	relay := testenv.CardTo(t, turn, "田中")
	turn = e.OK(bottest.ThreadPost("田中", relay.At.Channel, relay.At.Thread, "ありがとうございます、補足です"))
	if c := e.Consultation(1); len(c.Messages) != 3 || c.Messages[2].Kind != store.MsgFollowUp {
		t.Fatalf("messages %+v, want the reply recorded as a follow-up", c.Messages)
	}
	if txt := testenv.DeliveredText(turn.Sent); !strings.Contains(txt, "補足です") {
		t.Errorf("follow-up relayed as %q, want it to reach the mentor", txt)
	}
	turn = e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "もう一点"))
	if got := testenv.InThread(turn.Sent, relay.At.Channel, relay.At.Thread); len(got) != 1 {
		t.Errorf("second answer: %d deliveries in the asker's thread, want 1", len(got))
	}
	all, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByState() })
	if len(all) != 1 {
		t.Errorf("%d consultations, want 1", len(all))
	}
}

// A forgotten asker's consultation stays for the mentors, but nothing is
// addressed to the asker any more: not a take notice, an answer or a close.
func TestNothingIsAddressedToAForgottenAsker(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	_, card := careerCard(t, e)
	forget(t, e, "田中")
	var sent []bottest.Delivery
	sent = append(sent, e.OK(bottest.Press("佐藤", card.At, actionTake, "1")).Sent...)
	sent = append(sent, e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "回答です")).Sent...)
	sent = append(sent, e.OK(bottest.Command("admin", "/soudan close 1")).Sent...)
	for _, d := range sent {
		if d.At.Channel == "dm:田中" {
			t.Errorf("%q was sent to the forgotten asker's DM", d.Reply.Text)
		}
	}
	if log := e.Log.String(); strings.Contains(log, "platform=deleted") {
		t.Errorf("something was addressed to the forgotten asker:\n%s", log)
	}
}

// TestThreadSentSkipsAForgottenReader: a card that was being sent when its
// reader was forgotten (forget leaves an item in flight to finish) records
// no thread of theirs when its delivery is recorded.
func TestThreadSentSkipsAForgottenReader(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.Mentor("佐藤", "キャリア")
	e.OK(bottest.DM("田中", "キャリアの相談です"))
	e.OK(bottest.Command("伊藤", "/soudan mine"))
	ito := forget(t, e, "伊藤")
	at := bot.Address{Platform: bottest.Platform, Workspace: bottest.Workspace, Channel: "dm:伊藤", Thread: "msg-77"}
	err := e.St.Update(func(tx *store.Tx) error {
		return e.Kit.OnSent(context.Background(), tx, store.OutboxItem{OnSent: threadOnSent(1, ito.ID).String()}, at)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range e.Consultation(1).Threads {
		if th.UserID == ito.ID || th.Channel == at.Channel {
			t.Errorf("a thread of the forgotten reader was recorded: %+v", th)
		}
	}
}
