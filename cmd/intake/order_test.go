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
