package store

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// bktInbox holds the incoming events recorded before their platform was
// acknowledged and not yet handled, under their event key. It lives in
// the inbox's own database (InboxPath's file on bbolt, the inbox's own
// connection pool on PostgreSQL); the data file keeps an empty bucket of
// the name, where a backup carries the entries pending when it was taken
// and an older soudan left its own, both moved into the inbox at Open.
const bktInbox = "inbox"

// inboxSuffix names the inbox's file beside a bbolt data file.
const inboxSuffix = ".inbox"

// InboxPath is the file that holds the inbox of the bbolt data file at
// path: it goes wherever the data file goes (backups carry its entries
// inside the backup file; restore and compact handle it with the data
// file).
func InboxPath(path string) string { return path + inboxSuffix }

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
	// Owner names the replica that handles it (Inbox.Owned): the one that
	// recorded it, or the one that took it over when that one's heartbeat
	// lapsed. Empty for a single process, which owns every entry.
	Owner string `json:"owner,omitempty"`
}

// Inbox is the durable intake's own path to disk, apart from the data
// store's transactions so that recording an event (what its platform's
// acknowledgement waits for) never queues behind the handlers' and the
// outbox's commits. Records of concurrent events share one commit (the
// engine's Batch). The data store's transaction that handles an event
// marks it done (Events().Finish); the inbox entry is dropped afterwards
// (Done), so a crash between the two leaves an entry whose event is done:
// handled again, it changes nothing.
type Inbox struct {
	s *Store
	// owner is the replica whose entries Record makes and Take hands out
	// (Owned); empty for a single process.
	owner string
}

// Inbox returns the store's inbox. It is the one door to the store that
// is not a transaction of the data store: what the platform's
// acknowledgement waits for must not wait for them.
func (s *Store) Inbox() Inbox { return Inbox{s: s} }

// inboxTrim holds the keys of handled entries not yet deleted from the
// inbox's database. Their deletion need not be durable (an entry whose
// event is done is dropped at the next start), so it costs no commit of
// its own under load: the next Record's commit carries it, and a timer
// flushes what is left when no record comes.
type inboxTrim struct {
	mu     sync.Mutex
	keys   []string
	timer  *time.Timer // armed while keys wait
	closed bool
	// gone counts, by key, the handled entries waiting for deletion or
	// whose deletion is under way: Entries and Take pass over them, so
	// that a look racing a deletion's commit does not hand out an entry
	// handled already.
	gone map[string]int
}

// hidden reports whether key's entry was handled and is being deleted.
func (in Inbox) hidden(key string) bool {
	t := &in.s.inboxTrim
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.gone[key] > 0
}

// deleted notes that the deletion of keys committed.
func (in Inbox) deleted(keys []string) {
	if len(keys) == 0 {
		return
	}
	t := &in.s.inboxTrim
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		if t.gone[k]--; t.gone[k] <= 0 {
			delete(t.gone, k)
		}
	}
}

// trimDelay is how long handled keys wait for a record's commit before
// they are deleted in one of their own.
const trimDelay = 200 * time.Millisecond

// nextSeq returns an arrival number above every one this process gave and
// at or above the clock in nanoseconds, so that the order holds across
// restarts and replicas without a shared counter: a sequence row every
// record updates would make concurrent records on PostgreSQL conflict.
// Entries an older soudan numbered 1, 2, ... sort before.
func (in Inbox) nextSeq() uint64 {
	for {
		last := in.s.inboxSeq.Load()
		n := max(last+1, uint64(in.s.now().UnixNano()))
		if in.s.inboxSeq.CompareAndSwap(last, n) {
			return n
		}
	}
}

// Record stores e unless an entry with its key is there already, and
// reports whether it stored it. It fills Seq and At. Concurrent calls
// share a commit; when Record returns, e is on disk.
func (in Inbox) Record(e InboxEntry) (InboxEntry, bool, error) {
	if e.Key == "" {
		return InboxEntry{}, false, errors.New("record inbox entry: no key")
	}
	e.Seq, e.At, e.Owner = in.nextSeq(), in.s.now(), in.owner
	val, err := json.Marshal(e)
	if err != nil {
		return InboxEntry{}, false, fmt.Errorf("record inbox entry %s: %w", e.Key, err)
	}
	var (
		prev  InboxEntry
		first bool
	)
	trim := in.takeTrim()
	err = in.s.inbox.Batch(func(tx kv.Tx) error {
		b, err := inboxBucket(tx)
		if err != nil {
			return err
		}
		for _, k := range trim {
			if err := b.Delete([]byte(k)); err != nil {
				return err
			}
		}
		if old := b.Get([]byte(e.Key)); old != nil {
			first = false
			return json.Unmarshal(old, &prev)
		}
		first = true
		return b.Put([]byte(e.Key), val)
	})
	if err != nil {
		in.giveBackTrim(trim)
		return InboxEntry{}, false, fmt.Errorf("record inbox entry %s: %w", e.Key, err)
	}
	in.deleted(trim)
	if !first {
		return prev, false, nil
	}
	return e, true, nil
}

// Done forgets the entries with the keys: their events were handled (and
// marked done in the data store). A key with no entry is ignored. The
// deletion rides on the next record's commit, or one of its own within
// trimDelay: losing it to a crash only means the entry is looked at again
// (and dropped) at the next start. Entries and Len never show them.
func (in Inbox) Done(keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	t := &in.s.inboxTrim
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return errors.New("inbox done: the store is closed")
	}
	t.keys = append(t.keys, keys...)
	if t.gone == nil {
		t.gone = map[string]int{}
	}
	for _, k := range keys {
		t.gone[k]++
	}
	if t.timer == nil {
		t.timer = time.AfterFunc(trimDelay, func() { _ = in.flush() })
	}
	return nil
}

