package store

import (
	"bytes"
	"fmt"
	"time"
)

// Bounds of one ClaimDue, so a backlog the caller keeps refusing costs
// little: it decodes and offers at most maxClaimOffers items, and walks at
// most maxClaimScan due entries in all. Most of those are the items of
// held-back conversations, passed over by their index entry alone, so a
// backlog of up to maxClaimScan items in busy conversations does not hide
// the other conversations' items behind it.
const (
	maxClaimOffers = 2048
	maxClaimScan   = 1 << 16
)

// ClaimDue marks up to n pending items whose next attempt is at or before
// now as sending, counting the attempt, and returns them: the intent to
// send is on disk before the caller sends. It offers the due items to
// accept in order of next attempt, then id, and claims only those it
// accepts; accept runs inside the write transaction and must not call the
// Store. A nil accept takes every due item.
//
// A refusal holds back the item's stream (OutboxItem.Stream: its thread,
// or its conversation's top level) for the rest of the call: its later
// items are neither offered nor claimed, so a stream's messages are
// claimed in order, and a backlog in one busy stream is passed over
// without decoding it to reach the items of other streams due after it.
//
// A stream with an item sending when the call starts (claimed by any
// replica sharing the database and not settled yet) is held back the same
// way, without offering its items: its next message waits for the one in
// flight, so a stream's order holds across replicas, not only within the
// worker that claimed first. The claim's serializable transaction makes
// that check and the claim one step: two replicas never both see a stream
// idle and claim two of its items.
func (ob Outbox) ClaimDue(now time.Time, n int, accept func(OutboxItem) bool) ([]OutboxItem, error) {
	return ob.ClaimDueSkipping(now, n, nil, accept)
}

// ClaimDueSkipping is ClaimDue that first passes over the items of every
// stream skip names (a stream with a send in flight) by their index entry
// alone, without reading them: under a backlog the worker claims often,
// and most streams are busy.
func (ob Outbox) ClaimDueSkipping(now time.Time, n int, skip func(stream string) bool, accept func(OutboxItem) bool) ([]OutboxItem, error) {
	if n <= 0 {
		return nil, nil
	}
	out, err := ob.claimDue(now, n, skip, accept)
	if err != nil {
		return nil, fmt.Errorf("claim due outbox items: %w", err)
	}
	return out, nil
}

// claimDue is ClaimDue without its checks and error wrapping.
func (ob Outbox) claimDue(now time.Time, n int, skip func(string) bool, accept func(OutboxItem) bool) ([]OutboxItem, error) {
	if err := ob.tx.writable(); err != nil {
		return nil, err
	}
	ids, err := ob.acceptDue(now, n, skip, accept)
	if err != nil {
		return nil, err
	}
	var out []OutboxItem
	// The walk is over: changing the index no longer disturbs its cursor.
	for _, id := range ids {
		it, err := ob.transition(id, func(it *OutboxItem) error {
			it.Status = OutboxSending
			it.Attempts++
			ob.applyLease(it)
			return nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// acceptDue walks the pending items due by now (any time when now is zero)
// in order of next attempt, then id, and returns the ids of up to n of
// them that accept takes, holding back the conversation of each item it
// refuses. It reads tx only.
func (ob Outbox) acceptDue(now time.Time, n int, skip func(string) bool, accept func(OutboxItem) bool) ([]uint64, error) {
	prefix := []byte(string(OutboxPending) + sep)
	until := uint64(max(now.UnixNano(), 0))
	held := map[string]bool{}
	var ids []uint64
	offered, scanned := 0, 0
	c := ob.tx.bucket(bktOutboxByDue).Cursor()
	for k, conv := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, conv = c.Next() {
		if scanned++; scanned > maxClaimScan {
			break
		}
		rest := k[len(prefix):]
		if len(rest) != 8+len(sep)+8 {
			continue
		}
		if !now.IsZero() && btoi(rest[:8]) > until {
			break
		}
		if len(conv) > 0 && held[string(conv)] {
			continue
		}
		if len(conv) > 0 && skip != nil && skip(string(conv)) {
			continue // skip answers the same for the stream's later entries
		}
		if len(conv) > 0 && ob.inFlight(string(conv)) {
			held[string(conv)] = true
			continue
		}
		id := btoi(rest[8+len(sep):])
		it, err := getByID[OutboxItem](ob.tx, bktOutboxItems, id)
		if err != nil {
			return nil, fmt.Errorf("item %d: %w", id, err)
		}
		key := it.Stream()
		if held[key] {
			continue // an entry written before entries named their conversation
		}
		if len(conv) == 0 && ob.inFlight(key) {
			held[key] = true
			continue
		}
		offered++
		if accept == nil || accept(it) {
			if ids = append(ids, id); len(ids) == n {
				break
			}
		} else {
			held[key] = true
		}
		if offered >= maxClaimOffers {
			break
		}
	}
	return ids, nil
}
