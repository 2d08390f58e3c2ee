package consult

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

func TestContainsWord(t *testing.T) {
	for _, tc := range []struct {
		s, w string
		want bool
	}{
		{"it の設定がわからない", "it", true},
		{"teamsの使い方", "teams", true},             // Latin word followed by Japanese
		{"how to deal with stress", "it", false}, // inside "with"
		{"it's broken", "it", true},
		{"キャリアパスに悩んでいます", "キャリア", true},
		{"海外赴任の準備", "赴任", true},
		{"", "it", false},
		{"anything", "", false},
		{"wifi と it", "it", true}, // the second occurrence stands alone
	} {
		if got := containsWord(tc.s, tc.w); got != tc.want {
			t.Errorf("containsWord(%q, %q) = %v, want %v", tc.s, tc.w, got, tc.want)
		}
	}
}

func TestTopicWordsSplitJoinedNames(t *testing.T) {
	got := strings.Join(topicWords(store.Topic{Name: "IT・Teams", Aliases: []string{"パソコン"}}), "|")
	if want := "it・teams|パソコン|it|teams"; got != want {
		t.Errorf("topicWords = %q, want %q", got, want)
	}
	got = strings.Join(topicWords(store.Topic{Name: "キャリア／異動"}), "|")
	if want := "キャリア/異動|キャリア|異動"; got != want {
		t.Errorf("topicWords = %q, want %q (full-width slash folded by NFKC)", got, want)
	}
	if got := topicWords(store.Topic{Name: "国会業務"}); len(got) != 1 {
		t.Errorf("a one-word name gives %q, want just the name", got)
	}
}

func TestQuestionMatchesAPartOfAJoinedTopicName(t *testing.T) {
	e := newConsultEnv(t, 3)
	e.Topic("広報・SNS")
	e.Mentor("高橋", "広報・SNS")
	turn := e.OK(bottest.DM("田中", "SNSでの発信のコツを知りたいです"))
	if !strings.Contains(turn.Text(), "（広報・SNS）を受け付けました") {
		t.Errorf("ack = %q, want the 広報・SNS topic", turn.Text())
	}
	testenv.CardTo(t, turn, "高橋")
}
