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
	t.Parallel()
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
		if strings.Contains(f.Label, "関連するヒント") {
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
		if m, err := tx.Monthly("2026-11"); err != nil || m[store.StatDeflected] != 1 {
			t.Errorf("deflected in 2026-11 = %d (%v), want 1", m[store.StatDeflected], err)
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

// answer is mentor answering consultation id with the card's answer form.
func answer(e *flowEnv, mentor string, id int, text string) {
	e.T.Helper()
	sid := strconv.Itoa(id)
	e.OK(bottest.Press(mentor, testenv.DM(mentor), "consult.answer", sid))
	e.OK(bottest.Submit(mentor, testenv.DM(mentor), "consult.answer", sid, map[string]string{"answer": text}))
}

// noteTo is the last delivery to user's DM among ds.
func noteTo(t *testing.T, ds []bottest.Delivery, user string) bot.Reply {
	t.Helper()
	var r *bot.Reply
	for i := range ds {
		if ds[i].At.Channel == "dm:"+user {
			r = &ds[i].Reply
		}
	}
	if r == nil {
		t.Fatalf("nothing sent to %s; sent to %v", user, testenv.Recipients(ds))
	}
	return *r
}

func TestSaveResolvedConsultationAsKnowledge(t *testing.T) {
	t.Parallel()
	e := newFlowEnv(t, 3, nil)
	e.Mentor("佐藤", "キャリア")
	e.User("鈴木")

	// A named question: answered, then resolved by 田中.
	e.OK(bottest.DM("田中", "キャリアパスについて、異動希望はどう出すべきでしょうか"))
	answer(e, "佐藤", 1, "秋の面談で上司に伝えるのが一般的です。")
	testenv.WantReply(t, e.Cmd("佐藤", "/soudan tip save 1"), e.Refusal("ja", "consult.error.not_resolved", "ID", 1, "State", "回答あり"))
	turn := e.OK(bottest.Command("田中", "/soudan resolve 1 9"))
	note := noteTo(t, turn.Sent, "佐藤")
	save := buttonsOf(note, "tip.save")
	if len(save) != 1 || save[0].Value != "1" {
		t.Fatalf("mentor's resolution note buttons = %+v, want save as knowledge", note.Buttons)
	}

	// Someone who did not help may not; the asker may not either.
	testenv.WantReply(t, e.Press("鈴木", "tip.save", "1"), e.Refusal("ja", "consult.error.not_helper", "ID", 1))
	testenv.WantReply(t, e.Press("田中", "tip.save", "1"), e.Refusal("ja", "consult.error.not_helper", "ID", 1))

	// The mentor gets the form prefilled: question and answer, no name.
	f := testenv.FormOf(t, e.Press("佐藤", "tip.save", "1"))
	body := testenv.InputOf(t, f, "body").Value
	if f.Value != "c:1" || !strings.Contains(body, "【相談】\nキャリアパスについて") || !strings.Contains(body, "【回答】\n秋の面談で上司に伝える") {
		t.Errorf("form value %q body %q, want the question and the answer", f.Value, body)
	}
	if strings.Contains(body+testenv.InputOf(t, f, "title").Value, "田中") {
		t.Errorf("the draft names the asker: %q", body)
	}
	if got := testenv.InputOf(t, f, "topic").Value; got != strconv.FormatUint(e.Topic("キャリア").ID, 10) {
		t.Errorf("topic = %q, want キャリア's", got)
	}
	turn = e.OK(bottest.Submit("佐藤", testenv.DM("佐藤"), "tip.form", "c:1", map[string]string{
		"title": "異動希望の出し方", "body": body + "\n\n自己申告書にも書けます。", "topic": testenv.InputOf(t, f, "topic").Value,
	}))
	if !strings.Contains(turn.Replies[0].Text, "を登録しました") {
		t.Fatalf("save: %q", testenv.ReplyTexts(turn))
	}
	var saved store.Tip
	_ = e.St.View(func(tx *store.Tx) error {
		ts, _ := tx.Tips()
		saved = ts[len(ts)-1]
		return nil
	})
	if saved.ConsultationID != 1 || saved.Author != e.Known("佐藤").ID || !strings.Contains(saved.Body, "自己申告書") {
		t.Errorf("saved tip = %+v, want 佐藤's edit linked to consultation 1", saved)
	}
	sid := strconv.FormatUint(saved.ID, 10)
	show := e.Cmd("鈴木", "/soudan tip show "+sid).Replies[0]
	if !slicesContainsField(show.Fields, "元の相談", "#1") || slicesContainsField(show.Fields, "相談者", "田中") {
		t.Errorf("tip show fields = %+v, want the consultation and no asker", show.Fields)
	}
	// 田中, who asked by name, is told and may agree to be named; no one
	// else may name them.
	offer := noteTo(t, turn.Sent, "田中")
	credit := buttonsOf(offer, "tip.credit")
	if !strings.Contains(offer.Text, "名前は載っていません") || len(credit) != 1 || credit[0].Value != sid {
		t.Fatalf("offer to the asker = %q %+v", offer.Text, offer.Buttons)
	}
	testenv.WantReply(t, e.Press("佐藤", "tip.credit", sid), e.Refusal("ja", "tip.error.not_asker", "ID", saved.ID))
	e.OK(bottest.Press("田中", testenv.DM("田中"), "tip.credit", sid))
	show = e.Cmd("鈴木", "/soudan tip show "+sid).Replies[0]
	if !slicesContainsField(show.Fields, "相談者", "田中") {
		t.Errorf("after consent: fields = %+v, want the asker named", show.Fields)
	}
	// It is found by search, and offered to the next asker.
	if got := e.Cmd("鈴木", "/soudan tip search 異動希望").Text(); !strings.Contains(got, "異動希望の出し方") {
		t.Errorf("search = %q", got)
	}

	// An anonymous question: the draft holds no name either; an admin saves
	// it by command.
	e.OK(bottest.Command("山田", "/soudan ask --anon キャリア 上司との関係に悩んでいます"))
	answer(e, "佐藤", 2, "まずは信頼できる先輩に話してみては")
	e.OK(bottest.Command("山田", "/soudan resolve 2"))
	f = testenv.FormOf(t, e.Cmd("admin", "/soudan tip save 2"))
	if body := testenv.InputOf(t, f, "body").Value; strings.Contains(body, "山田") || !strings.Contains(body, "上司との関係") || !strings.Contains(body, "信頼できる先輩") {
		t.Errorf("anonymous draft = %q", body)
	}
	turn = e.OK(bottest.Submit("admin", testenv.DM("admin"), "tip.form", "c:2", map[string]string{"title": "上司との関係", "body": "先輩に相談する"}))
	for _, d := range turn.Sent {
		if d.At.Channel == "dm:山田" {
			t.Errorf("the anonymous asker was sent %q", d.Reply.Text)
		}
	}
	if id, _ := strconv.ParseUint(strings.TrimPrefix(turn.Replies[0].Anchor, "tip:"), 10, 64); id != 0 {
		testenv.WantReply(t, e.Press("山田", "tip.credit", strconv.FormatUint(id, 10)), e.Refusal("ja", "tip.error.not_asker", "ID", id))
	} else {
		t.Errorf("admin's save: %q", testenv.ReplyTexts(turn))
	}
}

// slicesContainsField reports whether fields has label with value.
func slicesContainsField(fields []bot.Field, label, value string) bool {
	for _, f := range fields {
		if f.Label == label && f.Value == value {
			return true
		}
	}
	return false
}
