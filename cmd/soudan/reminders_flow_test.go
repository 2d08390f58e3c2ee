package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// newReminderEnv is the whole bot with the reminders on the business
// calendar (9:00-18:00 weekdays, Japanese holidays, the store's closed
// days).
func newReminderEnv(t *testing.T) *flowEnv {
	t.Helper()
	return newFlowEnv(t, 3, withBusinessCalendar(t))
}

func TestUnansweredConsultationIsRemindedThenEscalatedOnBusinessHours(t *testing.T) {
	t.Parallel()
	e := newReminderEnv(t)
	e.Mentor("佐藤", "キャリア")
	suzuki := e.Mentor("鈴木", "キャリア")
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.Mentor, error) {
		return tx.Mentors().Update(suzuki.ID, func(m *store.Mentor) error {
			m.LeaveFrom, m.LeaveUntil = jstAt(11, 1, 0), jstAt(12, 31, 0)
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	turn := e.OK(bottest.DM("田中", "キャリアパスについて相談です"))
	card := testenv.CardTo(t, turn, "佐藤")

	if got := e.remind(jstAt(11, 20, 17)); len(got) != 0 {
		t.Errorf("after 7 working hours: sent %v, want nothing yet", testenv.Recipients(got))
	}
	// Friday 10:00-18:00 is 8 working hours; Saturday adds none.
	got := e.remind(jstAt(11, 21, 12))
	if len(got) != 1 || got[0].At.Channel != card.At.Channel || got[0].At.Thread != card.At.Thread {
		t.Fatalf("reminder went to %v, want 佐藤's card thread only (鈴木 is on leave)", testenv.Recipients(got))
	}
	if txt := got[0].Reply.Text; !strings.Contains(txt, "相談 #1") || !strings.Contains(txt, "8時間") {
		t.Errorf("reminder = %q, want the id and 8 working hours", txt)
	}
	if again := e.remind(jstAt(11, 21, 13)); len(again) != 0 {
		t.Errorf("the reminder was sent again: %v", testenv.Recipients(again))
	}

	// 24 working hours: Friday from 10:00 (8), Tuesday after Monday's
	// holiday (9), Wednesday until 16:00 (7).
	ito := e.Mentor("伊藤", "キャリア")
	if got := e.remind(jstAt(11, 25, 15)); len(got) != 0 {
		t.Errorf("after 23 working hours: sent %v, want nothing", testenv.Recipients(got))
	}
	got = e.remind(jstAt(11, 25, 16))
	var toIto, toAdmin *bottest.Delivery
	for i, d := range got {
		switch d.To.User {
		case "伊藤":
			toIto = &got[i]
		case "admin":
			toAdmin = &got[i]
		case "佐藤", "鈴木":
			t.Errorf("escalation went to %s, who was already asked or is on leave", d.To.User)
		}
	}
	if toIto == nil || len(toIto.Reply.Buttons) != 2 || !strings.Contains(toIto.Reply.Text, "キャリアパスについて相談です") {
		t.Fatalf("escalation = %v, want a card with buttons to 伊藤, a mentor not yet asked", testenv.Recipients(got))
	}
	if toAdmin == nil || !strings.Contains(toAdmin.Reply.Text, "メンター1人に追加で依頼しました") {
		t.Errorf("admins were not told of the escalation: %v", testenv.Recipients(got))
	}
	c := e.Consultation(1)
	if len(c.Routed) != 2 || c.Routed[1] != ito.ID || !hasUserThread(c, ito.ID) {
		t.Errorf("routed %v, threads %+v; want 伊藤 added with the card's thread", c.Routed, c.Threads)
	}
	if again := e.remind(jstAt(11, 27, 9)); len(again) != 0 {
		t.Errorf("escalated twice: %v", testenv.Recipients(again))
	}
}

func TestEscalationPostsInTheTopicChannelWithoutNamingAnAnonymousAsker(t *testing.T) {
	t.Parallel()
	e := newReminderEnv(t)
	e.OK(bottest.Command("admin", "/soudan admin topic map #career キャリア"))
	e.Mentor("佐藤", "キャリア")
	e.OK(bottest.Command("田中", "/soudan ask --anon キャリア 上司との関係に悩んでいます"))

	got := e.remind(jstAt(11, 26, 9))
	var post *bottest.Delivery
	for i, d := range got {
		if d.To.Channel == "#career" {
			post = &got[i]
		}
	}
	if post == nil {
		t.Fatalf("escalation went to %v, want a post in #career", testenv.Recipients(got))
	}
	if txt := testenv.DeliveredText([]bottest.Delivery{*post}); strings.Contains(txt, "田中") || !strings.Contains(txt, "匿名") {
		t.Errorf("channel post names the anonymous asker or lacks the anonymous label:\n%s", txt)
	}
	// A reply in the post's thread is an answer the asker receives.
	turn := e.OK(bottest.ThreadPost("伊藤", "#career", post.At.Thread, "人事課の面談制度があります"))
	if c := e.Consultation(1); c.State != store.StateAnswered {
		t.Errorf("state after a reply in the escalation thread = %s, want answered", c.State)
	}
	if got := testenv.DeliveredText(turn.Sent); !strings.Contains(got, "人事課の面談制度があります") {
		t.Errorf("the answer was not relayed: %q", got)
	}
}

func TestQuietAnsweredConsultationIsAskedThenClosed(t *testing.T) {
	t.Parallel()
	e := newReminderEnv(t)
	e.Mentor("佐藤", "キャリア")
	turn := e.OK(bottest.DM("田中", "キャリアの相談です"))
	card := testenv.CardTo(t, turn, "佐藤")
	e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "面談で伝えましょう"))

	if got := e.remind(flowNow.Add(6 * 24 * time.Hour)); len(got) != 0 {
		t.Errorf("after 6 quiet days: sent %v, want nothing", testenv.Recipients(got))
	}
	got := e.remind(flowNow.Add(7 * 24 * time.Hour))
	if len(got) != 1 || got[0].At.Channel != "dm:田中" || len(got[0].Reply.Buttons) != 1 || got[0].Reply.Buttons[0].ID != handlers.ActionConsultResolve {
		t.Fatalf("after 7 quiet days: %+v, want the asker asked to resolve, with the button", got)
	}
	if again := e.remind(flowNow.Add(8 * 24 * time.Hour)); len(again) != 0 {
		t.Errorf("asked twice: %v", testenv.Recipients(again))
	}
	got = e.remind(flowNow.Add(14 * 24 * time.Hour))
	c := e.Consultation(1)
	if c.State != store.StateClosed || c.History[len(c.History)-1].By != 0 {
		t.Fatalf("after 14 quiet days: %s by %d, want closed by the system", c.State, c.History[len(c.History)-1].By)
	}
	var reopen, helper bool
	for _, d := range got {
		if d.At.Channel == "dm:田中" && len(d.Reply.Buttons) == 1 && d.Reply.Buttons[0].ID == handlers.ActionConsultReopen {
			reopen = true
		}
		if d.At.Channel == card.At.Channel && strings.Contains(d.Reply.Text, "自動で終了") {
			helper = true
		}
	}
	if !reopen || !helper {
		t.Errorf("close notices: asker with reopen %v, mentor %v; want both (%v)", reopen, helper, testenv.Recipients(got))
	}

	// Reopened, it starts over: a reminder comes after 8 working hours.
	e.OK(&bot.Message{ID: "reopen-1", Kind: bot.KindAction, User: bot.User{ID: "田中", Name: "田中"}, Direct: true,
		Address: bot.Address{Platform: bottest.Platform, Workspace: bottest.Workspace, Channel: "dm:田中"},
		Action:  bot.Action{ID: handlers.ActionConsultReopen, Value: "1"}})
	if got := e.remind(jstAt(11, 21, 12)); len(got) != 1 || got[0].At.Channel != card.At.Channel {
		t.Errorf("after reopening: %v, want a new reminder in 佐藤's card thread", testenv.Recipients(got))
	}
}