// takeTrim takes the keys waiting for deletion.
func (in Inbox) takeTrim() []string {
	t := &in.s.inboxTrim
	t.mu.Lock()
	defer t.mu.Unlock()
	keys := t.keys
	t.keys = nil
	return keys
}

// giveBackTrim puts back keys whose deletion did not commit.
func (in Inbox) giveBackTrim(keys []string) {
	if len(keys) == 0 {
		return
	}
	t := &in.s.inboxTrim
	t.mu.Lock()
	defer t.mu.Unlock()
	t.keys = append(t.keys, keys...)
}

// flush deletes the keys waiting for deletion in a commit of their own.
func (in Inbox) flush() error {
	t := &in.s.inboxTrim
	t.mu.Lock()
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
	keys := t.keys
	t.keys = nil
	t.mu.Unlock()
	if len(keys) == 0 {
		return nil
	}
	err := in.s.inbox.Batch(func(tx kv.Tx) error {
		b, err := inboxBucket(tx)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := b.Delete([]byte(k)); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
		return nil
	})
	if err != nil {
		in.giveBackTrim(keys)
		return fmt.Errorf("inbox done: %w", err)
	}
	in.deleted(keys)
	return nil
}

// closeTrim deletes what waits for deletion and stops the timer, before
// the inbox's database closes.
func (in Inbox) closeTrim() {
	_ = in.flush() // best effort: what stays is dropped at the next start
	t := &in.s.inboxTrim
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
}

// Entries returns every unfinished entry, in arrival order.
func (in Inbox) Entries() ([]InboxEntry, error) {
	if err := in.flush(); err != nil {
		return nil, fmt.Errorf("inbox entries: %w", err)
	}
	var all []InboxEntry
	err := in.s.inbox.View(func(tx kv.Tx) (err error) { all, err = inboxEntries(tx); return err })
	if err != nil {
		return nil, fmt.Errorf("inbox entries: %w", err)
	}
	out := all[:0]
	for _, e := range all {
		if !in.hidden(e.Key) {
			out = append(out, e)
		}
	}
	return out, nil
}

// Len counts the unfinished entries.
func (in Inbox) Len() (int, error) {
	if err := in.flush(); err != nil {
		return 0, fmt.Errorf("inbox length: %w", err)
	}
	n := 0
	err := in.s.inbox.View(func(tx kv.Tx) error {
		if b := tx.Bucket(bktInbox); b != nil {
			n = b.KeyN()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("inbox length: %w", err)
	}
	return n, nil
}

// inboxBucket is the inbox's bucket in a write transaction of its
// database.
func inboxBucket(tx kv.Tx) (kv.Bucket, error) {
	return tx.CreateBucketIfNotExists(bktInbox)
}

// inboxEntries reads the entries of the inbox bucket in tx (of either
// database), in arrival order.
func inboxEntries(tx kv.Tx) ([]InboxEntry, error) {
	b := tx.Bucket(bktInbox)
	if b == nil {
		return nil, nil
	}
	var out []InboxEntry
	err := b.ForEach(func(k, v []byte) error {
		var e InboxEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		out = append(out, e)
		return nil
	})
	slices.SortFunc(out, func(a, b InboxEntry) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, err
}

// putInboxEntries adds es to the inbox bucket in tx, keeping an entry
// already there under the same key.
func putInboxEntries(tx kv.Tx, es []InboxEntry) error {
	b, err := inboxBucket(tx)
	if err != nil {
		return err
	}
	for _, e := range es {
		if b.Get([]byte(e.Key)) != nil {
			continue
		}
		if err := putJSON(b, []byte(e.Key), e); err != nil {
			return fmt.Errorf("%s: %w", e.Key, err)
		}
	}
	return nil
}

// moveInbox moves the entries the data database's inbox bucket holds
// (left by an older soudan, which kept its inbox in the data file, or
// carried by a backup) into the inbox's own database: first written
// there, then deleted here, so a crash in between leaves them in both and
// the next Open moves them again, changing nothing. It runs at every Open
// and costs one read when there is nothing to move.
func moveInbox(s *Store) error {
	if s.inboxFile == nil {
		return nil // one database holds both (PostgreSQL): nothing to move
	}
	var es []InboxEntry
	if err := s.kv.View(func(tx kv.Tx) (err error) { es, err = inboxEntries(tx); return err }); err != nil {
		return fmt.Errorf("move inbox: %w", err)
	}
	if len(es) == 0 {
		return nil
	}
	if err := s.inbox.Update(func(tx kv.Tx) error { return putInboxEntries(tx, es) }); err != nil {
		return fmt.Errorf("move inbox: %w", err)
	}
	err := s.kv.Update(func(tx kv.Tx) error {
		b := tx.Bucket(bktInbox)
		for _, e := range es {
			if err := b.Delete([]byte(e.Key)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("move inbox: %w", err)
	}
	return nil
}

// Batch is Update in a transaction the engine may share with concurrent
// calls, so that many small writes finishing at once cost one disk sync:
// for the commits of handled events. fn may run more than once (when
// another function of the batch fails) and must do the same each time.
func (s *Store) Batch(fn func(*Tx) error) error { return s.batch(fn) }
