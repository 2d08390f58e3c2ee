package consult

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

// flakySender fails the sends to one user while down is set, as a
// platform does during an outage, and passes the rest to the fake.
type flakySender struct {
	*bottest.Adapter
	user string
	mu   sync.Mutex
	down bool
}

func (f *flakySender) Send(ctx context.Context, to bot.Address, r bot.Reply) (bot.Address, error) {
	f.mu.Lock()
	down := f.down && to.User == f.user
	f.mu.Unlock()
	if down {
		return bot.Address{}, &bot.SendError{Temporary: true, Err: errors.New("HTTP 503")}
	}
	return f.Adapter.Send(ctx, to, r)
}

func (f *flakySender) setDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

func TestRoutingCardIsRetriedAfterAnOutageAndItsThreadRecorded(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := consultNow
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var fs *flakySender
	e := newConsultEnvWith(t, 3, testenv.Options{Clock: clock, Sender: func(ad *bottest.Adapter) bot.Sender {
		fs = &flakySender{Adapter: ad, user: "佐藤"}
		return fs
	}})
	ad := e.Ad
	e.Mentor("佐藤", "キャリア")

	fs.setDown(true)
	turn := e.OK(bottest.DM("田中", "キャリアの相談です"))
	if len(turn.Sent) != 0 {
		t.Fatalf("sent %v during the outage, want nothing yet", testenv.Recipients(turn.Sent))
	}
	if c := e.Consultation(1); len(c.Routed) != 1 || hasThread(c, c.Routed[0]) {
		t.Fatalf("consultation routed %v with threads %+v; want routed to 佐藤, no card thread yet", c.Routed, c.Threads)
	}

	fs.setDown(false)
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	if err := e.Out.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	cards := ad.SentTo("佐藤")
	if len(cards) != 1 {
		t.Fatalf("佐藤 got %d cards after the outage, want 1", len(cards))
	}
	c := e.Consultation(1)
	if !hasThread(c, c.Routed[0]) {
		t.Errorf("threads = %+v, want 佐藤's card thread recorded on delivery", c.Threads)
	}
	// An answer in the card's thread reaches the asker.
	turn = e.OK(bottest.ThreadPost("佐藤", cards[0].At.Channel, cards[0].At.Thread, "面談で伝えましょう"))
	if got := ad.SentTo("田中"); len(turn.Sent) == 0 || len(got) == 0 {
		t.Errorf("the answer reached nobody (%v), want the asker", testenv.Recipients(turn.Sent))
	}
}

func TestRecordThreadIsIdempotent(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.OK(bottest.DM("田中", "キャリアの相談です"))
	at := bot.Address{Platform: bottest.Platform, Workspace: bottest.Workspace, Channel: "dm:佐藤", Thread: "msg-99"}
	before := len(e.Consultation(1).Threads)
	for range 2 {
		err := e.St.Update(func(tx *store.Tx) error {
			return e.Kit.OnSent(context.Background(), tx, store.OutboxItem{OnSent: threadOnSent(1, 42).String()}, at)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := len(e.Consultation(1).Threads); got != before+1 {
		t.Errorf("threads after recording one thread twice: %d, want %d", got, before+1)
	}
	err := e.St.Update(func(tx *store.Tx) error {
		return e.Kit.OnSent(context.Background(), tx, store.OutboxItem{OnSent: "consult.thread:x"}, at)
	})
	if err == nil {
		t.Errorf("onSent of a malformed key: got nil error, want one")
	}
}
