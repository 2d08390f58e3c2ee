package knowledge

import (
	"strconv"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

// newEnv is the knowledge feature alone, with the topics IT・Teams and
// 人事 besides the default one. "admin" is an admin.
func newEnv(t *testing.T) *testenv.Env {
	t.Helper()
	e := testenv.New(t, testenv.Options{})
	e.Register(New(e.Kit))
	e.DefaultTopic()
	e.Topic("IT・Teams", "it")
	e.Topic("人事")
	return e
}

// addTip adds a tip through the form as user and returns its id.
func addTip(t *testing.T, e *testenv.Env, user, title, body, topic, tags string) uint64 {
	t.Helper()
	f := testenv.FormOf(t, e.Cmd(user, "/soudan tip add"))
	if f.ID != formTip {
		t.Fatalf("form %q, want %q", f.ID, formTip)
	}
	form := map[string]string{"title": title, "body": body, "tags": tags}
	if topic != "" {
		form["topic"] = strconv.FormatUint(e.Topic(topic).ID, 10)
	}
	turn := e.Submit(user, formTip, form)
	if len(turn.Replies) != 1 || turn.Replies[0].Form != nil {
		t.Fatalf("submit %q: replies %q, want the saved tip", title, testenv.ReplyTexts(turn))
	}
	var ids []uint64
	_ = e.St.View(func(tx *store.Tx) error {
		ts, err := tx.Tips()
		for _, tp := range ts {
			ids = append(ids, tp.ID)
		}
		return err
	})
	id := ids[len(ids)-1]
	if !strings.HasPrefix(turn.Replies[0].Text, e.Kit.TL("ja", "tip.added", "ID", id)) {
		t.Errorf("reply %q, want it to start with the added notice", turn.Replies[0].Text)
	}
	return id
}

func reply(t *testing.T, turn *bottest.Turn) string {
	t.Helper()
	if len(turn.Replies) != 1 {
		t.Fatalf("replies = %q, want one", testenv.ReplyTexts(turn))
	}
	return turn.Replies[0].Text
}

func TestAddShowSearch(t *testing.T) {
	e := newEnv(t)
	id := addTip(t, e, "佐藤", "Teams で画面共有できないとき", "Teams を再起動し、画面共有の権限を確認します。@channel", "IT・Teams", "Teams、画面共有")
	addTip(t, e, "佐藤", "VPN に接続できない", "VPN クライアントを更新してから再接続します。", "IT・Teams", "")
	addTip(t, e, "鈴木", "異動の希望の出し方", "秋の面談で上司に伝えます。", "人事", "")

	show := e.Cmd("田中", "/soudan tip show "+strconv.FormatUint(id, 10))
	r := show.Replies[0]
	if !strings.Contains(r.Title, "Teams で画面共有できないとき") || strings.Contains(r.Text, "@channel") && !strings.Contains(r.Text, bot.Neutralize("@channel")) {
		t.Errorf("show = %q / %q", r.Title, r.Text)
	}
	if len(r.Buttons) != 1 || r.Buttons[0].ID != actionHelpful {
		t.Errorf("show buttons = %+v, want the helpful button", r.Buttons)
	}

	got := reply(t, e.Cmd("田中", "/soudan tip search ＴＥＡＭＳ"))
	if !strings.Contains(got, "#1 Teams で画面共有できないとき（IT・Teams）") || !strings.Contains(got, "*Teams*") {
		t.Errorf("search ＴＥＡＭＳ = %q, want tip 1 with its topic and the word marked", got)
	}
	if got := reply(t, e.Cmd("田中", "/soudan ヒント 検索 ｖｐｎ")); !strings.Contains(got, "#2 VPN に接続できない") || strings.Contains(got, "#1 ") {
		t.Errorf("search ｖｐｎ = %q, want tip 2 only", got)
	}
	if got := reply(t, e.Cmd("田中", "/soudan ナレッジ 量子コンピュータ")); got != e.Kit.TL("ja", "tip.search.none", "Query", "量子コンピュータ") {
		t.Errorf("no match = %q", got)
	}
	for _, tc := range []struct{ line, want string }{
		{"/soudan tip search -n 0 VPN", e.Refusal("ja", "tip.error.bad_n", "Max", 20)},
		{"/soudan tip search -n 21 VPN", e.Refusal("ja", "tip.error.bad_n", "Max", 20)},
		{"/soudan tip search", e.Refusal("ja", "admin.error.usage", "Usage", e.Kit.TL("ja", "usage.tip.search"))},
		{"/soudan tip search 🙂", e.Refusal("ja", "tip.error.no_words", "Query", "🙂")},
		{"/soudan tip search -n 3 ！？", e.Refusal("ja", "tip.error.no_words", "Query", "！？")},
		{"/soudan tip show abc", e.Refusal("ja", "tip.error.bad_id", "ID", "abc")},
		{"/soudan tip show 99", e.Refusal("ja", "tip.error.not_found", "ID", 99)},
		{"/soudan tip list 存在しない", e.Refusal("ja", "tip.error.no_topic", "Name", "存在しない")},
	} {
		testenv.WantReply(t, e.Cmd("田中", tc.line), tc.want)
	}
	// -n limits the results.
	if got := reply(t, e.Cmd("田中", "/soudan tip search -n 1 できない")); strings.Count(got, "\n#") != 1 {
		t.Errorf("search -n 1 = %q, want one result", got)
	}
}

func TestAddRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		field string
		form  map[string]string
	}{
		{"title", map[string]string{"title": " ", "body": "x"}},
		{"body", map[string]string{"title": "t", "body": ""}},
		{"topic", map[string]string{"title": "t", "body": "x", "topic": "999"}},
		{"links", map[string]string{"title": "t", "body": "x", "links": "javascript:alert(1)"}},
		{"tags", map[string]string{"title": "t", "body": "x", "tags": strings.Repeat("長", 51)}},
	} {
		turn := e.Submit("佐藤", formTip, tc.form)
		f := testenv.FormOf(t, turn)
		if f.Errors[tc.field] == "" {
			t.Errorf("%v: errors %v, want one on %s", tc.form, f.Errors, tc.field)
		}
	}
	// Every problem at once: an empty title and body name both.
	f := testenv.FormOf(t, e.Submit("佐藤", formTip, map[string]string{"title": "", "body": " ", "links": "ftp:x"}))
	for _, field := range []string{"title", "body", "links"} {
		if f.Errors[field] == "" {
			t.Errorf("empty title and body, bad link: errors %v, want one on %s", f.Errors, field)
		}
	}
	_ = e.St.View(func(tx *store.Tx) error {
		all, _ := tx.Tips()
		if len(all) != 0 {
			t.Errorf("refused forms stored %d tips", len(all))
		}
		return nil
	})
}

