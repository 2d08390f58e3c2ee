package knowledge

import (
	"strconv"
	"strings"
	"testing"

	"github.com/soudan/soudan/internal/testenv"
)

// addLinkTip adds a tip with links through the form and returns its id.
func addLinkTip(t *testing.T, e *testenv.Env, user, title, topic, links string) uint64 {
	t.Helper()
	form := map[string]string{"title": title, "body": title + "の手順", "links": links}
	if topic != "" {
		form["topic"] = strconv.FormatUint(e.Topic(topic).ID, 10)
	}
	turn := e.Submit(user, formTip, form)
	if len(turn.Replies) != 1 || turn.Replies[0].Form != nil {
		t.Fatalf("submit %q: %q", title, testenv.ReplyTexts(turn))
	}
	id, _ := strconv.ParseUint(turn.Replies[0].Anchor[len("tip:"):], 10, 64)
	return id
}

func TestLinksByTopicMostHelpfulFirst(t *testing.T) {
	e := newEnv(t)
	testenv.WantReply(t, e.Cmd("田中", "/soudan tip links"), e.Kit.TL("ja", "tip.links.empty"))

	vpn := addLinkTip(t, e, "佐藤", "VPN 接続マニュアル", "IT・Teams", "https://intra.example.jp/vpn.pdf")
	teams := addLinkTip(t, e, "佐藤", "Teams 利用ガイド", "IT・Teams", "https://intra.example.jp/teams\nhttps://intra.example.jp/teams-faq")
	addTip(t, e, "佐藤", "リンクのないヒント", "再起動する。", "IT・Teams", "")
	leave := addLinkTip(t, e, "鈴木", "休暇の手引き", "人事", "https://intra.example.jp/leave")
	for _, u := range []string{"田中", "山田"} {
		e.Press(u, actionHelpful, strconv.FormatUint(teams, 10))
	}

	got := reply(t, e.Cmd("田中", "/soudan tip リンク IT"))
	want := []string{
		"📎 リンク集: IT・Teams（役に立った順）",
		"#" + strconv.FormatUint(teams, 10) + " Teams 利用ガイド（👍 2）",
		"    https://intra.example.jp/teams",
		"    https://intra.example.jp/teams-faq",
		"#" + strconv.FormatUint(vpn, 10) + " VPN 接続マニュアル（👍 0）",
		"    https://intra.example.jp/vpn.pdf",
	}
	if !strings.HasPrefix(got, strings.Join(want, "\n")+"\n") {
		t.Errorf("tip links IT =\n%s\nwant it to start with\n%s", got, strings.Join(want, "\n"))
	}
	if strings.Contains(got, "リンクのない") || strings.Contains(got, "休暇") {
		t.Errorf("tip links IT = %q, want only IT tips with links", got)
	}
	all := reply(t, e.Cmd("田中", "/soudan tip links"))
	for _, w := range []string{"■ IT・Teams", "■ 人事", "#" + strconv.FormatUint(leave, 10) + " 休暇の手引き（👍 0）"} {
		if !strings.Contains(all, w) {
			t.Errorf("tip links = %q, want %q in it", all, w)
		}
	}
	if strings.Index(all, "Teams 利用ガイド") > strings.Index(all, "VPN 接続マニュアル") {
		t.Errorf("tip links = %q, want the most helpful first", all)
	}
	testenv.WantReply(t, e.Cmd("田中", "/soudan tip links 存在しない"), e.Refusal("ja", "tip.error.no_topic", "Name", "存在しない"))
	if got := reply(t, e.CmdEN("bob", "/soudan tip links 人事")); !strings.HasPrefix(got, "📎 Links: 人事 (most helpful first)") {
		t.Errorf("english tip links = %q", got)
	}
}
