package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/internal/outbox"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestFlushDeliversInOrderWithKeysAndCallbacks(t *testing.T) {
	e := newEnv(t, nil)
	card := dmTo("U1", "card-1", "相談 #1 が届きました")
	card.OnSent = outbox.Sent{Kind: "consult.thread", IDs: []uint64{1, 7}}
	e.enqueue(card, postTo("C1", "", "お知らせ"), dmTo("U2", "", "二通目"))
	e.flush()

	posts := e.p.Posts()
	var texts []string
	for _, d := range posts {
		texts = append(texts, d.Reply.Text)
	}
	if want := []string{"相談 #1 が届きました", "お知らせ", "二通目"}; !slices.Equal(texts, want) {
		t.Fatalf("posted %q, want %q in enqueue order", texts, want)
	}
	if posts[0].Reply.Key != "card-1" || posts[1].Reply.Key == "" {
		t.Errorf("reply keys = %q, %q; want card-1 and an assigned key", posts[0].Reply.Key, posts[1].Reply.Key)
	}
	if got, want := e.callbacks(), []string{"card-1 consult.thread:1:7 ts-1"}; !slices.Equal(got, want) {
		t.Errorf("OnSent calls = %q, want %q (only items with an OnSent key)", got, want)
	}
	it := e.item("card-1")
	if it.Status != store.OutboxSent || it.Attempts != 1 || !strings.Contains(string(it.Result), "ts-1") {
		t.Errorf("item = %s, %d attempts, result %s; want sent once with the posted address", it.Status, it.Attempts, it.Result)
	}
	e.flush()
	if n := len(e.p.Posts()); n != 3 {
		t.Errorf("a second flush posted again: %d posts, want 3", n)
	}
}

func TestPermanentFailureIsRecordedAndNotRetried(t *testing.T) {
	e := newEnv(t, nil)
	e.p.fail = func(int, bot.Address) (bool, error) {
		return false, &bot.SendError{Err: errors.New("channel_not_found")}
	}
	e.enqueue(postTo("C-gone", "k", "x"))
	e.flush()
	e.clk.Advance(time.Hour)
	e.flush()
	it := e.item("k")
	if it.Status != store.OutboxFailed || it.Attempts != 1 || !strings.Contains(it.LastError, "channel_not_found") {
		t.Errorf("item = %s after %d attempts (%q), want failed once with the reason", it.Status, it.Attempts, it.LastError)
	}
}

func TestTemporaryFailureIsRetriedWithBackoffThenGivenUp(t *testing.T) {
	e := newEnv(t, func(o *outbox.Options) { o.MaxAttempts = 3; o.Backoff = time.Second })
	e.p.fail = func(int, bot.Address) (bool, error) {
		return false, &bot.SendError{Temporary: true, Err: errors.New("HTTP 502")}
	}
	e.enqueue(dmTo("U1", "k", "x"))
	e.flush()
	it := e.item("k")
	wait := it.NextAttempt.Sub(t0)
	if it.Status != store.OutboxPending || wait < 500*time.Millisecond || wait > time.Second {
		t.Fatalf("after one failure: %s, next attempt in %v; want pending, retried in 0.5-1s (1s with jitter)", it.Status, wait)
	}
	e.flush()
	if it := e.item("k"); it.Attempts != 1 {
		t.Errorf("flush before the retry time made attempt %d, want still 1", it.Attempts)
	}
	for range 3 {
		e.clk.Advance(5 * time.Second)
		e.flush()
	}
	it = e.item("k")
	if it.Status != store.OutboxFailed || it.Attempts != 3 || !strings.HasPrefix(it.LastError, "gave up after 3 attempts: ") {
		t.Errorf("item = %s after %d attempts (%q); want failed after 3", it.Status, it.Attempts, it.LastError)
	}
	if e.p.checks == 0 {
		t.Errorf("retries after a 502 never checked whether it was posted; want a check before resending")
	}
}

func TestRetryAfterIsHonouredWithoutACheck(t *testing.T) {
	e := newEnv(t, nil)
	e.p.fail = func(n int, _ bot.Address) (bool, error) {
		if n == 1 {
			return false, &bot.SendError{Temporary: true, RetryAfter: 30 * time.Second, Err: errors.New("ratelimited")}
		}
		return true, nil
	}
	e.enqueue(dmTo("U1", "k", "x"))
	e.flush()
	it := e.item("k")
	if !it.NextAttempt.Equal(t0.Add(30*time.Second)) || it.MaybeDelivered {
		t.Fatalf("next attempt %v (maybe delivered %v), want %v and not in doubt", it.NextAttempt, it.MaybeDelivered, t0.Add(30*time.Second))
	}
	e.clk.Advance(30 * time.Second)
	// The platform asked to wait 30 real seconds as well; a fresh worker
	// (as after a restart) has no pause in memory.
	e.w = e.newWorker(outbox.Options{Store: outbox.Transactional(e.st), Sender: e.p, Now: e.clk.Now})
	e.flush()
	if it := e.item("k"); it.Status != store.OutboxSent || e.p.checks != 0 {
		t.Errorf("after Retry-After: %s with %d checks, want sent without a check", it.Status, e.p.checks)
	}
}

