package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

// TestSearchLearnsFromResolvedQuestions: an anonymous question resolved
// with a suggested tip teaches the tip its words, so that a later
// question put the same way finds it, which it did not before; admins see
// the words on tip show and clear them, audited.
func TestSearchLearnsFromResolvedQuestions(t *testing.T) {
	t.Parallel()
	e := newFlowEnv(t, 3, nil)
	e.Mentor("佐藤", "IT")
	vpn := addFlowTip(t, e, "鈴木", "VPN の接続手順", "VPN クライアントを起動し、職員番号でログインします。", "IT", "")
	otherTips(t, e)
	sid := strconv.FormatUint(vpn, 10)

	none := e.Cmd("山田", "/soudan tip search 社外からつながらない")
	if !strings.Contains(none.Text(), "見つかりませんでした") {
		t.Fatalf("before learning, search = %q, want nothing found", none.Text())
	}

	// 田中 asks anonymously; the VPN tip is offered and resolves it.
	turn := e.OK(bottest.Command("田中", "/soudan ask --anon VPN が社外からつながらない"))
	deflect := buttonsOf(turn.Replies[0], "consult.deflect")
	if len(deflect) != 1 || !strings.HasSuffix(deflect[0].Value, ":"+sid) {
		t.Fatalf("acknowledgement %q buttons %+v, want the VPN tip offered", turn.Replies[0].Text, turn.Replies[0].Buttons)
	}
	e.OK(bottest.Press("田中", testenv.DM("田中"), "consult.deflect", deflect[0].Value))

	// Now the same words find the VPN tip, in search and as a related tip.
	found := e.Cmd("山田", "/soudan tip search 社外からつながらない")
	if !strings.Contains(found.Text(), "#"+sid) || !strings.Contains(found.Text(), "過去の質問の言葉に一致: 社外, つながらない") {
		t.Errorf("after learning, search = %q, want tip #%s, matched by learned words", found.Text(), sid)
	}
	turn = e.OK(bottest.DM("山田", "社外からつながらないです"))
	if got := buttonsOf(turn.Replies[0], "consult.deflect"); len(got) != 1 || !strings.HasSuffix(got[0].Value, ":"+sid) {
		t.Errorf("a later question's related tips %+v, want the VPN tip", got)
	}

	// The words, never the asker: only admins see them.
	var ls []store.LearnedWord
	_ = e.St.View(func(tx *store.Tx) (err error) { ls, err = tx.TipLearned(vpn); return err })
	if len(ls) != 2 || ls[0].Word != "社外" || ls[1].Word != "つながらない" {
		t.Errorf("learned %+v, want 社外 and つながらない", ls)
	}
	if show := e.Cmd("山田", "/soudan tip show "+sid); hasField(show.Replies[0].Fields, "学習", "社外") {
		t.Errorf("a member sees the learned words: %+v", show.Replies[0].Fields)
	}
	if show := e.Cmd("admin", "/soudan tip show "+sid); !hasField(show.Replies[0].Fields, "学習", "社外 ×1") {
		t.Errorf("tip show for an admin = %+v, want the learned words", show.Replies[0].Fields)
	}

	// Only admins unlearn; bad input changes nothing.
	e.Refused(bottest.Command("鈴木", "/soudan tip unlearn "+sid))
	testenv.WantReply(t, e.Cmd("admin", "/soudan tip unlearn "+sid+" 在宅"), e.Refusal("ja", "tip.unlearn.none", "ID", vpn, "Word", "在宅"))
	turn = e.Cmd("admin", "/soudan tip unlearn "+sid+" 社外")
	if !strings.Contains(turn.Text(), "社外") {
		t.Errorf("unlearn reply = %q", turn.Text())
	}
	turn = e.Cmd("admin", "/soudan tip unlearn "+sid)
	if !strings.Contains(turn.Text(), "つながらない") {
		t.Errorf("unlearn reply = %q", turn.Text())
	}
	testenv.WantReply(t, e.Cmd("admin", "/soudan tip unlearn "+sid), e.Refusal("ja", "tip.unlearn.nothing", "ID", vpn))
	if again := e.Cmd("山田", "/soudan tip search 社外からつながらない"); strings.Contains(again.Text(), "#"+sid) {
		t.Errorf("after unlearning, search = %q", again.Text())
	}
	_ = e.St.View(func(tx *store.Tx) error {
		log, _ := tx.AuditLog(10)
		n := 0
		for _, a := range log {
			if a.Action == "tip.unlearn" {
				n++
			}
		}
		if n != 2 {
			t.Errorf("audit has %d tip.unlearn entries, want 2", n)
		}
		return nil
	})
}

// otherTips are a few tips besides the VPN one (a search of one tip
// finds nothing well).
func otherTips(t *testing.T, e *flowEnv) {
	addFlowTip(t, e, "鈴木", "印刷できないとき", "プリンタのドライバを入れ直します。", "", "")
	addFlowTip(t, e, "鈴木", "超過勤務の申請", "前日までに申請します。", "", "")
	addFlowTip(t, e, "鈴木", "Teams の通知が来ない", "通知の設定を確認します。", "", "")
}

// hasField reports whether fields has one whose label holds label and
// whose value holds value.
func hasField(fields []bot.Field, label, value string) bool {
	for _, f := range fields {
		if strings.Contains(f.Label, label) && strings.Contains(f.Value, value) {
			return true
		}
	}
	return false
}

// TestSavedConsultationTeachesTheTip: a tip saved from a consultation,
// its question rewritten in the form, learns the asker's words.
func TestSavedConsultationTeachesTheTip(t *testing.T) {
	t.Parallel()
	e := newFlowEnv(t, 3, nil)
	e.Mentor("佐藤", "IT")
	otherTips(t, e)
	e.OK(bottest.DM("田中", "パソコンが社外からつながらない"))
	answer(e, "佐藤", 1, "VPN クライアントを起動してください。")
	e.OK(bottest.Command("田中", "/soudan resolve 1 9"))
	turn := e.OK(bottest.Submit("佐藤", testenv.DM("佐藤"), "tip.form", "c:1", map[string]string{
		"title": "VPN の接続手順", "body": "VPN クライアントを起動し、職員番号でログインします。",
	}))
	if !strings.Contains(turn.Replies[0].Text, "を登録しました") {
		t.Fatalf("save: %q", testenv.ReplyTexts(turn))
	}
	found := e.Cmd("山田", "/soudan tip search 社外からつながらない")
	if !strings.Contains(found.Text(), "VPN の接続手順") {
		t.Errorf("search = %q, want the saved tip", found.Text())
	}
}
