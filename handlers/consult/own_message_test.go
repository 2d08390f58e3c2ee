package consult

import (
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
)

func TestMentorIsNotToldOfTheirOwnAnswer(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.MapChannel("#career", "キャリア")
	e.Mentor("佐藤", "キャリア")
	e.Mentor("鈴木", "キャリア")
	post := bottest.Post("田中", "#career", "異動の希望はどう出せばいいですか？")
	turn := e.OK(post)
	card := testenv.CardTo(t, turn, "佐藤")

	// 佐藤 answers in the public thread: the asker and 鈴木 hear of it,
	// 佐藤's own card thread does not.
	turn = e.OK(bottest.ThreadPost("佐藤", "#career", post.ID, "面談で伝えましょう"))
	if got := testenv.InThread(turn.Sent, card.At.Channel, card.At.Thread); len(got) != 0 {
		t.Errorf("the answer was echoed to its author's card thread: %q", testenv.DeliveredText(got))
	}
	for _, d := range turn.Sent {
		if d.To.User == "佐藤" {
			t.Errorf("佐藤 was sent %q, want nothing about their own answer", d.Reply.Text)
		}
	}
	if len(turn.Sent) != 2 {
		t.Errorf("relayed to %v, want the asker and the other mentor", testenv.Recipients(turn.Sent))
	}

	// The same in the card thread: the other mentor and the asker, not 佐藤.
	turn = e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "補足です"))
	for _, d := range turn.Sent {
		if d.To.User == "佐藤" {
			t.Errorf("佐藤 was sent %q from their own card thread", d.Reply.Text)
		}
	}
}
