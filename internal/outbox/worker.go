package outbox

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/soudan/soudan/store"
)

// job is a claimed item and how long its send must wait for the platform's
// rate.
type job struct {
	item store.OutboxItem
	wait time.Duration
}

// Run delivers due items until ctx ends, then waits for the sends in
// flight to finish and record their result (each bounded by SendTimeout),
// so a clean shutdown leaves nothing in doubt. It first settles the items
// a crash left in flight. It returns nil when ctx ends.
//
// Each claim marks several items sending in one transaction (it waits up
// to GroupWait for a quarter of the slots to be free), and the results of
// sends that finish close together are recorded in one transaction (see
// recordGroups), so a delivered message costs a fraction of a disk sync.
func (w *Worker) Run(ctx context.Context) error {
	w.recoverOnce.Do(func() { w.recoverInDoubt(ctx) })
	slots := make(chan struct{}, w.opt.Concurrency)
	// Sends outlive ctx so their results are recorded.
	sendCtx := context.WithoutCancel(ctx)
	outcomes := make(chan outcome, w.opt.Concurrency)
	var running atomic.Int64 // sends whose outcome the recorder has not taken
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		w.recordGroups(sendCtx, outcomes, &running)
	}()
	var wg sync.WaitGroup
	defer func() {
		wg.Wait()
		close(outcomes)
		<-recorded
	}()
	nextTakeOver := time.Now().Add(w.opt.Lease / 2)
	for ctx.Err() == nil {
		if w.opt.Lease > 0 && !time.Now().Before(nextTakeOver) {
			w.takeOver(ctx)
			nextTakeOver = time.Now().Add(w.opt.Lease / 2)
		}
		w.gather(ctx, slots)
		free := cap(slots) - len(slots)
		var jobs []job
		var hint time.Time
		if free > 0 {
			var err error
			jobs, hint, err = w.claim(free)
			if err != nil {
				w.log.Error("outbox: claim due items", "err", err)
				hint = time.Now().Add(time.Second)
			}
		}
		for _, j := range jobs {
			slots <- struct{}{}
			running.Add(1)
			wg.Go(func() {
				// The slot bounds calls to the platform; recording the
				// result (a shared disk sync) overlaps the next sends.
				release := sync.OnceFunc(func() { <-slots; w.signalDone() })
				o := w.deliver(sendCtx, j, release)
				release()
				outcomes <- o
			})
		}
		if free > 0 && len(jobs) == free {
			continue // there may be more due
		}
		w.idle(ctx, hint)
	}
	return nil
}

// gather waits, while sends are in flight and fewer than a quarter of the
// slots are free, up to GroupWait for more to free up, so that one claim
// transaction takes several items.
func (w *Worker) gather(ctx context.Context, slots chan struct{}) {
	want := max(1, cap(slots)/4)
	if len(slots) == 0 || cap(slots)-len(slots) >= want {
		return
	}
	t := time.NewTimer(w.opt.GroupWait)
	defer t.Stop()
	for len(slots) > 0 && cap(slots)-len(slots) < want {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			return
		case <-w.done:
		}
	}
}

// Flush delivers, one at a time in order, every item due now that the rate
// limits let go now, and returns when none is left: for tests, and for the
// console after each line so its transcript is deterministic. Items held
// back by a retry delay or a rate stay for later. Flushes never overlap.
func (w *Worker) Flush(ctx context.Context) error {
	w.recoverOnce.Do(func() { w.recoverInDoubt(ctx) })
	w.flushMu.Lock()
	defer w.flushMu.Unlock()
	for ctx.Err() == nil {
		// One claim takes the first due item of each stream; they are
		// sent one by one in claim order (so a transcript reads the same
		// every time), and their results recorded together.
		jobs, _, err := w.claim(w.opt.Concurrency)
		if err != nil {
			return err
		}
		if len(jobs) == 0 {
			return nil
		}
		outs := make([]outcome, len(jobs))
		for i, j := range jobs {
			outs[i] = w.deliver(ctx, j, func() {})
		}
		w.record(ctx, outs, true)
	}
	return ctx.Err()
}

// dueFresh is how long what a complete claim learnt of the platforms with
// due items is trusted: items falling due later (retries) of another
// platform wait at most this long behind a platform at its rate.
const dueFresh = time.Second

// allDueFullLocked reports whether every platform known to have due items
// has its rate spent, and until when the first is: then a claim would
// take nothing. It knows nothing (false) before a first claim, nor once
// that claim is older than dueFresh.
func (w *Worker) allDueFullLocked(real time.Time) (time.Time, bool) {
	if len(w.duePlatforms) == 0 || real.Sub(w.dueAt) > dueFresh {
		return time.Time{}, false
	}
	var first time.Time
	for p := range w.duePlatforms {
		t, ok := w.fullUntil[p]
		if !ok || !real.Before(t) {
			return time.Time{}, false
		}
		if first.IsZero() || t.Before(first) {
			first = t
		}
	}
	return first, true
}

