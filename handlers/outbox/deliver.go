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

// deliver sends one claimed item and records the outcome. An item whose
// earlier attempt may have landed is first checked where the platform can
// tell, so it is not posted twice. It calls called once the platform has
// answered, before recording the outcome.
func (w *Worker) deliver(ctx context.Context, j job, called func()) {
	it := j.item
	k := convKey(it)
	defer func() {
		w.mu.Lock()
		delete(w.busy, k)
		w.mu.Unlock()
	}()
	if j.wait > 0 {
		t := time.NewTimer(j.wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			w.retry(context.WithoutCancel(ctx), it, k, 0, "stopped before sending", false)
			return
		}
	}
	var r bot.Reply
	if err := json.Unmarshal(it.Payload, &r); err != nil {
		w.fail(ctx, it, fmt.Sprintf("undecodable message: %v", err))
		return
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
				w.failed(ctx, it, k, fmt.Errorf("check an earlier attempt: %w", err))
				return
			}
			if found {
				w.log.Info("outbox: earlier attempt had been delivered", "item", it.ID, "platform", it.Platform)
				w.sent(ctx, it, at)
				return
			}
		}
	}
	at, err := w.opt.Sender.Send(sctx, to, r)
	called()
	if err != nil {
		w.failed(ctx, it, k, err)
		return
	}
	w.sent(ctx, it, at)
}

// checker returns the delivery checker of the platform's sender, if any.
func (w *Worker) checker(platform string) bot.DeliveryChecker {
	c, _ := bot.SenderFor(w.opt.Sender, platform).(bot.DeliveryChecker)
	return c
}

// sent runs the item's callback and records the delivery.
func (w *Worker) sent(ctx context.Context, it store.OutboxItem, at bot.Address) {
	if it.OnSent != "" && w.opt.OnSent != nil {
		if err := w.opt.OnSent(ctx, it, at); err != nil {
			w.log.Error("outbox: after delivery", "item", it.ID, "on_sent", it.OnSent, "err", err)
		}
	}
	result, err := json.Marshal(at)
	if err != nil {
		result = nil
	}
	done, err := w.st.MarkSent(it.ID, result)
	if err != nil {
		// The item stays "sending": the next start checks it.
		w.log.Error("outbox: record delivery", "item", it.ID, "err", err)
		return
	}
	w.finished(ctx, done)
}

// finished calls OnBatchDone when it was the last item of its batch.
func (w *Worker) finished(ctx context.Context, it store.OutboxItem) {
	if it.BatchID == 0 || !it.Status.Terminal() || w.opt.OnBatchDone == nil {
		return
	}
	b, err := w.st.OutboxBatch(it.BatchID)
	if err != nil {
		w.log.Error("outbox: batch of a finished item", "item", it.ID, "err", err)
		return
	}
	if b.Counts.Pending+b.Counts.Sending == 0 {
		w.opt.OnBatchDone(ctx, b)
	}
}

// failed decides what a failed send means: a permanent refusal (a
// SendError not Temporary, or a bot.Error such as an unserved platform)
// fails the item, anything else is retried with backoff (or after the
// platform's Retry-After) until MaxAttempts.
func (w *Worker) failed(ctx context.Context, it store.OutboxItem, k string, err error) {
	reason := reasonOf(err)
	se, isSend := bot.AsSendError(err)
	_, isApp := bot.AsError(err)
	switch {
	case isSend && !se.Temporary || !isSend && isApp:
		w.fail(ctx, it, reason)
	case it.Attempts >= w.opt.MaxAttempts:
		w.fail(ctx, it, fmt.Sprintf("gave up after %d attempts: %s", it.Attempts, reason))
	case isSend && se.RetryAfter > 0:
		// A rate-limit refusal: nothing was posted. The platform asked
		// everyone to wait, so the whole platform pauses.
		w.mu.Lock()
		w.lim.pause(it.Platform, time.Now().Add(se.RetryAfter))
		w.mu.Unlock()
		w.retry(ctx, it, k, se.RetryAfter, reason, false)
	default:
		// A timeout or a server error may have posted the message.
		w.retry(ctx, it, k, w.backoff(it.Attempts), reason, true)
	}
}

// retry puts the item back for a later attempt and holds its conversation
// until then, so the messages after it stay in order.
func (w *Worker) retry(ctx context.Context, it store.OutboxItem, k string, delay time.Duration, reason string, maybeDelivered bool) {
	next := w.now().Add(delay)
	later, err := w.st.MarkRetry(it.ID, reason, next, maybeDelivered)
	if err != nil {
		w.log.Error("outbox: record retry", "item", it.ID, "err", err)
		return
	}
	if later.Status == store.OutboxCancelled {
		w.finished(ctx, later) // its batch was cancelled meanwhile
		return
	}
	w.log.Warn("outbox: will retry", "item", it.ID, "platform", it.Platform, "attempts", it.Attempts, "in", delay, "reason", reason)
	if delay > 0 {
		w.mu.Lock()
		w.retryHold[k] = next
		w.mu.Unlock()
	}
}

// fail gives up on the item.
func (w *Worker) fail(ctx context.Context, it store.OutboxItem, reason string) {
	failed, err := w.st.MarkFailed(it.ID, reason)
	if err != nil {
		w.log.Error("outbox: record failure", "item", it.ID, "err", err)
		return
	}
	w.log.Warn("outbox: delivery failed", "item", it.ID, "platform", it.Platform, "attempts", it.Attempts, "reason", reason)
	w.finished(ctx, failed)
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
// where the platform can tell.
func (w *Worker) recoverInDoubt() {
	items, err := w.st.InDoubt()
	if err != nil {
		w.log.Error("outbox: items in doubt", "err", err)
		return
	}
	for _, it := range items {
		if _, err := w.st.MarkRetry(it.ID, "in flight when the bot stopped", w.now(), true); err != nil {
			w.log.Error("outbox: requeue item in doubt", "item", it.ID, "err", err)
		}
	}
	if len(items) > 0 {
		w.log.Info("outbox: items in flight at the last stop requeued", "count", len(items))
	}
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
