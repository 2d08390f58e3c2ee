package consult

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
)

func TestRatingAndCommentNeverReachAPublicThread(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.MapChannel("#career", "キャリア")
	e.Mentor("佐藤", "キャリア")
	post := bottest.Post("田中", "#career", "評価面談で何を話せばいいですか")
	turn := e.OK(post)
	card := testenv.CardTo(t, turn, "佐藤")
	e.OK(bottest.ThreadPost("伊藤", "#career", post.ID, "去年の目標を振り返るといいです"))
	e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "具体例を用意しましょう"))

	// The form says who will read the rating and the comment.
	form := testenv.FormOf(t, e.OK(bottest.Press("田中", testenv.DM("田中"), actionResolve, "1")))
	for _, name := range []string{"rating", "comment"} {
		if hint := testenv.InputOf(t, form, name).Hint; !strings.Contains(hint, "メンター") || !strings.Contains(hint, "チャンネル") {
			t.Errorf("%s hint = %q, want it to say the mentors see it and the channel does not", name, hint)
		}
	}
	const comment = "正直あまり参考になりませんでした"
	turn = e.OK(bottest.Submit("田中", testenv.DM("田中"), formResolve, "1", map[string]string{"rating": "2", "comment": comment}))

	public := testenv.InThread(turn.Sent, "#career", post.ID)
	if len(public) != 1 || !strings.Contains(public[0].Reply.Text, "解決しました") {
		t.Fatalf("public thread got %+v, want one note that it was resolved", public)
	}
	if txt := public[0].Reply.Text; strings.Contains(txt, "2 / 10") || strings.Contains(txt, comment) || strings.Contains(txt, "評価") {
		t.Errorf("public thread shows the rating or comment: %q", txt)
	}
	for _, who := range []string{"佐藤", "伊藤"} {
		var got string
		for _, d := range turn.Sent {
			if d.At.Channel == "dm:"+who {
				got += d.Reply.Text
			}
		}
		if !strings.Contains(got, "2 / 10") || !strings.Contains(got, comment) {
			t.Errorf("%s's DM = %q, want the rating and comment (feedback to those who helped)", who, got)
		}
	}
	if txt := turn.Text(); !strings.Contains(txt, "メンター") {
		t.Errorf("asker told %q, want who received the rating", txt)
	}
	// An asker's note on close stays with the people too.
	post2 := bottest.Post("田中", "#career", "異動の時期について")
	e.OK(post2)
	turn = e.OK(bottest.Command("田中", "/soudan close 2 上司と直接話せたので大丈夫です"))
	for _, d := range testenv.InThread(turn.Sent, "#career", post2.ID) {
		if strings.Contains(d.Reply.Text, "上司と直接") {
			t.Errorf("close note posted in the public thread: %q", d.Reply.Text)
		}
	}
}