func TestEscalationReachesMentorsBeyondTheFirstOnes(t *testing.T) {
	t.Parallel()
	e := newFlowEnv(t, 1, nil) // one mentor per question, every hour counts
	sato := e.Mentor("佐藤", "キャリア")
	suzuki := e.Mentor("鈴木", "キャリア")
	ito := e.Mentor("伊藤", "キャリア")
	asker := e.User("田中")
	// Load before the question: 佐藤 0, 鈴木 1, 伊藤 2; after it 佐藤 has
	// 1 too and ranks first again, yet was asked already.
	for _, routed := range [][]uint64{{suzuki.ID, ito.ID}, {ito.ID}} {
		if _, _, err := storetest.Write2(e.St, func(tx *store.Tx) (store.Consultation, bool, error) {
			return tx.Consultations().Create(store.Consultation{TopicID: 2, AskerID: asker.ID, Routed: routed,
				Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: asker.ID, Text: "前の相談"}}})
		}); err != nil {
			t.Fatal(err)
		}
	}
	e.OK(bottest.DM("田中", "キャリアの相談です"))
	if c := e.Consultation(3); len(c.Routed) != 1 || c.Routed[0] != sato.ID {
		t.Fatalf("routed %v, want 佐藤 alone", c.Routed)
	}
	var cards []string
	for _, d := range e.remind(flowNow.Add(25 * time.Hour)) {
		if len(d.Reply.Buttons) == 2 && d.Reply.Anchor == "3" {
			cards = append(cards, d.To.User)
		}
	}
	if c := e.Consultation(3); len(cards) != 1 || cards[0] != "鈴木" || len(c.Routed) != 2 {
		t.Errorf("escalation cards to %v, routed %v; want 鈴木, the next mentor (MaxRouted 1)", cards, c.Routed)
	}
}

