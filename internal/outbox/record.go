package outbox

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/soudan/soudan/store"
)

// recordGroups records the outcomes of Run's sends as they arrive on in,
// several in one transaction (group commit): after the first of a group
// arrives it waits up to GroupWait for more, and stops early once
// Concurrency outcomes are waiting or no other send is under way. While a
// group is being committed the next one gathers, so a slow disk makes
// bigger groups. running counts the sends whose outcome has not been
// taken from in yet. It returns when in is closed and drained.
func (w *Worker) recordGroups(ctx context.Context, in <-chan outcome, running *atomic.Int64) {
	for first := range in {
		running.Add(-1)
		group := []outcome{first}
		t := time.NewTimer(w.opt.GroupWait)
	gather:
		for len(group) < w.opt.Concurrency && running.Load() > 0 {
			select {
			case o, ok := <-in:
				if !ok {
					break gather
				}
				running.Add(-1)
				group = append(group, o)
			case <-t.C:
				break gather
			}
		}
		t.Stop()
		// Take what is waiting already, without waiting for more.
	drain:
		for len(group) < w.opt.Concurrency {
			select {
			case o, ok := <-in:
				if !ok {
					break drain
				}
				running.Add(-1)
				group = append(group, o)
			default:
				break drain
			}
		}
		w.record(ctx, group, true)
	}
}

// record records outs in one transaction, then frees their conversations
// (holding back those of delayed retries until their next attempt) and
// calls OnBatchDone for the batches they finished. When the group cannot
// be recorded (one of its results is refused, or the disk fails), each is
// recorded alone, so one bad result keeps no other in doubt. A result
// that cannot be recorded at all leaves its item "sending": the next start
// checks it. verbose logs each retry and failure.
func (w *Worker) record(ctx context.Context, outs []outcome, verbose bool) {
	results := make([]store.OutboxResult, len(outs))
	for i, o := range outs {
		results[i] = o.res
		// Each result answers one claim: a replica that took the item
		// over since (its lease lapsed) is not undone (store.OutboxResult).
		results[i].Attempt = o.item.Attempts
	}
	items, done, err := w.st.RecordResults(results, func(tx *store.Tx) error { return w.onSent(ctx, tx, outs) })
	if err != nil && len(outs) > 1 {
		w.log.Warn("outbox: record results together; recording them one by one", "count", len(outs), "err", err)
		for _, o := range outs {
			w.record(ctx, []outcome{o}, verbose)
		}
		return
	}
	if err != nil {
		w.log.Error("outbox: record result", "item", outs[0].item.ID, "status", outs[0].res.Status, "err", err)
		items = nil
	}
	w.settle(outs, items)
	if verbose {
		for i, it := range items {
			w.logOutcome(outs[i], it)
			w.report(outs[i], it)
		}
	}
	if w.opt.OnBatchDone != nil {
		for _, b := range done {
			w.opt.OnBatchDone(ctx, b)
		}
	}
	w.signalDone()
}

// settle frees the conversations of outs, whose items were recorded as
// items (nil when they could not be), holding back a conversation whose
// item is pending a delayed retry until that retry.
func (w *Worker) settle(outs []outcome, items []store.OutboxItem) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, o := range outs {
		if items != nil && items[i].Status == store.OutboxPending && o.hold > 0 {
			w.retryHold[o.conv] = o.res.Next
		}
		delete(w.busy, o.conv)
	}
}

// report tells Options.OnResult what an attempt came to, as recorded.
func (w *Worker) report(o outcome, it store.OutboxItem) {
	if w.opt.OnResult == nil {
		return
	}
	result := ResultRetry
	switch it.Status {
	case store.OutboxSent:
		result = ResultSent
	case store.OutboxFailed:
		result = ResultFailed
	case store.OutboxPending:
	default:
		return // cancelled meanwhile
	}
	w.opt.OnResult(it.Platform, result, o.rateLimited)
}

// logOutcome logs a retry or a failure as recorded.
func (w *Worker) logOutcome(o outcome, it store.OutboxItem) {
	switch {
	case o.res.Status == store.OutboxPending && it.Status == store.OutboxPending:
		w.log.Warn("outbox: will retry", "item", it.ID, "platform", it.Platform, "attempts", it.Attempts, "in", o.hold, "reason", o.res.Reason)
	case o.res.Status == store.OutboxFailed:
		w.log.Warn("outbox: delivery failed", "item", it.ID, "platform", it.Platform, "attempts", it.Attempts, "reason", o.res.Reason)
	}
}

// onSent runs, in tx, the OnSent callbacks of the delivered items among
// outs: what a delivery makes true commits with its sent mark, or neither
// does.
func (w *Worker) onSent(ctx context.Context, tx *store.Tx, outs []outcome) error {
	if w.opt.OnSent == nil {
		return nil
	}
	for _, o := range outs {
		if o.item.OnSent == "" || o.res.Status != store.OutboxSent {
			continue
		}
		if err := w.opt.OnSent(ctx, tx, o.item, o.at); err != nil {
			return fmt.Errorf("after delivering item %d (%s): %w", o.item.ID, o.item.OnSent, err)
		}
	}
	return nil
}
