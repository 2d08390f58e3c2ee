package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// maxReason bounds the failure reason kept with an item, in characters.
const maxReason = 300

// outcome is what one attempt at an item came to: the result to record,
// and what to remember once it is recorded.
type outcome struct {
	item store.OutboxItem // as claimed
	conv string           // its stream (streamKey): busy while the item is sent
	res  store.OutboxResult
	// hold is the retry's delay: a positive one holds the conversation
	// back until res.Next, so the messages after it keep their order.
	hold time.Duration
	// at is where a delivered item landed, for its OnSent callback.
	at bot.Address
	// rateLimited is set when the platform refused the send for its rate.
	rateLimited bool
}

// deliver sends one claimed item and returns the outcome to record; it
// writes nothing to the store. An item whose earlier attempt may have
// landed is first checked where the platform can tell, so it is not
// posted twice. A delivered item's OnSent callback runs in the
// transaction that records it as sent. It calls called once the platform
// has answered.
func (w *Worker) deliver(ctx context.Context, j job, called func()) outcome {
	it := j.item
	k := streamKey(it)
	if j.wait > 0 {
		t := time.NewTimer(j.wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return w.retry(it, k, 0, "stopped before sending", false)
		}
	}
	var r bot.Reply
	if err := json.Unmarshal(it.Payload, &r); err != nil {
		return w.fail(it, k, fmt.Sprintf("undecodable message: %v", err))
	}
	r.Key = it.Key
	to := address(it)
	sctx, cancel := context.WithTimeout(ctx, w.opt.SendTimeout)
	defer cancel()
	if it.MaybeDelivered {
		if ch := w.checker(it.Platform); ch != nil {
			at, found, err := ch.Delivered(sctx, to, it.Key)
			if err != nil || found {
				called()
			}
			if err != nil {
				return w.failed(it, k, fmt.Errorf("check an earlier attempt: %w", err))
			}
			if found {
				w.log.Info("outbox: earlier attempt had been delivered", "item", it.ID, "platform", it.Platform)
				return w.sent(ctx, it, k, at)
			}
		}
	}
	at, err := w.opt.Sender.Send(sctx, to, r)
	called()
	if err != nil {
		return w.failed(it, k, err)
	}
	return w.sent(ctx, it, k, at)
}

// checker returns the delivery checker of the platform's sender, if any.
func (w *Worker) checker(platform string) bot.DeliveryChecker {
	c, _ := bot.SenderFor(w.opt.Sender, platform).(bot.DeliveryChecker)
	return c
}

// sent returns the delivery to record; its OnSent callback runs in the
// transaction that records it.
func (w *Worker) sent(_ context.Context, it store.OutboxItem, k string, at bot.Address) outcome {
	result, err := json.Marshal(at)
	if err != nil {
		result = nil
	}
	return outcome{item: it, conv: k, res: store.SentResult(it.ID, result), at: at}
}

// failed decides what a failed send means: a permanent refusal (a
// SendError not Temporary, or a bot.Error such as an unserved platform)
// fails the item, anything else is retried with backoff (or after the
// platform's Retry-After) until MaxAttempts.
func (w *Worker) failed(it store.OutboxItem, k string, err error) outcome {
	reason := reasonOf(err)
	se, isSend := bot.AsSendError(err)
	_, isApp := bot.AsError(err)
	switch {
	case isSend && !se.Temporary || !isSend && isApp:
		return w.fail(it, k, reason)
	case it.Attempts >= w.opt.MaxAttempts:
		return w.fail(it, k, fmt.Sprintf("gave up after %d attempts: %s", it.Attempts, reason))
	case isSend && se.RetryAfter > 0:
		// A rate-limit refusal: nothing was posted. The platform asked
		// everyone to wait, so the whole platform pauses.
		w.mu.Lock()
		w.lim.pause(it.Platform, time.Now().Add(se.RetryAfter))
		w.mu.Unlock()
		o := w.retry(it, k, se.RetryAfter, reason, false)
		o.rateLimited = true
		return o
	default:
		// A timeout or a server error may have posted the message.
		return w.retry(it, k, w.backoff(it.Attempts), reason, true)
	}
}

// retry is the outcome of an attempt to make again after delay.
func (w *Worker) retry(it store.OutboxItem, k string, delay time.Duration, reason string, maybeDelivered bool) outcome {
	res := store.RetryResult(it.ID, reason, w.now().Add(delay), maybeDelivered)
	return outcome{item: it, conv: k, res: res, hold: delay}
}

// fail is the outcome of giving up on the item.
func (w *Worker) fail(it store.OutboxItem, k string, reason string) outcome {
	return outcome{item: it, conv: k, res: store.FailedResult(it.ID, reason)}
}

// backoff is the delay before retrying after the given number of attempts:
// Backoff doubled per attempt, capped at MaxBackoff, with "equal jitter"
// (half fixed, half random) so retries of many items spread out.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.opt.Backoff
	for i := 1; i < attempts && d < w.opt.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.opt.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}

// recoverInDoubt settles the items a crash left "sending": they go back to
// pending, marked as maybe delivered, so their next attempt checks first
// where the platform can tell. One transaction requeues them all.
//
// Each keeps its place in its stream: it is due when it was due before
// the crash, ahead of the messages queued behind it. Due at the restart
// instead, it went after them, out of order, and its check came after
// they were posted: a platform that looks for the key among a
// conversation's newest messages (Slack reads a page of history) could
// miss it behind them, and post it twice.
func (w *Worker) recoverInDoubt(ctx context.Context) {
	items, err := w.st.InDoubt()
	if err != nil {
		w.log.Error("outbox: items in doubt", "err", err)
		return
	}
	if len(items) == 0 {
		return
	}
	w.requeue(ctx, items, "in flight when the bot stopped")
	w.log.Info("outbox: items in flight at the last stop requeued", "count", len(items))
}

// lapser is the optional part of a Store that finds the items whose lease
// lapsed (Leased).
type lapser interface {
	Lapsed() ([]store.OutboxItem, error)
}

// takeOver requeues, as recoverInDoubt does, the items whose lease lapsed
// on another replica (or on this one, when a send outlived its lease):
// the replica stopped or lost the database between claim and result.
// The requeue names the claim it settles (OutboxResult.Attempt), so that
// replicas taking one item over at once requeue it once, and the owner's
// late result changes nothing (a delivery excepted).
func (w *Worker) takeOver(ctx context.Context) {
	l, ok := w.st.(lapser)
	if !ok {
		return
	}
	items, err := l.Lapsed()
	if err != nil {
		w.log.Error("outbox: lapsed leases", "err", err)
		return
	}
	if len(items) == 0 {
		return
	}
	w.requeue(ctx, items, "lease lapsed")
	w.log.Warn("outbox: items whose lease lapsed requeued", "count", len(items))
}

// requeue puts items back to pending, maybe delivered, due when they were
// due (see recoverInDoubt).
func (w *Worker) requeue(ctx context.Context, items []store.OutboxItem, reason string) {
	outs := make([]outcome, len(items))
	for i, it := range items {
		due := it.NextAttempt
		if due.IsZero() || due.After(w.now()) {
			due = w.now()
		}
		outs[i] = outcome{item: it, conv: streamKey(it), res: store.RetryResult(it.ID, reason, due, true)}
	}
	w.record(ctx, outs, false)
}

// reasonOf is an error as a one-line reason of bounded length. Adapters'
// errors carry no message text or tokens.
func reasonOf(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if r := []rune(s); len(r) > maxReason {
		s = string(r[:maxReason-1]) + "…"
	}
	return s
}