func TestEditChangesSearchAndAuthorOnly(t *testing.T) {
	e := newEnv(t)
	id := addTip(t, e, "佐藤", "印刷できない", "プリンタを再起動します。", "IT・Teams", "")
	sid := strconv.FormatUint(id, 10)

	// Someone else may not edit or delete.
	testenv.WantReply(t, e.Cmd("田中", "/soudan tip edit "+sid), e.Refusal("ja", "tip.error.not_author", "ID", id))
	testenv.WantReply(t, e.Do(bottest.Submit("田中", testenv.DM("田中"), formTip, sid, map[string]string{"title": "乗っ取り", "body": "x"})),
		e.Refusal("ja", "tip.error.not_author", "ID", id))
	testenv.WantReply(t, e.Cmd("田中", "/soudan tip delete "+sid), e.Refusal("ja", "tip.error.not_author", "ID", id))

	// The author gets the form prefilled.
	f := testenv.FormOf(t, e.Cmd("佐藤", "/soudan tip edit "+sid))
	if f.Value != sid || testenv.InputOf(t, f, "title").Value != "印刷できない" || testenv.InputOf(t, f, "topic").Value != strconv.FormatUint(e.Topic("IT・Teams").ID, 10) {
		t.Errorf("edit form = %+v, want it prefilled", f)
	}
	e.Do(bottest.Submit("佐藤", testenv.DM("佐藤"), formTip, sid, map[string]string{"title": "複合機のトナー交換", "body": "総務に連絡します。", "topic": ""}))
	if got := reply(t, e.Cmd("佐藤", "/soudan tip search 再起動")); !strings.HasPrefix(got, "「再起動」に合う") {
		t.Errorf("old words still found: %q", got)
	}
	if got := reply(t, e.Cmd("佐藤", "/soudan tip search トナー")); !strings.Contains(got, "#1 複合機のトナー交換（テーマなし）") {
		t.Errorf("new words not found: %q", got)
	}
	// An admin may edit; the edit is audited.
	e.Do(bottest.Submit("admin", testenv.DM("admin"), formTip, sid, map[string]string{"title": "トナー交換", "body": "総務に連絡します。"}))
	author := e.Known("佐藤").ID
	_ = e.St.View(func(tx *store.Tx) error {
		got, err := tx.Tip(id)
		if err != nil || got.Title != "トナー交換" || got.Author != author {
			t.Errorf("after admin edit: %+v, %v", got, err)
		}
		return nil
	})
	// The author deletes it: gone from search and show.
	testenv.WantReply(t, e.Cmd("佐藤", "/soudan tip delete "+sid), e.Kit.TL("ja", "tip.deleted", "ID", id, "Title", "トナー交換"))
	if got := reply(t, e.Cmd("佐藤", "/soudan tip search トナー")); !strings.HasPrefix(got, "「トナー」に合う") {
		t.Errorf("deleted tip still found: %q", got)
	}
	testenv.WantReply(t, e.Cmd("佐藤", "/soudan tip show "+sid), e.Refusal("ja", "tip.error.not_found", "ID", id))
}

