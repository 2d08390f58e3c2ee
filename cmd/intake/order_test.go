package main

import (
	"testing"
	"time"
)

// outOfOrder counts a post that reached its thread after a later item of
// the thread, and nothing across threads or for posts without an item.
func TestOutOfOrderCountsPostsBehindALaterItemOfTheirThread(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	order := map[string]itemOrder{
		"consult:1:ack":     {created: t0, id: 1},
		"consult:1:msg:2":   {created: t0.Add(time.Second), id: 5},
		"consult:1:msg:3":   {created: t0.Add(time.Second), id: 6},
		"consult:2:ack":     {created: t0, id: 2},
		"consult:2:card:U1": {created: t0.Add(2 * time.Second), id: 7},
	}
	posts := []post{
		{Channel: "C1", Thread: "1.1", Key: "consult:1:ack"},
		{Channel: "C1", Thread: "1.1", Key: "consult:1:msg:3"},
		{Channel: "C1", Thread: "1.1", Text: "an answer within the turn"},
		{Channel: "C1", Thread: "1.1", Key: "consult:1:msg:2"}, // behind msg:3
		{Channel: "DU1", Key: "consult:2:card:U1"},
		{Channel: "C1", Thread: "2.2", Key: "consult:2:ack"}, // another thread: earlier is fine
	}
	n, first := outOfOrder(posts, order, 5)
	if n != 1 || len(first) != 1 || first[0] != "consult:1:msg:2 after consult:1:msg:3 in C1/1.1" {
		t.Errorf("outOfOrder = %d, %q; want 1, consult:1:msg:2 behind consult:1:msg:3", n, first)
	}
}

// settleInboxed counts an acknowledged question or reply still in the
// inbox at the stop as a backlog, not a loss; one gone from both stays
// lost.
func TestSettleInboxedTellsABacklogFromALoss(t *testing.T) {
	now := time.Now()
	events := []event{
		{ID: "EvQ1", Marker: "q-1", Acked: now},
		{ID: "EvQ2", Marker: "q-2", Acked: now},
		{ID: "EvR1", Reply: true, Acked: now},
		{ID: "EvQ3", Marker: "q-3", Acked: now},
	}
	consults := []consultRec{{ID: 1, EventID: "EvQ3", Marker: "q-3"}}
	tl := tally{Lost: 2, LostReplies: 1}
	settleInboxed(&tl, events, consults, map[string]bool{"EvQ1": true, "EvR1": true, "EvQ3": true})
	if tl.Lost != 1 || tl.LostReplies != 0 || tl.Inboxed != 2 {
		t.Errorf("lost %d, lost replies %d, inboxed %d; want 1 (EvQ2), 0, 2 (EvQ1, EvR1)", tl.Lost, tl.LostReplies, tl.Inboxed)
	}
}
