package store

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// bktInboxReplicas holds one heartbeat per replica sharing the inbox (on
// PostgreSQL): its name, and until when it counts as alive (schema
// version 23). A replica renews its own (Inbox.Beat) well within that;
// one that stopped, crashed or lost the database lets it lapse, and then
// the entries it recorded and did not handle go to whichever replica
// takes them (Inbox.Take).
const bktInboxReplicas = "inbox.replicas"

// createInboxReplicasBucket creates the replicas' heartbeats (schema
// version 23). On PostgreSQL the inbox's database is the data database,
// so this is the bucket Beat writes; on bbolt, where one process owns
// the inbox, it stays empty.
func createInboxReplicasBucket(tx kv.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bktInboxReplicas); err != nil {
		return fmt.Errorf("create bucket %s: %w", bktInboxReplicas, err)
	}
	return nil
}

// inboxHeartbeat is a replica's row in bktInboxReplicas.
type inboxHeartbeat struct {
	Until time.Time `json:"until"`
}

// Owned returns the inbox as the replica called owner sees it: the
// entries it records are its own, and Take hands it its own leftovers and
// those of replicas whose heartbeat lapsed, never a live replica's. On a
// database shared by replicas each one must own its entries, or a
// replica's start would take the entries another live replica is
// handling. An empty owner is a single process, owning every entry.
func (in Inbox) Owned(owner string) Inbox {
	in.owner = owner
	return in
}

// Owner is the replica the inbox belongs to (Owned), empty for a single
// process.
func (in Inbox) Owner() string { return in.owner }

// Beat renews the replica's heartbeat: it counts as alive until ttl from
// now. Renew it well within ttl (a third of it, say): a replica whose
// heartbeat lapses has its entries taken over. Beat without an owner does
// nothing.
func (in Inbox) Beat(ttl time.Duration) error {
	if in.owner == "" {
		return nil
	}
	hb, err := json.Marshal(inboxHeartbeat{Until: in.s.now().Add(ttl).Round(0)})
	if err != nil {
		return fmt.Errorf("inbox heartbeat: %w", err)
	}
	err = in.s.inbox.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bktInboxReplicas)
		if err != nil {
			return err
		}
		return b.Put([]byte(in.owner), hb)
	})
	if err != nil {
		return fmt.Errorf("inbox heartbeat of %s: %w", in.owner, err)
	}
	return nil
}

// Take returns the entries this replica is to handle, in arrival order:
// its own (those an earlier run of it left, when it starts; those its run
// holds, later), those of no owner (recorded by a single process or an
// older soudan), and those of replicas whose heartbeat lapsed or that
// have none, which become its own in the same transaction, so that
// replicas taking over one lapsed replica at once take each entry once.
// A live replica's entries are left to it. Without an owner, Take is
// Entries.
//
// The heartbeats of the lapsed replicas whose entries it took are
// deleted: a name that never comes back (hostname-pid) leaves no row.
func (in Inbox) Take() ([]InboxEntry, error) {
	if in.owner == "" {
		return in.Entries()
	}
	if err := in.flush(); err != nil {
		return nil, fmt.Errorf("take inbox entries: %w", err)
	}
	// What to take is decided on a snapshot first, so that a replica
	// looking while every other replica is alive writes nothing and its
	// read conflicts with no one's record; its own entries are its own
	// already. The write transaction then reads again, by key, only the
	// entries it takes from another owner.
	var mine, cands []InboxEntry
	err := in.s.inbox.View(func(tx kv.Tx) error {
		es, err := inboxEntries(tx)
		if err != nil {
			return err
		}
		live := heartbeats(tx, in.s.now())
		for _, e := range es {
			switch {
			case in.hidden(e.Key):
				// Handled here; its deletion is on its way.
			case e.Owner == in.owner:
				mine = append(mine, e)
			case in.takes(e, live):
				cands = append(cands, e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("take inbox entries: %w", err)
	}
	if len(cands) == 0 {
		return mine, nil
	}
	var out []InboxEntry
	err = in.s.inbox.Update(func(tx kv.Tx) error {
		out = append(out[:0], mine...)
		live := heartbeats(tx, in.s.now())
		b, err := inboxBucket(tx)
		if err != nil {
			return err
		}
		lapsed := map[string]bool{}
		for _, c := range cands {
			raw := b.Get([]byte(c.Key))
			if raw == nil {
				continue // handled meanwhile
			}
			var e InboxEntry
			if err := json.Unmarshal(raw, &e); err != nil {
				return fmt.Errorf("%s: %w", c.Key, err)
			}
			if !in.takes(e, live) {
				continue // its owner came back, or another replica took it
			}
			if e.Owner != in.owner {
				if e.Owner != "" {
					lapsed[e.Owner] = true
				}
				e.Owner = in.owner
				if err := putJSON(b, []byte(e.Key), e); err != nil {
					return fmt.Errorf("%s: %w", e.Key, err)
				}
			}
			out = append(out, e)
		}
		if hb := tx.Bucket(bktInboxReplicas); hb != nil {
			for name := range lapsed {
				if err := hb.Delete([]byte(name)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("take inbox entries: %w", err)
	}
	slices.SortFunc(out, func(a, b InboxEntry) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}

// takes reports whether this replica takes e, given the replicas alive
// now.
func (in Inbox) takes(e InboxEntry, live map[string]bool) bool {
	return e.Owner == in.owner || e.Owner == "" || !live[e.Owner]
}

// heartbeats returns the replicas whose heartbeat is live at now.
func heartbeats(tx kv.Tx, now time.Time) map[string]bool {
	live := map[string]bool{}
	b := tx.Bucket(bktInboxReplicas)
	if b == nil {
		return live
	}
	_ = b.ForEach(func(k, v []byte) error {
		var hb inboxHeartbeat
		if json.Unmarshal(v, &hb) == nil && hb.Until.After(now) {
			live[string(k)] = true
		}
		return nil
	})
	return live
}