func TestListByTopicAndHelpfulOnce(t *testing.T) {
	e := newEnv(t)
	a := addTip(t, e, "佐藤", "VPN の設定", "手順書を見る。", "IT・Teams", "")
	addTip(t, e, "佐藤", "年休の取り方", "上司に相談。", "人事", "")
	got := reply(t, e.Cmd("田中", "/soudan tip list it"))
	if !strings.Contains(got, "#1 VPN の設定（IT・Teams）") || strings.Contains(got, "年休") {
		t.Errorf("list it = %q, want the IT tip only", got)
	}
	if got := reply(t, e.Cmd("田中", "/soudan tip 一覧")); !strings.Contains(got, "年休") || !strings.Contains(got, "VPN") {
		t.Errorf("list = %q, want both", got)
	}
	sid := strconv.FormatUint(a, 10)
	testenv.WantReply(t, e.Press("田中", actionHelpful, sid), e.Kit.TL("ja", "tip.helpful.thanks", "ID", a, "Count", 1))
	testenv.WantReply(t, e.Press("田中", actionHelpful, sid), e.Refusal("ja", "tip.error.voted", "ID", a))
	testenv.WantReply(t, e.Press("鈴木", actionHelpful, sid), e.Kit.TL("ja", "tip.helpful.thanks", "ID", a, "Count", 2))
	testenv.WantReply(t, e.Press("鈴木", actionHelpful, "77"), e.Refusal("ja", "tip.error.not_found", "ID", 77))
}

func TestEnglishUser(t *testing.T) {
	e := newEnv(t)
	addTip(t, e, "佐藤", "VPN setup", "Update the VPN client first.", "", "")
	got := reply(t, e.CmdEN("bob", "/soudan tip search vpn"))
	if !strings.HasPrefix(got, `Results for "vpn" (1)`) || !strings.Contains(got, "#1 VPN setup (no topic)") {
		t.Errorf("english search = %q", got)
	}
}

func TestSnippet(t *testing.T) {
	for _, tc := range []struct {
		s     string
		terms []string
		width int
		want  string
	}{
		{"Teams を再起動", []string{"teams"}, 80, "*Teams* を再起動"},
		{"ＶＰＮ　の設定", []string{"vpn"}, 80, "*ＶＰＮ* の設定"},
		{strings.Repeat("あ", 50) + "京都" + strings.Repeat("い", 50), []string{"京都"}, 20, "…" + strings.Repeat("あ", 6) + "*京都*" + strings.Repeat("い", 12) + "…"},
		{"no match", []string{"x"}, 4, "no m…"},
		{"", nil, 10, ""},
	} {
		if got := Snippet(tc.s, tc.terms, tc.width); got != tc.want {
			t.Errorf("Snippet(%q, %q) = %q, want %q", tc.s, tc.terms, got, tc.want)
		}
	}
}
