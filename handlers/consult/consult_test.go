package consult

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestDMQuestionIsRoutedToLeastLoadedAvailableMentors(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 2)
	a := e.Mentor("青木", "キャリア")
	e.Mentor("馬場", "キャリア")
	c := e.Mentor("千葉", "キャリア")
	d := e.Mentor("土井", "キャリア")
	e.Mentor("江藤", "IT") // another topic
	asker := e.Mentor("依田", "キャリア")
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.Mentor, error) {
		return tx.Mentors().Update(d.ID, func(m *store.Mentor) error { m.Paused = true; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	// Load: 青木 1, 馬場 0, 千葉 2.
	for _, routed := range [][]uint64{{a.ID, c.ID}, {c.ID}} {
		if _, _, err := storetest.Write2(e.St, func(tx *store.Tx) (store.Consultation, bool, error) {
			return tx.Consultations().Create(store.Consultation{TopicID: 2, AskerID: asker.ID, Routed: routed,
				Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: asker.ID, Text: "前の相談"}}})
		}); err != nil {
			t.Fatal(err)
		}
	}

	turn := e.OK(bottest.DM("依田", "キャリアパスについて相談したいです"))

	var got []string
	for _, dl := range turn.Sent {
		got = append(got, dl.To.User)
	}
	if strings.Join(got, ",") != "馬場,青木" {
		t.Errorf("cards went to %v, want [馬場 青木] (fewest open first, never the asker, not paused)", got)
	}
	card := testenv.CardTo(t, turn, "馬場")
	if card.Reply.Anchor != "3" || !strings.Contains(card.Reply.Text, "キャリアパスについて相談したいです") {
		t.Errorf("card = %+v, want anchor 3 and the question", card.Reply)
	}
	if ids := []string{card.Reply.Buttons[0].ID, card.Reply.Buttons[1].ID}; ids[0] != actionTake || ids[1] != actionAnswer {
		t.Errorf("card buttons = %v, want take and answer", ids)
	}
	ack := turn.Text()
	for _, want := range []string{"#3", "キャリア", "馬場さん", "青木さん"} {
		if !strings.Contains(ack, want) {
			t.Errorf("ack %q lacks %q", ack, want)
		}
	}
	cs := e.Consultation(3)
	if cs.State != store.StateOpen || len(cs.Routed) != 2 || cs.Public != nil || len(cs.Threads) != 3 {
		t.Errorf("consultation = state %s routed %v public %v threads %d, want open, 2 routed, no public, 3 threads", cs.State, cs.Routed, cs.Public, len(cs.Threads))
	}
}

func TestAnswerInCardThreadReachesAskerAndOtherMentors(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.Mentor("佐藤", "キャリア")
	e.Mentor("鈴木", "キャリア")
	turn := e.OK(bottest.DM("田中", "キャリアの悩みです"))
	card := testenv.CardTo(t, turn, "佐藤")

	turn = e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "秋の面談で伝えましょう"))

	askerThread := turn.Sent[0]
	if askerThread.At.Channel != "dm:田中" || askerThread.To.Thread == "" {
		t.Errorf("first relay went to %+v, want the asker's DM thread", askerThread.At)
	}
	if got := testenv.DeliveredText(bottest.New("").Sent()); got != "" {
		t.Fatal("fresh adapter not empty")
	}
	if txt := testenv.DeliveredText(turn.Sent); !strings.Contains(txt, "佐藤さんから回答") || !strings.Contains(txt, "秋の面談で伝えましょう") {
		t.Errorf("relays = %q, want the answer with its author", txt)
	}
	if n := len(turn.Sent); n != 2 {
		t.Errorf("relayed %d times (%v), want 2: asker and the other mentor", n, testenv.Recipients(turn.Sent))
	}
	c := e.Consultation(1)
	if c.State != store.StateAnswered || len(c.Messages) != 2 || c.Messages[1].Kind != store.MsgAnswer {
		t.Errorf("consultation state %s, %d messages, want answered with the answer recorded", c.State, len(c.Messages))
	}

	// The asker's follow-up in their own thread goes to both mentors.
	turn = e.OK(bottest.ThreadPost("田中", askerThread.At.Channel, askerThread.At.Thread, "ありがとうございます、補足です"))
	if got := testenv.Recipients(turn.Sent); len(got) != 2 || !strings.Contains(testenv.DeliveredText(turn.Sent), "追記") {
		t.Errorf("follow-up relayed to %v (%q), want both mentors", got, testenv.DeliveredText(turn.Sent))
	}
	if c := e.Consultation(1); c.Messages[2].Kind != store.MsgFollowUp {
		t.Errorf("asker's message kind = %s, want followup", c.Messages[2].Kind)
	}
}

