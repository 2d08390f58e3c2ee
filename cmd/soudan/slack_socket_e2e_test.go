package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/slack/slackfake"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// The people of the Slack end-to-end runs.
const (
	slackAdmin  = "UADMIN"
	slackSato   = "USATO"   // mentor
	slackTanaka = "UTANAKA" // asker
	slackCareer = "C0CAREER"
)

// TestSocketModeConsultation drives a whole consultation through Socket
// Mode envelopes, the real handlers and router, and a real store: an admin
// maps a channel to a topic, a mentor registers in a modal (a rejected
// submission first), a question posted in the channel is routed to the
// mentor by DM, Slack's retry of that event creates nothing, the mentor
// answers in the thread, the asker hears of it by DM, resolves it with a
// rating, and the mentor opens the App Home.
func TestSocketModeConsultation(t *testing.T) {
	t.Parallel()
	f, b := startSlackBot(t, "-admins", "slack:"+slackAdmin)
	f.AddUser(slackAdmin, "管理者", "ja-JP", "Asia/Tokyo")
	f.AddUser(slackSato, "佐藤", "ja-JP", "Asia/Tokyo")
	f.AddUser(slackTanaka, "田中", "ja-JP", "Asia/Tokyo")

	// The admin adds a topic and maps #career to it; the answers are
	// ephemeral, in the channel.
	f.Command(slackAdmin, slackCareer, "admin topic add キャリア career", "trg-1")
	f.WaitCalls("chat.postEphemeral", 1)
	f.Command(slackAdmin, slackCareer, "管理 topic map <#C0CAREER|career> キャリア", "trg-2")
	eph := f.WaitCalls("chat.postEphemeral", 2)
	if got := eph[1].Form.Get("user"); got != slackAdmin {
		t.Errorf("ephemeral answer to %q, want %q", got, slackAdmin)
	}
	topic := storetest.View(t, b.st(), func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().ByChannel("slack", slackfake.Team, slackCareer)
	})

	// 佐藤 registers as a mentor: the command opens a modal.
	f.Command(slackSato, slackCareer, "mentor register", "trg-3")
	opened := f.WaitCalls("views.open", 1)
	if got := opened[0].JSON["trigger_id"]; got != "trg-3" {
		t.Errorf("views.open trigger_id = %v, want trg-3", got)
	}
	view := opened[0].JSON["view"].(map[string]any)
	values := map[string]any{
		"join_year": slackfake.TextValue("二〇一〇"), "job_type": slackfake.TextValue("事務"), "career": slackfake.TextValue(""), "posting": slackfake.RadioValue(store.PostingOverseas),
		"posting_place": slackfake.TextValue("パリ"), "topics": slackfake.MultiValue(strconv.FormatUint(topic.ID, 10)), "message": slackfake.TextValue("キャリアの悩みなら何でも"), "availability": slackfake.TextValue(""),
	}
	// A bad join year: the modal shows the error next to the input.
	ack := f.Submit(slackSato, view, values, "trg-4")
	if ack["response_action"] != "errors" {
		t.Fatalf("ack of a bad submission = %v, want response_action errors", ack)
	}
	if errs, _ := ack["errors"].(map[string]any); errs["join_year"] == nil {
		t.Errorf("errors = %v, want one for join_year", ack["errors"])
	}
	uid := b.slackUserID(slackSato)
	if _, err := storetest.Read(b.st(), func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(uid) }); err == nil {
		t.Fatalf("a rejected mentor form was saved")
	}
	values["join_year"] = slackfake.TextValue("2010")
	if ack := f.Submit(slackSato, view, values, "trg-5"); ack != nil {
		t.Fatalf("ack of a good submission = %v, want none (the modal closes)", ack)
	}
	waitUntil(t, "mentor saved", func() bool {
		uid := b.slackUserID(slackSato)
		_, err := storetest.Read(b.st(), func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(uid) })
		return err == nil
	})

	// 田中 posts a question in #career.
	posts := len(f.CallsOf("chat.postMessage"))
	const qTS = "1700000100.000100"
	f.Post("Ev-q1", slackTanaka, slackCareer, qTS, "", "キャリアパスに悩んでいます。<@USATO> さん、異動希望は &lt;いつ&gt; 出すべき？")
	got := f.WaitCalls("chat.postMessage", posts+2)[posts:]
	thread, card := byChannel(got, slackCareer), byChannel(got, "DSATO")
	if thread == nil || thread.Form.Get("thread_ts") != qTS {
		t.Fatalf("no answer in the question's thread; posts: %v", channels(got))
	}
	if card == nil || !strings.Contains(slackfake.AllText(*card), "異動希望は <いつ> 出すべき") {
		t.Fatalf("mentor card missing or text wrong; posts: %v", channels(got))
	}
	if !strings.Contains(card.Form.Get("blocks"), `"action_id":"consult.answer"`) {
		t.Errorf("mentor card has no answer button: %s", card.Form.Get("blocks"))
	}
	if raw := slackfake.RawText(*card); !strings.Contains(raw, "&lt;いつ&gt;") || !strings.Contains(raw, "<@USATO> さん") {
		t.Errorf("mentor card does not escape < > or keep the mention live: %s", raw)
	}

	// Slack retries the event: nothing new happens.
	f.Event("Ev-q1", map[string]any{"type": "message", "user": slackTanaka, "channel": slackCareer, "ts": qTS, "text": "キャリアパスに悩んでいます。", "channel_type": "channel"}, 1)
	time.Sleep(200 * time.Millisecond)
	if n := len(f.CallsOf("chat.postMessage")); n != posts+2 {
		t.Errorf("after a retried event: %d posts, want %d", n, posts+2)
	}
	uid = b.slackUserID(slackTanaka)
	cs, _ := storetest.Read(b.st(), func(tx *store.Tx) ([]store.Consultation, error) {
		return tx.Consultations().ByAsker(uid)
	})
	if len(cs) != 1 {
		t.Fatalf("consultations of 田中 = %d, want 1", len(cs))
	}

	// 佐藤 answers in the channel thread; 田中 hears of it by DM.
	f.Post("Ev-a1", slackSato, slackCareer, "1700000200.000100", qTS, "秋の面談で上司に伝えるのが一般的です。")
	relay := f.WaitPostTo("DTANAKA", "秋の面談で上司に伝えるのが一般的です")
	if relay.Form.Get("channel") != slackTanaka {
		t.Errorf("relay posted to channel %q, want the user id %q (no conversations.open)", relay.Form.Get("channel"), slackTanaka)
	}
	if n := len(f.CallsOf("conversations.open")); n != 0 {
		t.Errorf("conversations.open called %d times, want 0", n)
	}

	// 田中 resolves it with a rating; 佐藤 is told by DM.
	before := len(f.CallsOf("chat.postMessage"))
	f.Command(slackTanaka, "DTANAKA", "解決 "+strconv.FormatUint(cs[0].ID, 10)+" 9", "trg-6")
	waitUntil(t, "resolved", func() bool {
		c, err := storetest.Read(b.st(), func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(cs[0].ID) })
		return err == nil && c.State == store.StateResolved
	})
	waitUntil(t, "mentor told", func() bool {
		for _, c := range f.CallsOf("chat.postMessage")[before:] {
			if c.Chan == "DSATO" {
				return true
			}
		}
		return false
	})

	// 佐藤 opens the App Home.
	f.Event("Ev-home", map[string]any{"type": "app_home_opened", "user": slackSato, "channel": "DSATO", "tab": "home", "event_ts": "1700000300.000001"}, 0)
	pub := f.WaitCalls("views.publish", 1)
	if pub[0].JSON["user_id"] != slackSato {
		t.Errorf("views.publish user_id = %v, want %s", pub[0].JSON["user_id"], slackSato)
	}
	if b, _ := json.Marshal(pub[0].JSON["view"]); !strings.Contains(string(b), `"type":"home"`) || !strings.Contains(string(b), "home.pause") {
		t.Errorf("home view is not a home tab with a pause button: %s", b)
	}
}

