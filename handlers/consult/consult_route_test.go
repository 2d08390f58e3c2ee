package consult

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
)

// The topic is matched by the text package's rules: English words stand
// alone, a stop word such as "it" names no topic in running English, and
// Japanese matches without spaces.
func TestQuestionsAreRoutedByTopicWords(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3) // topics キャリア (career, キャリアパス) and IT (teams, パソコン)
	for _, tc := range []struct{ question, topic string }{
		{"Is it normal to feel lost after a transfer?", "その他"},
		{"Can I take it easy during my first month at the embassy?", "その他"},
		{"Teamsで画面共有ができません", "IT"},
		{"ITの相談です。VPNにつながりません", "IT"},
		{"IT support for my laptop, please", "IT"},
		{"ＩＴの相談", "IT"},
		{"キャリアパスに悩んでいます", "キャリア"},
		{"I want to talk about my career", "キャリア"},
	} {
		turn := e.OK(bottest.DM("田中", tc.question))
		if want := "（" + tc.topic + "）を受け付けました"; !strings.Contains(turn.Text(), want) {
			t.Errorf("%q: ack = %q, want topic %s", tc.question, turn.Text(), tc.topic)
		}
	}
}

func TestQuestionMatchesAPartOfAJoinedTopicName(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.Topic("広報・SNS")
	e.Mentor("高橋", "広報・SNS")
	turn := e.OK(bottest.DM("田中", "SNSでの発信のコツを知りたいです"))
	if !strings.Contains(turn.Text(), "（広報・SNS）を受け付けました") {
		t.Errorf("ack = %q, want the 広報・SNS topic", turn.Text())
	}
	testenv.CardTo(t, turn, "高橋")
}

// A question posted in a channel has its thread from the moment it is
// stored: a reply there, however soon, is an answer, never chatter.
func TestReplyInAChannelQuestionsThreadIsNeverMissed(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.MapChannel("#career", "キャリア")
	e.Mentor("佐藤", "キャリア")
	q := bottest.Post("田中", "#career", "キャリアパスに悩んでいます")
	e.OK(q)
	if c := e.Consultation(1); c.Public == nil || c.Public.Thread != q.ID || c.Public.Channel != "#career" {
		t.Fatalf("public thread = %+v, want the post's own thread (%s)", c.Public, q.ID)
	}
	e.OK(bottest.ThreadPost("佐藤", "#career", q.ID, "秋の面談で伝えましょう"))
	if c := e.Consultation(1); c.State != "answered" || len(c.Messages) != 2 {
		t.Errorf("after a reply in the post's thread: state %s, %d messages; want answered with 2", c.State, len(c.Messages))
	}
}
