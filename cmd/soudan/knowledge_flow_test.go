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

// addFlowTip adds a tip through the tip form as user, in topic (by name;
// "" for none), and returns its id.
func addFlowTip(t *testing.T, e *flowEnv, user, title, body, topic, links string) uint64 {
	t.Helper()
	testenv.FormOf(t, e.Cmd(user, "/soudan tip add"))
	form := map[string]string{"title": title, "body": body, "links": links}
	if topic != "" {
		form["topic"] = strconv.FormatUint(e.Topic(topic).ID, 10)
	}
	turn := e.OK(bottest.Submit(user, testenv.DM(user), "tip.form", "", form))
	id, err := strconv.ParseUint(strings.TrimPrefix(turn.Replies[0].Anchor, "tip:"), 10, 64)
	if err != nil {
		t.Fatalf("saved tip: %q", testenv.ReplyTexts(turn))
	}
	return id
}

// buttonsOf are the buttons of r with the given id.
func buttonsOf(r bot.Reply, id string) []bot.Button {
	var out []bot.Button
	for _, b := range r.Buttons {
		if b.ID == id {
			out = append(out, b)
		}
	}
	return out
}

func TestRelatedTipsOnANewQuestionAndResolvingWithOne(t *testing.T) {
	e := newFlowEnv(t, 3, nil)
	e.Mentor("佐藤", "IT")
	vpn := addFlowTip(t, e, "鈴木", "VPN に接続できないとき", "VPN クライアントを更新してから再接続します。", "IT", "https://intra.example.jp/vpn")
	addFlowTip(t, e, "鈴木", "在宅勤務の申請", "在宅勤務は前日までに申請します。", "", "")
	addFlowTip(t, e, "鈴木", "京都出張の宿", "早めに予約します。", "", "")

	// 田中 asks by DM: the acknowledgement lists the VPN tip with a button;
	// the mentor's card shows it too.
	turn := e.OK(bottest.DM("田中", "自宅のパソコンから VPN に接続できないのですが、どうすればいいですか"))
	ack := turn.Replies[0]
	if !strings.Contains(ack.Text, "📚 こちらが参考になるかもしれません") || !strings.Contains(ack.Text, "ヒント #"+strconv.FormatUint(vpn, 10)+" VPN に接続できないとき") || !strings.Contains(ack.Text, "https://intra.example.jp/vpn") {
		t.Fatalf("asker's acknowledgement = %q, want the VPN tip offered", ack.Text)
	}
	if strings.Contains(ack.Text, "在宅勤務") || strings.Contains(ack.Text, "京都") {
		t.Errorf("asker's acknowledgement = %q, want no weak matches", ack.Text)
	}
	deflect := buttonsOf(ack, "consult.deflect")
	if len(deflect) != 1 || deflect[0].Value != "1:"+strconv.FormatUint(vpn, 10) {
		t.Fatalf("buttons = %+v, want one resolve-with-tip button", ack.Buttons)
	}
	card := testenv.CardTo(t, turn, "佐藤")
	var field string
	for _, f := range card.Reply.Fields {
		if strings.Contains(f.Label, "参考") {
			field = f.Value
		}
	}
	if !strings.Contains(field, "VPN に接続できないとき") {
		t.Errorf("mentor's card fields = %+v, want the related tip", card.Reply.Fields)
	}

	// Only the asker may use the button.
	testenv.WantReply(t, e.Press("佐藤", "consult.deflect", deflect[0].Value), e.Refusal("ja", "consult.error.not_yours", "ID", 1))

	// 田中 presses it: resolved, the mentor told, the tip counted helpful
	// and the month's deflections counted.
	turn = e.OK(bottest.Press("田中", testenv.DM("田中"), "consult.deflect", deflect[0].Value))
	if !strings.Contains(turn.Text(), "ヒント #"+strconv.FormatUint(vpn, 10)+" で解決済みにしました") {
		t.Errorf("asker's reply = %q", turn.Text())
	}
	var toMentor string
	for _, d := range turn.Sent {
		if d.At.Channel == "dm:佐藤" {
			toMentor += d.Reply.Text
		}
	}
	if !strings.Contains(toMentor, "相談者がヒント #") {
		t.Errorf("mentor was told %q, want the resolution with the tip", toMentor)
	}
	if c := e.Consultation(1); c.State != store.StateResolved {
		t.Errorf("consultation state = %s, want resolved", c.State)
	}
	_ = e.St.View(func(tx *store.Tx) error {
		tip, _ := tx.Tip(vpn)
		if tip.Helpful != 1 {
			t.Errorf("tip helpful = %d, want 1", tip.Helpful)
		}
		if n := tx.Monthly("2026-11", store.CounterDeflected); n != 1 {
			t.Errorf("deflected in 2026-11 = %d, want 1", n)
		}
		return nil
	})
	// Pressing again changes nothing.
	testenv.WantReply(t, e.Press("田中", "consult.deflect", deflect[0].Value), e.Refusal("ja", "consult.error.not_active", "ID", 1, "State", "解決済み"))

	// A question nothing answers well gets no list.
	turn = e.OK(bottest.DM("田中", "キャリアパスに悩んでいます"))
	if strings.Contains(turn.Replies[0].Text, "参考になるかもしれません") || len(buttonsOf(turn.Replies[0], "consult.deflect")) != 0 {
		t.Errorf("acknowledgement = %q, want no related tips", turn.Replies[0].Text)
	}
}