func TestMappedChannelPostBecomesPublicConsultation(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.MapChannel("#career", "キャリア")
	e.Mentor("佐藤", "キャリア")
	post := bottest.Post("田中", "#career", "異動の希望はどう出せばいいですか？ @channel")
	turn := e.OK(post)
	// The answer in the post's thread is queued with the consultation
	// (a crash cannot lose it), so it arrives through the outbox.
	if acks := testenv.InThread(turn.Sent, "#career", post.ID); len(turn.Replies) != 0 || len(acks) != 1 || !strings.Contains(acks[0].Reply.Text, "#1") {
		t.Fatalf("replies %+v, deliveries in the thread %+v; want one answer in the post's thread", turn.Replies, acks)
	}
	card := testenv.CardTo(t, turn, "佐藤")
	if strings.Contains(card.Reply.Text, "@channel") {
		t.Errorf("relayed question %q still carries @channel", card.Reply.Text)
	}
	c := e.Consultation(1)
	if c.Public == nil || c.Public.Channel != "#career" || c.Public.Thread != post.ID {
		t.Fatalf("public thread = %+v, want #career/%s", c.Public, post.ID)
	}

	// Anyone may answer in the public thread; the asker is told by DM.
	turn = e.OK(bottest.ThreadPost("伊藤", "#career", post.ID, "上司との面談で伝えるのが一般的です"))
	var dm bottest.Delivery
	for _, d := range turn.Sent {
		if d.To.User == "田中" {
			dm = d
		}
	}
	if dm.ID == "" || len(dm.Reply.Buttons) != 1 || dm.Reply.Buttons[0].ID != actionResolve {
		t.Errorf("asker notification = %+v, want a DM with a resolve button", dm)
	}
	if len(testenv.InThread(turn.Sent, "#career", post.ID)) != 0 {
		t.Errorf("an answer in the public thread was copied back into it")
	}
	// A post in an unmapped channel is not a question.
	if turn := e.Do(bottest.Post("田中", "#random", "お昼どうする？")); len(turn.Replies)+len(turn.Sent) != 0 {
		t.Errorf("unmapped channel post got %v", turn.Text())
	}
}

