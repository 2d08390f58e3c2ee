package outbox_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/soudan/soudan/internal/outbox"
	"github.com/soudan/soudan/store"
)

// backlogLimits let a conversation take one message a second while the
// platform as a whole has room for many.
var backlogLimits = map[string]outbox.Limit{"slack": {PerSecond: 200, PerConversation: 1}}

// others are the conversations queued behind the backlog: DMs to UB..UK.
var others = []string{"UB", "UC", "UD", "UE", "UF", "UG", "UH", "UI", "UJ", "UK"}

// enqueueBacklog enqueues 5,000 messages into channel CA, then one DM to
// each of others.
func enqueueBacklog(e *env) {
	e.t.Helper()
	var msgs []outbox.Message
	for i := range 5000 {
		msgs = append(msgs, postTo("CA", fmt.Sprintf("a-%05d", i), "backlog"))
	}
	e.enqueue(msgs...)
	msgs = msgs[:0]
	for _, u := range others {
		msgs = append(msgs, dmTo(u, "dm-"+u, "behind the backlog"))
	}
	e.enqueue(msgs...)
}

// split returns the keys posted into CA, in order, and how many times
// each of the others was posted to.
func split(posts []delivery) (backlog []string, toOthers map[string]int) {
	toOthers = map[string]int{}
	for _, d := range posts {
		if d.To.Channel == "CA" {
			backlog = append(backlog, d.Reply.Key)
		} else {
			toOthers[d.To.User]++
		}
	}
	return backlog, toOthers
}

// checkBacklog checks that every other conversation got its message once
// and that the backlog went out in order, from its first message.
func checkBacklog(t *testing.T, posts []delivery) (backlogSent int) {
	t.Helper()
	backlog, toOthers := split(posts)
	for _, u := range others {
		if toOthers[u] != 1 {
			t.Errorf("%s got %d messages, want 1: a backlog in CA must not hold it back", u, toOthers[u])
		}
	}
	for i, k := range backlog {
		if want := fmt.Sprintf("a-%05d", i); k != want {
			t.Fatalf("CA post %d is %s, want %s: the backlog goes in order", i, k, want)
		}
	}
	if len(backlog) == 0 {
		t.Errorf("CA got nothing, want its first message while the others go")
	}
	return len(backlog)
}

func TestFlushPassesOverABacklogInOneConversation(t *testing.T) {
	e := newEnv(t, func(o *outbox.Options) { o.Limits = backlogLimits })
	enqueueBacklog(e)
	// Flush claims one item per cycle and stops at the first cycle that
	// finds nothing the limits let go: the others must go within it.
	e.flush()
	sent := checkBacklog(t, e.p.Posts())
	// CA's next message waits a real second for its rate; only a flush
	// that ran that long could have sent more.
	if last := e.item(fmt.Sprintf("a-%05d", 4999)); last.Status != store.OutboxPending || last.Attempts != 0 {
		t.Errorf("the backlog's last item is %s after %d attempts, want pending, never claimed", last.Status, last.Attempts)
	}
	if next := e.item(fmt.Sprintf("a-%05d", sent)); next.Status != store.OutboxPending || next.Attempts != 0 {
		t.Errorf("CA's next item is %s after %d attempts, want pending, never claimed", next.Status, next.Attempts)
	}
}

func TestRunPassesOverABacklogInOneConversation(t *testing.T) {
	e := newEnv(t, func(o *outbox.Options) { o.Limits = backlogLimits; o.Concurrency = 4 })
	enqueueBacklog(e)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- e.w.Run(ctx) }()
	// Before the fix the others waited for the whole backlog to drain at
	// 1/s: more than an hour, far beyond waitFor's bound.
	waitFor(t, func() bool {
		_, toOthers := split(e.p.Posts())
		return len(toOthers) == len(others)
	})
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
	checkBacklog(t, e.p.Posts())
	if e.p.overlap {
		t.Errorf("two sends to one conversation overlapped; want one at a time")
	}
}
