package outbox_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/internal/outbox"
	"github.com/soudan/soudan/internal/testclock"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

var (
	_ bot.Sender          = (*platform)(nil)
	_ bot.DeliveryChecker = (*platform)(nil)
)

// delivery is one message the fake platform posted.
type delivery struct {
	To    bot.Address
	Reply bot.Reply
	At    bot.Address
	Time  time.Time
}

// platform is a fake chat platform that records what is posted, finds a
// posted message by its delivery key, and fails sends as a test scripts.
type platform struct {
	mu    sync.Mutex
	posts []delivery
	keys  map[string]bot.Address
	// fail, when set, decides the outcome of the n-th send (from 1) to
	// the address: whether the message was posted, and the error returned.
	fail     func(n int, to bot.Address) (posted bool, err error)
	attempts map[string]int
	inflight map[string]int
	overlap  bool // two sends to one conversation were in flight at once
	hold     time.Duration
	checks   int
	// lookback, when set, is how many of a conversation's newest posts
	// Delivered reads, as Slack reads a page of its history.
	lookback int
}

func newPlatform() *platform {
	return &platform{keys: map[string]bot.Address{}, attempts: map[string]int{}, inflight: map[string]int{}}
}

func conv(to bot.Address) string {
	if to.Channel != "" {
		return to.Channel
	}
	return "@" + to.User
}

// Send posts r, unless fail says otherwise.
func (p *platform) Send(_ context.Context, to bot.Address, r bot.Reply) (bot.Address, error) {
	c := conv(to)
	p.mu.Lock()
	p.inflight[c]++
	if p.inflight[c] > 1 {
		p.overlap = true
	}
	p.attempts[r.Key]++
	n := p.attempts[r.Key]
	p.mu.Unlock()
	if p.hold > 0 {
		time.Sleep(p.hold)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inflight[c]--
	var err error
	posted := true
	if p.fail != nil {
		posted, err = p.fail(n, to)
	}
	var at bot.Address
	if posted {
		at = bot.Address{Platform: to.Platform, Channel: "D-" + c, Thread: fmt.Sprintf("ts-%d", len(p.posts)+1)}
		if to.Channel != "" {
			at.Channel = to.Channel
		}
		p.posts = append(p.posts, delivery{To: to, Reply: r, At: at, Time: time.Now()})
		p.keys[r.Key] = at
	}
	if err != nil {
		return bot.Address{}, err
	}
	return at, nil
}

// Delivered finds a message posted with the key: anywhere, or among the
// newest lookback posts of the conversation of to.
func (p *platform) Delivered(_ context.Context, to bot.Address, key string) (bot.Address, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.checks++
	if p.lookback == 0 {
		at, ok := p.keys[key]
		return at, ok, nil
	}
	seen := 0
	for i := len(p.posts) - 1; i >= 0 && seen < p.lookback; i-- {
		if conv(p.posts[i].To) != conv(to) {
			continue
		}
		seen++
		if p.posts[i].Reply.Key == key {
			return p.posts[i].At, true, nil
		}
	}
	return bot.Address{}, false, nil
}

// Posts returns what was posted, in order.
func (p *platform) Posts() []delivery {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]delivery(nil), p.posts...)
}

// sendOnly hides the platform's DeliveryChecker.
type sendOnly struct{ p *platform }

func (s sendOnly) Send(ctx context.Context, to bot.Address, r bot.Reply) (bot.Address, error) {
	return s.p.Send(ctx, to, r)
}

// t0 is the tests' start time, in the past so that items it stamps are
// due for a worker on the real clock.
var t0 = time.Date(2025, 11, 24, 10, 0, 0, 0, time.FixedZone("JST", 9*60*60))

// env is a worker on a real store, a fake platform and a settable clock.
type env struct {
	t   *testing.T
	st  *store.Store
	clk *testclock.Clock
	p   *platform
	w   *outbox.Worker
	// onSent records the callbacks: "key on_sent thread".
	mu     sync.Mutex
	onSent []string
}

func newEnv(t *testing.T, mod func(*outbox.Options)) *env {
	t.Helper()
	e := &env{t: t, clk: testclock.New(t0), p: newPlatform()}
	e.st = storetest.MustOpen(t, store.Options{Now: e.clk.Now})
	opt := outbox.Options{Store: outbox.Transactional(e.st), Sender: e.p, Now: e.clk.Now, OnSent: e.recordOnSent}
	if mod != nil {
		mod(&opt)
	}
	e.w = e.newWorker(opt)
	return e
}

func (e *env) newWorker(opt outbox.Options) *outbox.Worker {
	e.t.Helper()
	w, err := outbox.New(opt)
	if err != nil {
		e.t.Fatalf("outbox.New: %v", err)
	}
	return w
}

// recordOnSent records a callback when its transaction commits: it runs
// inside the transaction that records the delivery, whose function may
// run more than once (SOUDAN_TEST_RETRY=1 runs each twice).
func (e *env) recordOnSent(_ context.Context, tx *store.Tx, it store.OutboxItem, at bot.Address) error {
	tx.OnCommit(func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.onSent = append(e.onSent, it.Key+" "+it.OnSent+" "+at.Thread)
	})
	return nil
}

func (e *env) callbacks() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.onSent...)
}

// enqueue enqueues messages without a batch.
func (e *env) enqueue(msgs ...outbox.Message) {
	e.t.Helper()
	if _, err := e.w.Enqueue(context.Background(), nil, msgs); err != nil {
		e.t.Fatalf("Enqueue: %v", err)
	}
}

func (e *env) flush() {
	e.t.Helper()
	if err := e.w.Flush(context.Background()); err != nil {
		e.t.Fatalf("Flush: %v", err)
	}
}

func (e *env) item(key string) store.OutboxItem {
	e.t.Helper()
	it, err := storetest.Read(e.st, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().ItemByKey(key) })
	if err != nil {
		e.t.Fatal(err)
	}
	return it
}

// dmTo is a message to a Slack user's DM.
func dmTo(user, key, text string) outbox.Message {
	return outbox.Message{To: bot.Address{Platform: "slack", Workspace: "T1", User: user}, Reply: bot.Reply{Text: text}, Key: key}
}

// postTo is a message into a Slack channel.
func postTo(channel, key, text string) outbox.Message {
	return outbox.Message{To: bot.Address{Platform: "slack", Workspace: "T1", Channel: channel}, Reply: bot.Reply{Text: text}, Key: key}
}