func TestAnonymousAskerIsNeverShown(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.Mentor("佐藤", "キャリア")
	e.Mentor("鈴木", "キャリア")
	const asker = "山田花子"
	cmd := bottest.Command(asker, "/soudan ask --anon career 上司との関係に悩んでいます")
	cmd.Address = bot.Address{Platform: bottest.Platform, Workspace: bottest.Workspace, Channel: "#career"}
	cmd.Direct = false
	var everything []bottest.Delivery
	var public []bot.Reply
	record := func(turn *bottest.Turn) {
		everything = append(everything, turn.Sent...)
		for _, r := range turn.Replies {
			if !r.Ephemeral {
				public = append(public, r)
			}
		}
	}
	turn := e.OK(cmd)
	record(turn)
	if len(public) != 0 {
		t.Fatalf("public post = %+v, want nothing posted in the channel the asker typed in", public)
	}
	c := e.Consultation(1)
	if !c.Anonymous || c.Public != nil {
		t.Fatalf("consultation anonymous=%v public=%v", c.Anonymous, c.Public)
	}
	card := testenv.CardTo(t, turn, "佐藤")
	record(e.OK(bottest.Press("佐藤", card.At, actionTake, "1")))
	record(e.OK(bottest.Submit("鈴木", testenv.CardTo(t, turn, "鈴木").At, formAnswer, "1", map[string]string{"answer": "信頼できる先輩に話してみては"})))
	record(e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "@高橋 さんも詳しいです")))
	record(e.OK(bottest.Command("佐藤", "/soudan mine")))

	var toOthers []bottest.Delivery
	var toAsker []bottest.Delivery
	for _, d := range everything {
		if d.At.Channel == "dm:"+asker {
			toAsker = append(toAsker, d)
		} else {
			toOthers = append(toOthers, d)
		}
	}
	others := testenv.DeliveredText(toOthers)
	for _, r := range public {
		others += r.Title + r.Text
		for _, f := range r.Fields {
			others += f.Value
		}
	}
	if strings.Contains(others, asker) {
		t.Errorf("the anonymous asker's name reached someone else:\n%s", others)
	}
	if !strings.Contains(others, "匿名の相談者") {
		t.Errorf("mentors were not told the asker is anonymous:\n%s", others)
	}
	if strings.Contains(e.Log.String(), asker) || strings.Contains(e.Log.String(), "asker=") {
		t.Errorf("the log names the anonymous asker:\n%s", e.Log.String())
	}
	mine := e.OK(bottest.Command("佐藤", "/soudan mine")).Text()
	if strings.Contains(mine, asker) || !strings.Contains(mine, "#1") {
		t.Errorf("mentor's list = %q, want #1 without the asker", mine)
	}
	if txt := testenv.DeliveredText(toAsker); !strings.Contains(txt, "信頼できる先輩に話してみては") || !strings.Contains(txt, "佐藤さんが相談 #1 を引き受けました") {
		t.Errorf("asker's DMs = %q, want the answer relayed and the take notice", txt)
	}
	// The asker can still resolve and rate.
	e.OK(bottest.Command(asker, "/soudan resolve 1 7"))
	if c := e.Consultation(1); c.State != store.StateResolved || c.Rating == nil || *c.Rating != 7 {
		t.Errorf("after resolve: state %s rating %v, want resolved 7", c.State, c.Rating)
	}
}

func TestResolveReopenCloseRules(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.Mentor("佐藤", "キャリア")
	e.OK(bottest.DM("田中", "キャリアの相談"))

	for _, tc := range []struct {
		m    *bot.Message
		want string
	}{
		{bottest.Command("佐藤", "/soudan resolve 1 9"), "あなたの相談ではない"},
		{bottest.Command("田中", "/soudan resolve 1 11"), "0から10"},
		{bottest.Command("田中", "/soudan resolve 1 -1"), "0から10"},
		{bottest.Command("田中", "/soudan resolve 99"), "#99 は見つかりません"},
		{bottest.Command("田中", "/soudan resolve abc"), "番号として読めません"},
		{bottest.Command("田中", "/soudan resolve"), "使い方"},
		{bottest.Command("田中", "/soudan reopen 1"), "再開できるのは"},
		{bottest.Command("佐藤", "/soudan close 1"), "あなたの相談ではない"},
	} {
		if got := e.Refused(tc.m); !strings.Contains(got, tc.want) {
			t.Errorf("%s %s: got %q, want it to contain %q", tc.m.Command, tc.m.ArgText, got, tc.want)
		}
		if c := e.Consultation(1); c.State != store.StateOpen || c.Rating != nil {
			t.Fatalf("%s %s changed the consultation: state %s", tc.m.Command, tc.m.ArgText, c.State)
		}
	}

	e.OK(bottest.Command("田中", "/soudan resolve #1 １０ とても助かりました"))
	c := e.Consultation(1)
	if c.State != store.StateResolved || *c.Rating != 10 || c.Comment != "とても助かりました" {
		t.Errorf("resolved = %s %v %q", c.State, c.Rating, c.Comment)
	}
	if got := e.Refused(bottest.Command("田中", "/soudan resolve 1")); !strings.Contains(got, "解決済み") {
		t.Errorf("resolving twice: %q", got)
	}
	e.OK(bottest.Command("田中", "/soudan reopen 1"))
	if c := e.Consultation(1); c.State != store.StateOpen || c.Rating != nil {
		t.Errorf("reopened = %s rating %v, want open without rating", c.State, c.Rating)
	}
	turn := e.OK(bottest.Command("admin", "/soudan close 1 重複"))
	if c := e.Consultation(1); c.State != store.StateClosed {
		t.Errorf("admin close: state %s", c.State)
	}
	if !strings.Contains(testenv.DeliveredText(turn.Sent), "管理者によって終了") {
		t.Errorf("asker not told of the admin's close: %q", testenv.DeliveredText(turn.Sent))
	}
	var states []string
	for _, h := range e.Consultation(1).History {
		states = append(states, string(h.To))
	}
	if got := strings.Join(states, ">"); got != "open>resolved>open>closed" {
		t.Errorf("history = %s", got)
	}
}