func TestTimedOutSendThatLandedIsNotPostedTwice(t *testing.T) {
	e := newEnv(t, func(o *outbox.Options) { o.Backoff = time.Second })
	e.p.fail = func(n int, _ bot.Address) (bool, error) {
		if n == 1 {
			return true, fmt.Errorf("post: %w", context.DeadlineExceeded)
		}
		return true, nil
	}
	e.enqueue(outbox.Message{To: bot.Address{Platform: "slack", User: "U1"}, Reply: bot.Reply{Text: "x"}, Key: "k", OnSent: outbox.Sent{Kind: "cb"}})
	e.flush()
	e.clk.Advance(time.Minute)
	e.flush()
	if n := len(e.p.Posts()); n != 1 {
		t.Errorf("posted %d times, want once: the retry must find the first post", n)
	}
	if it := e.item("k"); it.Status != store.OutboxSent || it.Attempts != 2 {
		t.Errorf("item = %s after %d attempts, want sent on the checked second attempt", it.Status, it.Attempts)
	}
	if got := e.callbacks(); len(got) != 1 || got[0] != "k cb ts-1" {
		t.Errorf("OnSent = %q, want once with the first post's thread", got)
	}
}

func TestItemsInFlightAtACrashAreCheckedNotResent(t *testing.T) {
	e := newEnv(t, nil)
	e.enqueue(dmTo("U1", "landed", "a"), dmTo("U2", "lost", "b"))
	// The crashed process claimed both and posted only the first.
	claimed, err := storetest.Write(e.st, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(e.clk.Now(), 2, nil) })
	if err != nil || len(claimed) != 2 {
		t.Fatalf("ClaimDue = %d, %v", len(claimed), err)
	}
	if _, err := e.p.Send(context.Background(), bot.Address{Platform: "slack", User: "U1"}, bot.Reply{Text: "a", Key: "landed"}); err != nil {
		t.Fatal(err)
	}

	e.w = e.newWorker(outbox.Options{Store: outbox.Transactional(e.st), Sender: e.p, Now: e.clk.Now})
	e.flush()
	posts := e.p.Posts()
	if len(posts) != 2 || posts[1].Reply.Key != "lost" {
		t.Fatalf("posts after restart = %d (%+v), want the lost one only, once", len(posts), posts)
	}
	for _, k := range []string{"landed", "lost"} {
		if it := e.item(k); it.Status != store.OutboxSent {
			t.Errorf("%s is %s, want sent", k, it.Status)
		}
	}
}

// An item a crash left in doubt keeps its place in its conversation: it
// is checked, and found, before the messages queued behind it are posted.
// Requeued as due at the restart, it went after them, and a platform that
// checks only a conversation's newest messages (Slack: a page of history)
// no longer saw it among them, so it was posted twice (kill -9 under load:
// routing cards delivered twice).
func TestAnItemInDoubtIsCheckedBeforeTheMessagesBehindIt(t *testing.T) {
	e := newEnv(t, nil)
	e.p.lookback = 5
	e.enqueue(dmTo("U1", "card-0", "first"))
	// The crashed process claimed the first card and posted it, then died
	// before recording it; more cards for the same mentor were queued
	// behind it meanwhile.
	if claimed, err := storetest.Write(e.st, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(e.clk.Now(), 1, nil) }); err != nil || len(claimed) != 1 {
		t.Fatalf("ClaimDue = %d, %v", len(claimed), err)
	}
	if _, err := e.p.Send(context.Background(), bot.Address{Platform: "slack", User: "U1"}, bot.Reply{Text: "first", Key: "card-0"}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 10; i++ {
		e.clk.Advance(time.Second)
		e.enqueue(dmTo("U1", fmt.Sprintf("card-%d", i), "later"))
	}
	e.clk.Advance(time.Minute) // the restart

	e.w = e.newWorker(outbox.Options{Store: outbox.Transactional(e.st), Sender: e.p, Now: e.clk.Now})
	e.flush()
	var keys []string
	for _, p := range e.p.Posts() {
		keys = append(keys, p.Reply.Key)
	}
	want := []string{"card-0", "card-1", "card-2", "card-3", "card-4", "card-5", "card-6", "card-7", "card-8", "card-9", "card-10"}
	if !slices.Equal(keys, want) {
		t.Errorf("posts after the restart, in order: %q\nwant each once, in order: %q", keys, want)
	}
	if it := e.item("card-0"); it.Status != store.OutboxSent || it.Attempts != 2 {
		t.Errorf("card-0 is %s after %d attempts, want sent, found by the check of its second", it.Status, it.Attempts)
	}
}