// claim claims up to n due items the limits let go, marking their
// conversations busy. hint is the earliest time a refused item may be
// accepted (zero when none was refused for a rate or a retry).
func (w *Worker) claim(n int) ([]job, time.Time, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	real, now := time.Now(), w.now()
	w.lim.prune(real)
	// Every platform with due items found its rate spent: no claim (a
	// walk over the queue) can take anything before the first is free.
	if until, ok := w.allDueFullLocked(real); ok {
		return nil, minTime(until, w.dueAt.Add(dueFresh)), nil
	}
	var hint time.Time
	note := func(t time.Time) {
		if hint.IsZero() || t.Before(hint) {
			hint = t
		}
	}
	// seen are the platforms of the due items this claim met.
	seen := map[string]bool{}
	// full are the platforms whose rate is spent (or paused) for this
	// claim: their other conversations are refused without a reservation.
	full := map[string]bool{}
	// taken are the items this run of the claim's transaction accepted:
	// their streams marked busy, their rate booked.
	type take struct {
		stream string
		book   booking
	}
	var taken []take
	waits := map[uint64]time.Duration{}
	undo := func() {
		for _, t := range taken {
			delete(w.busy, t.stream)
			t.book.cancel()
		}
		taken = taken[:0]
	}
	// A rerun of the transaction (see Claim) starts from a clean slate.
	begin := func() {
		undo()
		clear(seen)
		clear(full)
		clear(waits)
		hint = time.Time{}
	}
	// A refusal holds back the item's conversation for the rest of the
	// claim (see store.ClaimDue), which then passes over its backlog to
	// reach other conversations.
	// Streams with a send in flight, and those of conversations waiting for
	// their rate, are passed over unread.
	// So are those of a platform whose rate this claim found spent: the
	// stream's first field is its platform.
	skip := func(s string) bool {
		p := store.StreamPlatform(s)
		seen[p] = true
		if w.busy[s] {
			return true
		}
		if full[p] {
			return true
		}
		if t, ok := w.waitTo[store.StreamConversation(s)]; ok && real.Before(t) {
			note(t) // wake up when its conversation may send again
			return true
		}
		return false
	}
	accept := func(it store.OutboxItem) bool {
		s, k := streamKey(it), convKey(it)
		seen[it.Platform] = true
		if w.busy[s] || full[it.Platform] {
			return false
		}
		if t, ok := w.waitTo[k]; ok {
			if real.Before(t) {
				note(t)
				return false
			}
			delete(w.waitTo, k)
		}
		if t, ok := w.retryHold[s]; ok {
			if now.Before(t) {
				note(real.Add(t.Sub(now)))
				return false
			}
			delete(w.retryHold, s)
		}
		b := w.lim.reserve(it, k, real)
		if !b.ok {
			full[it.Platform] = full[it.Platform] || b.platform
			if b.platform {
				w.fullUntil[it.Platform] = b.until
			}
			w.waitTo[k] = b.until
			note(b.until)
			return false
		}
		w.busy[s] = true
		taken = append(taken, take{stream: s, book: b})
		waits[it.ID] = b.wait
		return true
	}
	items, err := w.st.ClaimDue(now, n, Claim{Begin: begin, Skip: skip, Accept: accept})
	if err != nil {
		undo()
		return nil, hint, err
	}
	if len(items) < n {
		// The claim met every due item it could take: these are the
		// platforms with due items, until new ones are queued (WakeFor).
		w.duePlatforms, w.dueAt = seen, real
	}
	jobs := make([]job, len(items))
	for i, it := range items {
		jobs[i] = job{item: it, wait: waits[it.ID]}
	}
	return jobs, hint, nil
}

// idle waits until an item may be due: Enqueue's wake-up, a finished send
// (its conversation is free), the hint of a refused item, the next due
// item, or at most Poll.
func (w *Worker) idle(ctx context.Context, hint time.Time) {
	d := w.opt.Poll
	if w.opt.Lease > 0 {
		d = min(d, w.opt.Lease/2) // look for lapsed leases in time
	}
	if !hint.IsZero() {
		d = min(d, time.Until(hint))
	}
	// An item due already was refused: for a rate or a retry (the hint),
	// or for a send in flight to its conversation, whose end signals done.
	if next, ok, err := w.st.NextDue(); err == nil && ok {
		if until := next.Sub(w.now()); until > 0 {
			d = min(d, until)
		}
	}
	d = max(d, time.Millisecond)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-w.wake:
	case <-w.done:
	case <-t.C:
	}
}

// signalDone tells Run a conversation may be free.
func (w *Worker) signalDone() {
	select {
	case w.done <- struct{}{}:
	default:
	}
}

// minTime is the earlier of a and b.
func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
