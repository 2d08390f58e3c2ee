package store

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// bktInbox holds the incoming events recorded before their platform was
// acknowledged and not yet handled, under their event key.
const bktInbox = "inbox"

// createInboxBucket creates the inbox (schema version 5).
func createInboxBucket(tx kv.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bktInbox); err != nil {
		return fmt.Errorf("create bucket %s: %w", bktInbox, err)
	}
	return nil
}

// InboxEntry is one recorded incoming event. The store keeps its bytes;
// the adapter and the inbox own their format.
type InboxEntry struct {
	// Key identifies the event: "platform:event id". A platform's retry of
	// the event has the same key.
	Key      string    `json:"key"`
	Platform string    `json:"platform"`
	Message  []byte    `json:"message"`          // the neutral message, encoded
	Origin   []byte    `json:"origin,omitempty"` // the adapter's data to answer it after a restart
	At       time.Time `json:"at"`               // when it was recorded
	Seq      uint64    `json:"seq"`              // arrival order
}

// Record stores e unless an entry with its key is there already, and
// reports whether it stored it. It fills Seq and At.
func (in Inbox) Record(e InboxEntry) (InboxEntry, bool, error) {
	if err := in.tx.writable(); err != nil {
		return InboxEntry{}, false, fmt.Errorf("record inbox entry: %w", err)
	}
	if e.Key == "" {
		return InboxEntry{}, false, errors.New("record inbox entry: no key")
	}
	b := in.tx.bucket(bktInbox)
	if old := b.Get([]byte(e.Key)); old != nil {
		var prev InboxEntry
		if err := json.Unmarshal(old, &prev); err != nil {
			return InboxEntry{}, false, fmt.Errorf("record inbox entry %s: %w", e.Key, err)
		}
		return prev, false, nil
	}
	seq, err := b.NextSequence()
	if err != nil {
		return InboxEntry{}, false, fmt.Errorf("record inbox entry %s: %w", e.Key, err)
	}
	e.Seq, e.At = seq, in.tx.Now()
	if err := putJSON(b, []byte(e.Key), e); err != nil {
		return InboxEntry{}, false, fmt.Errorf("record inbox entry %s: %w", e.Key, err)
	}
	return e, true, nil
}

// Done forgets the entries with the keys: their events were handled.
// A key with no entry is ignored.
func (in Inbox) Done(keys ...string) error {
	if err := in.tx.writable(); err != nil {
		return fmt.Errorf("inbox done: %w", err)
	}
	b := in.tx.bucket(bktInbox)
	for _, k := range keys {
		if err := b.Delete([]byte(k)); err != nil {
			return fmt.Errorf("inbox done %s: %w", k, err)
		}
	}
	return nil
}

// Entries returns every unfinished entry, in arrival order.
func (in Inbox) Entries() ([]InboxEntry, error) {
	out, err := getAll[InboxEntry](in.tx, bktInbox)
	if err != nil {
		return nil, fmt.Errorf("inbox entries: %w", err)
	}
	slices.SortFunc(out, func(a, b InboxEntry) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}

// Len counts the unfinished entries.
func (in Inbox) Len() int { return in.tx.bucket(bktInbox).KeyN() }

// Batch is Update in a transaction bbolt may share with concurrent calls,
// so that many small writes finishing at once cost one disk sync: for the
// inbox's records and the marks of handled events. fn may run more than
// once (when another function of the batch fails) and must do the same
// each time.
func (s *Store) Batch(fn func(*Tx) error) error { return s.batch(fn) }