func TestEscalationOfADMQuestionKeepsTheAskerNameOutOfTheChannel(t *testing.T) {
	t.Parallel()
	e := newReminderEnv(t)
	e.OK(bottest.Command("admin", "/soudan admin topic map #career キャリア"))
	e.Mentor("佐藤", "キャリア")
	e.OK(bottest.DM("田中", "キャリアについて個人的に相談したいです")) // asked privately, not anonymously

	var post *bottest.Delivery
	got := e.remind(jstAt(11, 26, 9))
	for i, d := range got {
		if d.To.Channel == "#career" {
			post = &got[i]
		}
	}
	if post == nil {
		t.Fatalf("escalation went to %v, want a post in #career", testenv.Recipients(got))
	}
	if txt := testenv.DeliveredText([]bottest.Delivery{*post}); strings.Contains(txt, "田中") {
		t.Errorf("the channel post names the asker of a DM question:\n%s", txt)
	}
	// The mentor it was routed to still sees who asked.
	if c := e.Consultation(1); c.Anonymous {
		t.Errorf("escalation made the consultation itself anonymous")
	}
}

// An anonymous question typed in the topic's own channel (a slash
// command: nobody there sees it) is never posted there, not even when it
// is escalated a day later: it goes to more mentors instead.
func TestEscalationKeepsAnAnonymousQuestionOutOfTheChannelItWasTypedIn(t *testing.T) {
	t.Parallel()
	e := newReminderEnv(t)
	e.OK(bottest.Command("admin", "/soudan admin topic map #career キャリア"))
	e.Mentor("佐藤", "キャリア")
	cmd := bottest.Command("田中", "/soudan ask --anon 上司との関係に悩んでいます")
	cmd.Address, cmd.Direct = bot.Address{Platform: bottest.Platform, Workspace: bottest.Workspace, Channel: "#career"}, false
	turn := e.OK(cmd)
	ito := e.Mentor("伊藤", "キャリア")
	got := append(turn.Sent, e.remind(jstAt(11, 26, 9))...)
	for _, d := range got {
		if d.To.Channel == "#career" || d.At.Channel == "#career" {
			t.Errorf("the anonymous question typed in #career was posted there: %q", testenv.DeliveredText([]bottest.Delivery{d}))
		}
	}
	if c := e.Consultation(1); !slices.Contains(c.Routed, ito.ID) {
		t.Errorf("routed %v, want the escalation to reach 伊藤, a mentor not yet asked", c.Routed)
	}
}