func TestWithoutACheckerItemsInDoubtAreResent(t *testing.T) {
	e := newEnv(t, nil)
	e.enqueue(dmTo("U1", "k", "a"))
	if _, err := storetest.Write(e.st, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(e.clk.Now(), 1, nil) }); err != nil {
		t.Fatal(err)
	}
	e.w = e.newWorker(outbox.Options{Store: outbox.Transactional(e.st), Sender: sendOnly{e.p}, Now: e.clk.Now})
	e.flush()
	if it := e.item("k"); it.Status != store.OutboxSent || it.Attempts != 2 || len(e.p.Posts()) != 1 {
		t.Errorf("item %s after %d attempts, %d posts; want resent (at least once)", it.Status, it.Attempts, len(e.p.Posts()))
	}
}

func TestScheduledAndCancelledBatches(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	later, err := e.w.Enqueue(ctx, &store.OutboxBatch{Kind: "broadcast", NotBefore: t0.Add(time.Hour)}, []outbox.Message{dmTo("U1", "s1", "a")})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := e.w.Enqueue(ctx, &store.OutboxBatch{Kind: "broadcast", NotBefore: t0.Add(time.Hour)}, []outbox.Message{dmTo("U2", "c1", "b"), dmTo("U3", "c2", "c")})
	if err != nil {
		t.Fatal(err)
	}
	e.flush()
	if n := len(e.p.Posts()); n != 0 {
		t.Fatalf("posted %d before the schedule, want 0", n)
	}
	if n, err := e.w.Cancel(gone.ID); n != 2 || err != nil {
		t.Errorf("Cancel = %d, %v; want 2", n, err)
	}
	e.clk.Advance(time.Hour)
	e.flush()
	posts := e.p.Posts()
	if len(posts) != 1 || posts[0].Reply.Key != "s1" {
		t.Errorf("posts = %+v, want only the scheduled, uncancelled one", posts)
	}
	if b, _ := storetest.Read(e.st, func(tx *store.Tx) (store.OutboxBatch, error) { return tx.Outbox().Batch(later.ID) }); b.Status != store.BatchDone || b.Counts.Sent != 1 {
		t.Errorf("batch = %+v, want done with 1 sent", b)
	}
}

func TestRunKeepsOneSendPerConversationInOrder(t *testing.T) {
	e := newEnv(t, func(o *outbox.Options) { o.Concurrency = 8; o.Now = nil })
	e.p.hold = 2 * time.Millisecond
	var msgs []outbox.Message
	for i := range 12 {
		msgs = append(msgs, postTo("C1", "", fmt.Sprintf("thread %02d", i)), dmTo(fmt.Sprintf("U%d", i), "", "dm"))
	}
	e.enqueue(msgs...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- e.w.Run(ctx) }()
	waitFor(t, func() bool { return len(e.p.Posts()) == 24 })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
	var inC1 []string
	for _, d := range e.p.Posts() {
		if d.To.Channel == "C1" {
			inC1 = append(inC1, d.Reply.Text)
		}
	}
	if !slices.IsSorted(inC1) || len(inC1) != 12 {
		t.Errorf("C1 got %q, want 12 in order", inC1)
	}
	if e.p.overlap {
		t.Errorf("two sends to one conversation overlapped; want one at a time")
	}
}