// TestSocketModeAnswerButton: a mentor presses the answer button on the
// DM card, answers in the modal, and the asker gets the answer.
func TestSocketModeAnswerButton(t *testing.T) {
	t.Parallel()
	f, b := startSlackBot(t, "-admins", "slack:"+slackAdmin)
	f.AddUser(slackSato, "佐藤", "en-US", "Asia/Tokyo")
	f.AddUser(slackTanaka, "田中", "ja-JP", "Asia/Tokyo")
	f.Command(slackAdmin, slackCareer, "admin topic add キャリア", "trg-1")
	f.WaitCalls("chat.postEphemeral", 1)
	topic := storetest.View(t, b.st(), func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("キャリア") })
	f.Command(slackSato, "DSATO", "mentor register", "trg-2")
	view := f.WaitCalls("views.open", 1)[0].JSON["view"].(map[string]any)
	f.Submit(slackSato, view, map[string]any{"join_year": slackfake.TextValue("2012"), "topics": slackfake.MultiValue(strconv.FormatUint(topic.ID, 10)), "message": slackfake.TextValue("Ask me anything"), "posting": slackfake.RadioValue(store.PostingHQ)}, "trg-3")
	waitUntil(t, "mentor saved", func() bool {
		uid := b.slackUserID(slackSato)
		_, err := storetest.Read(b.st(), func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(uid) })
		return err == nil
	})

	// 田中 asks in a DM: the mentor gets a card in their DM.
	f.Post("Ev-dm1", slackTanaka, "DTANAKA", "1700000100.000100", "", "キャリアについて相談です")
	card := f.WaitPostTo("DSATO", "キャリアについて相談です")
	if !strings.Contains(card.Form.Get("blocks"), `"text":"Answer`) && !strings.Contains(card.Form.Get("blocks"), "Answer") {
		t.Errorf("the card of an English-speaking mentor is not in English: %s", card.Form.Get("blocks"))
	}
	uid := b.slackUserID(slackTanaka)
	cs, _ := storetest.Read(b.st(), func(tx *store.Tx) ([]store.Consultation, error) {
		return tx.Consultations().ByAsker(uid)
	})
	if len(cs) != 1 {
		t.Fatalf("consultations = %d, want 1", len(cs))
	}
	id := strconv.FormatUint(cs[0].ID, 10)

	f.Press(slackSato, "DSATO", card.TS, "consult.answer", id, "trg-4")
	opened := f.WaitCalls("views.open", 2)[1]
	if opened.JSON["trigger_id"] != "trg-4" {
		t.Errorf("answer modal opened with trigger %v, want trg-4", opened.JSON["trigger_id"])
	}
	answerView := opened.JSON["view"].(map[string]any)
	var meta slackFormMeta
	if err := json.Unmarshal([]byte(answerView["private_metadata"].(string)), &meta); err != nil || meta.Form != "consult.answer" || meta.Value != id || meta.Channel != "DSATO" {
		t.Errorf("answer modal metadata = %+v (%v), want form consult.answer value %s channel DSATO", meta, err, id)
	}
	if ack := f.Submit(slackSato, answerView, map[string]any{"answer": slackfake.TextValue("まずは信頼できる先輩に話してみては")}, "trg-5"); ack != nil {
		t.Errorf("ack of the answer = %v, want none", ack)
	}
	f.WaitPostTo("DTANAKA", "まずは信頼できる先輩に話してみては")

	// 佐藤 pauses from the App Home: the home is published again, with
	// a resume button.
	f.Event("Ev-home", map[string]any{"type": "app_home_opened", "user": slackSato, "channel": "DSATO", "tab": "home"}, 0)
	f.WaitCalls("views.publish", 1)
	f.PressHome(slackSato, "home.pause", "trg-6")
	pub := f.WaitCalls("views.publish", 2)[1]
	if b, _ := json.Marshal(pub.JSON["view"]); !strings.Contains(string(b), "home.resume") {
		t.Errorf("the home after pausing has no resume button: %s", b)
	}
	uid = b.slackUserID(slackSato)
	if mt, err := storetest.Read(b.st(), func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(uid) }); err != nil || !mt.Paused {
		t.Errorf("mentor after pause: %+v, %v; want paused", mt, err)
	}
}