func TestRedeliveredEventCreatesOneConsultation(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.Mentor("佐藤", "キャリア")
	m := bottest.DM("田中", "キャリアの相談です")
	first := e.OK(m)
	again := *m
	second := e.Do(&again)
	if len(second.Sent)+len(second.Replies) != 0 {
		t.Errorf("redelivery produced %d sends and %d replies, want none", len(second.Sent), len(second.Replies))
	}
	if len(first.Sent) != 1 {
		t.Errorf("first delivery sent %d cards, want 1", len(first.Sent))
	}
	all, err := storetest.Read(e.St, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByState() })
	if err != nil || len(all) != 1 {
		t.Errorf("consultations = %d (%v), want 1", len(all), err)
	}
	card := testenv.CardTo(t, first, "佐藤")
	ans := bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "回答です")
	e.OK(ans)
	dup := *ans
	e.Do(&dup)
	if n := len(e.Consultation(1).Messages); n != 2 {
		t.Errorf("messages after a redelivered answer = %d, want 2", n)
	}
}

func TestBadQuestionsChangeNothing(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.Mentor("佐藤", "キャリア")
	long := strings.Repeat("あ", 4001)
	for _, tc := range []struct {
		m    *bot.Message
		want string
	}{
		{bottest.DM("田中", long), "4001文字"},
		{bottest.Command("田中", "/soudan ask "+long), "4000文字以内"},
		{bottest.DM("田中", "   　"), "本文が空"},
	} {
		if got := e.Refused(tc.m); !strings.Contains(got, tc.want) {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	// An empty ask opens the form; an empty form comes back with an error.
	turn := e.OK(bottest.Command("田中", "/soudan ask"))
	if len(turn.Replies) != 1 || turn.Replies[0].Form == nil || turn.Replies[0].Form.ID != formAsk {
		t.Fatalf("/soudan ask alone = %+v, want the ask form", turn.Replies)
	}
	turn = e.OK(bottest.Submit("田中", turn.Addresses[0], formAsk, "", map[string]string{"question": " ", "topic": ""}))
	if f := turn.Replies[0].Form; f == nil || f.Errors["question"] == "" {
		t.Errorf("empty form submission = %+v, want the form with a question error", turn.Replies[0])
	}
	turn = e.OK(bottest.Submit("田中", turn.Addresses[0], formAsk, "", map[string]string{"question": "x", "topic": "999"}))
	if f := turn.Replies[0].Form; f == nil || f.Errors["topic"] == "" {
		t.Errorf("unknown topic = %+v, want a topic error", turn.Replies[0])
	}
	if all, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByState() }); len(all) != 0 {
		t.Errorf("bad input created %d consultations", len(all))
	}
	if len(e.Ad.SentTo("佐藤")) != 0 {
		t.Errorf("bad input reached a mentor")
	}
}

