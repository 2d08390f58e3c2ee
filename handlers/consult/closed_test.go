package consult

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

func TestClosedConsultationRefusesPostsAndRelaysNothing(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.MapChannel("#career", "キャリア")
	e.Mentor("佐藤", "キャリア")
	e.Mentor("鈴木", "キャリア")
	turn := e.OK(bottest.DM("田中", "キャリアの相談です"))
	card := testenv.CardTo(t, turn, "佐藤")
	other := testenv.CardTo(t, turn, "鈴木")
	asker := turn.Addresses[0]
	e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "面談で伝えましょう"))
	e.OK(bottest.Command("田中", "/soudan close 1"))
	msgs := len(e.Consultation(1).Messages)

	// A mentor's reply in their card's thread: refused, saying the asker
	// can reopen it; nothing reaches the asker or anyone else.
	m := bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "追加で一言")
	turn = e.Do(m)
	if s := turn.Text(); !strings.Contains(s, "⚠️") || !strings.Contains(s, "再開") || !strings.Contains(s, "伝えていません") {
		t.Errorf("mentor's reply after close: got %q, want a refusal saying it was not passed on and the asker can reopen", s)
	}
	if len(turn.Sent) != 0 {
		t.Errorf("mentor's reply after close was relayed to %v", testenv.Recipients(turn.Sent))
	}
	// The answer form too, and a mention that would bring someone in.
	if got := e.Refused(bottest.Press("鈴木", other.At, actionAnswer, "1")); !strings.Contains(got, "再開") {
		t.Errorf("answer button after close: %q", got)
	}
	turn = e.Do(bottest.Submit("鈴木", other.At, formAnswer, "1", map[string]string{"answer": "遅れてすみません"}))
	if !strings.Contains(turn.Text(), "⚠️") || len(turn.Sent) != 0 {
		t.Errorf("answer form after close: %q, sent to %v; want a refusal and nothing relayed", turn.Text(), testenv.Recipients(turn.Sent))
	}
	turn = e.Do(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "@伊藤"))
	if !strings.Contains(turn.Text(), "⚠️") || len(turn.Sent) != 0 {
		t.Errorf("mention after close: %q, sent to %v; want a refusal and no invitation", turn.Text(), testenv.Recipients(turn.Sent))
	}
	// The asker's own post is refused with the way back.
	if got := e.Refused(bottest.ThreadPost("田中", asker.Channel, asker.Thread, "もう一つ質問が")); !strings.Contains(got, "/soudan reopen 1") {
		t.Errorf("asker's post after close: %q, want how to reopen", got)
	}
	if c := e.Consultation(1); len(c.Messages) != msgs || c.State != store.StateClosed || len(c.Participants) != 0 {
		t.Errorf("after refused posts: %d messages (want %d), state %s, participants %v", len(c.Messages), msgs, c.State, c.Participants)
	}

	// Reopened, it takes answers again.
	e.OK(bottest.Command("田中", "/soudan reopen 1"))
	turn = e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "再開ありがとうございます"))
	if !strings.Contains(testenv.DeliveredText(turn.Sent), "再開ありがとうございます") {
		t.Errorf("answer after reopen not relayed: %v", testenv.Recipients(turn.Sent))
	}

	// A resolved consultation's public thread: a reply there is not passed
	// on, and its author is told so (they alone).
	post := bottest.Post("伊藤", "#career", "評価面談の準備は？")
	e.OK(post)
	e.OK(bottest.Command("伊藤", "/soudan resolve 2 8"))
	turn = e.Do(bottest.ThreadPost("佐藤", "#career", post.ID, "資料を用意しておくと良いです"))
	if len(turn.Sent) != 0 || len(turn.Replies) != 1 || !turn.Replies[0].Ephemeral || !strings.Contains(turn.Replies[0].Text, "再開") {
		t.Errorf("reply in a resolved public thread: replies %+v, sent to %v; want one ephemeral note and no relay", turn.Replies, testenv.Recipients(turn.Sent))
	}
}
