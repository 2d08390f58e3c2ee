package store

import (
	"fmt"
	"time"
)

// outboxLease is who claims, and for how long: see Outbox.Leased.
type outboxLease struct {
	owner string
	d     time.Duration
}

// Leased returns the outbox verbs of ob whose claims (ClaimDue) lease
// the items they make sending to owner, a replica's name, for d from the
// transaction's Now. Several replicas on one database each claim through
// their own lease: an item stays with the replica that claimed it until
// its result is recorded or its lease lapses, and only then may another
// replica take it over (Lapsed). The claim itself commits in a
// serializable transaction, so two replicas never both claim one pending
// item; the lease settles what a replica that stopped mid-send left.
//
// Without Leased (a single process, which holds the bbolt file alone),
// claims carry no lease and every sending item at a start was left by a
// crash (InDoubt).
func (ob Outbox) Leased(owner string, d time.Duration) Outbox {
	ob.lease = outboxLease{owner: owner, d: d}
	return ob
}

// applyLease stamps a claim's lease on it.
func (ob Outbox) applyLease(it *OutboxItem) {
	if ob.lease.owner == "" || ob.lease.d <= 0 {
		it.Lease, it.LeaseUntil = "", time.Time{}
		return
	}
	it.Lease, it.LeaseUntil = ob.lease.owner, ob.tx.Now().Add(ob.lease.d).Round(0)
}

// Lapsed returns the sending items that this replica (the owner given to
// Leased) may settle: those whose lease lapsed by the transaction's Now
// and those claimed without a lease (by a single process, or before
// leases), plus, when own is true, those leased to this replica's own
// name, which an earlier run of it left when it stopped (a replica asks
// for its own at its start only: later, they are its sends in flight).
// At most most items (0: no limit), lapsed first.
//
// Settling them is recording a retry that names the claim it answers
// (OutboxResult.Attempt), so that two replicas settling one item, or the
// owner's late result after a take-over, change it once.
func (ob Outbox) Lapsed(most int, own bool) ([]OutboxItem, error) {
	now := ob.tx.Now()
	ids := ob.dueIDs(OutboxSending, now, 0)
	if own {
		// This replica's own may be anywhere among the entries, filed at
		// their lease's end: all are read. They are few (each replica has
		// at most its concurrency in flight).
		ids = ob.dueIDs(OutboxSending, time.Time{}, 0)
	}
	items, err := getIDs[OutboxItem](ob.tx, bktOutboxItems, ids)
	if err != nil {
		return nil, fmt.Errorf("lapsed outbox items: %w", err)
	}
	var out []OutboxItem
	for _, it := range items {
		mine := own && ob.lease.owner != "" && it.Lease == ob.lease.owner
		if it.Lease == "" || !it.LeaseUntil.After(now) || mine {
			out = append(out, it)
			if most > 0 && len(out) == most {
				break
			}
		}
	}
	return out, nil
}

// staleResult reports whether r answers an earlier claim of it than its
// current one: the item was settled or claimed again by another replica
// since (its lease lapsed), so the result must not undo that. A result
// that names no claim (Attempt 0) is never stale.
func staleResult(r OutboxResult, it OutboxItem) bool {
	return r.Attempt != 0 && (it.Status != OutboxSending || it.Attempts != r.Attempt)
}