func TestNoMentorAvailableTellsAskerAndAdmins(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.OK(bottest.Command("admin", "/soudan mine")) // admin exists
	turn := e.OK(bottest.DM("田中", "パソコンが動きません"))
	if !strings.Contains(turn.Text(), "対応できるメンターがいない") || !strings.Contains(turn.Text(), "IT") {
		t.Errorf("ack = %q, want the IT topic and no-mentor notice", turn.Text())
	}
	if txt := testenv.DeliveredText(turn.Sent); len(turn.Sent) != 1 || turn.Sent[0].To.User != "admin" || !strings.Contains(txt, "#1") {
		t.Errorf("admin notice = %v %q", testenv.Recipients(turn.Sent), txt)
	}
}

func TestMentionInThreadBringsPersonIn(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.Mentor("佐藤", "キャリア")
	turn := e.OK(bottest.DM("田中", "キャリアの相談"))
	card := testenv.CardTo(t, turn, "佐藤")
	turn = e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "@伊藤 さんが詳しいです"))
	invite := testenv.CardTo(t, turn, "伊藤")
	if !strings.Contains(invite.Reply.Text, "佐藤さんが相談 #1 にあなたを招待しました") {
		t.Errorf("invite = %q", invite.Reply.Text)
	}
	if !strings.Contains(turn.Text(), "伊藤さんに声をかけました") {
		t.Errorf("inviter told %q", turn.Text())
	}
	c := e.Consultation(1)
	if len(c.Participants) != 1 || len(c.Messages) != 2 {
		t.Errorf("participants %v, %d messages: want the invitee and the post recorded", c.Participants, len(c.Messages))
	}
	// The invitee answers in the thread of the card they got.
	turn = e.OK(bottest.ThreadPost("伊藤", invite.At.Channel, invite.At.Thread, "人事に聞くのが早いです"))
	if !strings.Contains(testenv.DeliveredText(turn.Sent), "伊藤さんから回答") {
		t.Errorf("invitee's answer relays = %q", testenv.DeliveredText(turn.Sent))
	}
	// Mentioning them again sends nothing new.
	turn = e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "@伊藤"))
	if len(turn.Sent) != 0 {
		t.Errorf("second mention sent %v", testenv.Recipients(turn.Sent))
	}
}

func TestTakeIsExclusive(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.Mentor("佐藤", "キャリア")
	e.Mentor("鈴木", "キャリア")
	turn := e.OK(bottest.DM("田中", "キャリアの相談"))
	t1 := e.OK(bottest.Press("佐藤", testenv.CardTo(t, turn, "佐藤").At, actionTake, "1"))
	if !strings.Contains(testenv.DeliveredText(t1.Sent), "佐藤さんが相談 #1 を引き受けました") {
		t.Errorf("asker not told: %q", testenv.DeliveredText(t1.Sent))
	}
	if got := e.Refused(bottest.Press("鈴木", testenv.CardTo(t, turn, "鈴木").At, actionTake, "1")); !strings.Contains(got, "すでに佐藤さんが") {
		t.Errorf("second take: %q", got)
	}
	if got := e.Refused(bottest.Press("田中", turn.Addresses[0], actionTake, "1")); !strings.Contains(got, "あなた自身の相談") {
		t.Errorf("asker take: %q", got)
	}
	if c := e.Consultation(1); c.TakenBy != e.User("佐藤").ID {
		t.Errorf("taken by %d", c.TakenBy)
	}
	mine := e.OK(bottest.Command("佐藤", "/soudan mine")).Text()
	if !strings.Contains(mine, "#1") || !strings.Contains(mine, "（担当）") {
		t.Errorf("mentor's mine = %q", mine)
	}
}

func TestTopicMatchingAndEnglish(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	for _, tc := range []struct{ text, topic string }{
		{"Teamsで画面共有する方法", "IT"},
		{"how do I deal with stress?", "その他"},
		{"キャリアパスについて", "キャリア"},
	} {
		turn := e.OK(bottest.Locale(bottest.DM("Alice", tc.text), "en"))
		if !strings.Contains(turn.Text(), "("+tc.topic+") received") {
			t.Errorf("%q: ack %q, want topic %s in English", tc.text, turn.Text(), tc.topic)
		}
	}
}
