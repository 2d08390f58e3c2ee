package main

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
)

func TestHomeShowsActiveConsultationsAndMentorActions(t *testing.T) {
	t.Parallel()
	e := newFlowEnv(t, 3, nil)
	e.Mentor("佐藤", "キャリア")
	e.OK(bottest.DM("田中", "キャリアの相談です"))

	turn := e.OK(homeOf("田中"))
	if len(turn.Replies) != 1 {
		t.Fatalf("home replies = %d, want 1", len(turn.Replies))
	}
	h := turn.Replies[0]
	if !strings.Contains(h.Text, "#1 [受付中] キャリア") {
		t.Errorf("asker's home = %q, want consultation #1", h.Text)
	}
	var ids []string
	for _, b := range h.Buttons {
		ids = append(ids, b.ID)
	}
	if got := strings.Join(ids, ","); got != "home.ask,home.mine,home.mentor" {
		t.Errorf("non-mentor buttons = %s", got)
	}

	h = e.OK(homeOf("佐藤")).Replies[0]
	if !strings.Contains(h.Text, "【依頼された・引き受けた相談】\n#1") || !strings.Contains(h.Fields[0].Value, "受付中") {
		t.Errorf("mentor's home = %q %v", h.Text, h.Fields)
	}
	// Pausing from home stops routing.
	e.OK(bottest.Press("佐藤", bot.Address{}, "home.pause", ""))
	if h = e.OK(homeOf("佐藤")).Replies[0]; !strings.Contains(h.Fields[0].Value, "休止中") || h.Buttons[2].ID != "home.resume" {
		t.Errorf("after pause: %v %v", h.Fields, h.Buttons)
	}
	if turn := e.OK(bottest.DM("田中", "キャリアの別の相談")); len(turn.Sent) == 0 || turn.Sent[0].To.User == "佐藤" {
		t.Errorf("a paused mentor was routed to: %v", testenv.Recipients(turn.Sent))
	}
	// The ask button opens the ask form.
	if turn := e.OK(bottest.Press("田中", bot.Address{}, "home.ask", "")); turn.Replies[0].Form == nil || turn.Replies[0].Form.ID != "consult.ask" {
		t.Errorf("home ask = %+v, want the ask form", turn.Replies[0])
	}
}
