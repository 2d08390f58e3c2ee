package consult

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestRedeliveryFinishesQuestionCutShort: the process died after the
// consultation was recorded but before it was published and routed. The
// platform's redelivery of the same event must finish the job once.
func TestRedeliveryFinishesQuestionCutShort(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.Mentor("佐藤", "キャリア")
	m := bottest.DM("田中", "キャリアの相談です")
	asker := e.User("田中")
	// What the first delivery managed before the crash.
	if _, _, err := storetest.Write2(e.St, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{TopicID: 2, AskerID: asker.ID, EventID: m.ID,
			Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: asker.ID, Text: "キャリアの相談です", EventID: m.ID}}})
	}); err != nil {
		t.Fatal(err)
	}

	turn := e.OK(m)
	if !strings.Contains(turn.Text(), "相談 #1（キャリア）を受け付けました") {
		t.Errorf("ack = %q, want consultation #1 acknowledged", turn.Text())
	}
	testenv.CardTo(t, turn, "佐藤")
	c := e.Consultation(1)
	if len(c.Routed) != 1 || len(c.Threads) != 2 {
		t.Errorf("routed %v, %d threads; want the mentor routed and both threads recorded", c.Routed, len(c.Threads))
	}
	// Now it is finished: a further redelivery does nothing at all.
	again := *m
	if turn := e.Do(&again); len(turn.Sent)+len(turn.Replies) != 0 {
		t.Errorf("redelivery after finishing sent %d and replied %d", len(turn.Sent), len(turn.Replies))
	}
	if all, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByState() }); len(all) != 1 {
		t.Errorf("consultations = %d, want 1", len(all))
	}
}

// TestRedeliveryFinishesAnswerCutShort: the answer was stored but the
// process died before relaying it; the redelivery relays it once.
func TestRedeliveryFinishesAnswerCutShort(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.Mentor("佐藤", "キャリア")
	card := testenv.CardTo(t, e.OK(bottest.DM("田中", "キャリアの相談です")), "佐藤")
	m := bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "秋の面談で伝えましょう")
	mentor := e.User("佐藤")
	if _, _, err := storetest.Write2(e.St, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().AddMessage(1, store.ConsultMessage{Kind: store.MsgAnswer, AuthorID: mentor.ID, Text: "秋の面談で伝えましょう", EventID: m.ID})
	}); err != nil {
		t.Fatal(err)
	}

	turn := e.OK(m)
	if got := testenv.DeliveredText(turn.Sent); strings.Count(got, "秋の面談で伝えましょう") != 1 || !strings.Contains(got, "佐藤さんから回答") {
		t.Errorf("relays = %q, want the answer relayed to the asker once", got)
	}
	c := e.Consultation(1)
	if c.State != store.StateAnswered || len(c.Messages) != 2 {
		t.Errorf("state %s with %d messages, want answered with 2", c.State, len(c.Messages))
	}
	again := *m
	if turn := e.Do(&again); len(turn.Sent) != 0 {
		t.Errorf("second redelivery relayed again: %v", testenv.Recipients(turn.Sent))
	}
}