func TestRunNeverExceedsThePlatformRate(t *testing.T) {
	const n, perSecond = 40, 200.0
	e := newEnv(t, func(o *outbox.Options) {
		o.Now = nil
		o.Limits = map[string]outbox.Limit{"slack": {PerSecond: perSecond}}
	})
	var msgs []outbox.Message
	for i := range n {
		msgs = append(msgs, dmTo(fmt.Sprintf("U%d", i), "", "x"))
	}
	e.enqueue(msgs...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.w.Run(ctx)
	waitFor(t, func() bool { return len(e.p.Posts()) == n })
	posts := e.p.Posts()
	// A token bucket of burst 1 spaces n sends at least (n-1)/rate apart.
	// The fake records arrival times, which scheduling jitter on a loaded
	// machine can shift by tens of milliseconds (the first arrival late,
	// the last on time), so allow half: an unlimited worker sends all 40 in
	// a few milliseconds, far below this bound.
	span := posts[n-1].Time.Sub(posts[0].Time)
	if min := time.Duration(float64(n-1) / perSecond * float64(time.Second) * 0.5); span < min {
		t.Errorf("%d sends took %v, want at least %v at %v/s", n, span, min, perSecond)
	}
}

func TestRunHoldsAConversationToItsRate(t *testing.T) {
	e := newEnv(t, func(o *outbox.Options) {
		o.Now = nil
		o.Limits = map[string]outbox.Limit{"slack": {PerConversation: 20}}
	})
	e.enqueue(postTo("C1", "", "1"), postTo("C1", "", "2"), postTo("C1", "", "3"), dmTo("U1", "", "other"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.w.Run(ctx)
	waitFor(t, func() bool { return len(e.p.Posts()) == 4 })
	var times []time.Time
	for _, d := range e.p.Posts() {
		if d.To.Channel == "C1" {
			times = append(times, d.Time)
		}
	}
	// 100ms at 20/s; half of it as slack for arrival-time jitter on a
	// loaded machine (unlimited: ~1ms).
	if gap := times[2].Sub(times[0]); gap < 50*time.Millisecond {
		t.Errorf("3 posts into C1 at 20/s took %v, want about 100ms (at least 50ms)", gap)
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	e := newEnv(t, nil)
	for _, opt := range []outbox.Options{
		{Sender: e.p},
		{Store: outbox.Transactional(e.st)},
		{Store: outbox.Transactional(e.st), Sender: e.p, Limits: map[string]outbox.Limit{"slack": {PerSecond: -1}}},
		{Store: outbox.Transactional(e.st), Sender: e.p, Limits: map[string]outbox.Limit{"teams": {PerConversation: math.NaN()}}},
	} {
		if _, err := outbox.New(opt); err == nil {
			t.Errorf("New(%+v) = nil error, want one", opt)
		}
	}
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestBatchDoneIsReportedAndAppErrorsAreNotRetried(t *testing.T) {
	var done []store.OutboxBatch
	e := newEnv(t, func(o *outbox.Options) {
		o.OnBatchDone = func(_ context.Context, b store.OutboxBatch) { done = append(done, b) }
	})
	e.p.fail = func(_ int, to bot.Address) (bool, error) {
		if to.User == "U2" {
			return false, bot.Errorf(bot.CodeUnavailable, "error.no_platform")
		}
		return true, nil
	}
	b, err := e.w.Enqueue(context.Background(), &store.OutboxBatch{Kind: "broadcast"}, []outbox.Message{dmTo("U1", "", "a"), dmTo("U2", "", "b")})
	if err != nil {
		t.Fatal(err)
	}
	e.flush()
	if len(done) != 1 || done[0].ID != b.ID || done[0].Counts.Sent != 1 || done[0].Counts.Failed != 1 {
		t.Fatalf("OnBatchDone calls = %+v, want one for batch %d with 1 sent and 1 failed", done, b.ID)
	}
	r, _ := storetest.Read(e.st, func(tx *store.Tx) (store.OutboxReport, error) { return tx.Outbox().BatchReport(b.ID, 10) })
	if len(r.Failures) != 1 || r.Failures[0].Attempts != 1 || r.Failures[0].User != "U2" {
		t.Errorf("failures = %+v, want U2 failed at once (an app error is not retried)", r.Failures)
	}
}

// OnResult is told of each recorded attempt: a rate-limit refusal as a
// rate-limited retry, then the delivery, and a permanent refusal as a
// failure.
func TestOnResultReportsEachAttempt(t *testing.T) {
	var (
		mu  sync.Mutex
		got []string
	)
	e := newEnv(t, func(o *outbox.Options) {
		o.OnResult = func(platform, result string, rateLimited bool) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, fmt.Sprintf("%s %s %v", platform, result, rateLimited))
		}
	})
	e.p.fail = func(n int, to bot.Address) (bool, error) {
		switch {
		case to.User == "U2":
			return false, &bot.SendError{Err: errors.New("channel_not_found")}
		case n == 1:
			return false, &bot.SendError{Temporary: true, RetryAfter: 30 * time.Second, Err: errors.New("ratelimited")}
		}
		return true, nil
	}
	e.enqueue(dmTo("U1", "k", "x"))
	e.flush()
	e.clk.Advance(30 * time.Second)
	opt := outbox.Options{Store: outbox.Transactional(e.st), Sender: e.p, Now: e.clk.Now, OnResult: func(platform, result string, rateLimited bool) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, fmt.Sprintf("%s %s %v", platform, result, rateLimited))
	}}
	e.w = e.newWorker(opt)
	e.flush()
	e.enqueue(dmTo("U2", "k2", "y"))
	e.flush()
	mu.Lock()
	defer mu.Unlock()
	want := []string{"slack retry true", "slack sent false", "slack failed false"}
	if !slices.Equal(got, want) {
		t.Errorf("OnResult calls = %q, want %q", got, want)
	}
}