// startSlackBot runs the bot on the fake Slack in Socket Mode, with
// the extra settings args, and waits until it is connected.
func startSlackBot(t *testing.T, args ...string) (*slackfake.Server, *testBot) {
	t.Helper()
	f := slackfake.NewWithToken(t, testSlackBot)
	b := startBot(t, append([]string{"-slack-bot-token", testSlackBot, "-slack-app-token", testSlackApp, "-slack-api-url", f.APIURL()}, args...)...)
	b.waitLog("slack: connected (Socket Mode)")
	return f, b
}

// slackUserID is the store id of the Slack user, 0 if the bot does not
// know them.
func (b *testBot) slackUserID(slackID string) uint64 {
	b.t.Helper()
	u, err := storetest.Read(b.st(), func(tx *store.Tx) (store.User, error) {
		return tx.Users().ByKey(store.UserKey{Platform: "slack", Workspace: slackfake.Team, PlatformID: slackID})
	})
	if err != nil {
		return 0
	}
	return u.ID
}

// slackFormMeta is the private_metadata of the bot's modals.
type slackFormMeta struct {
	Form    string `json:"f"`
	Value   string `json:"v,omitempty"`
	Channel string `json:"c,omitempty"`
}

func byChannel(calls []slackfake.Call, channel string) *slackfake.Call {
	for i := range calls {
		if calls[i].Chan == channel {
			return &calls[i]
		}
	}
	return nil
}

func channels(calls []slackfake.Call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Chan)
	}
	return out
}
