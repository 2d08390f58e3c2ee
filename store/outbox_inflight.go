package store

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/soudan/soudan/store/kv"
)

// bktOutboxSending files every sending item under its stream
// (OutboxItem.Stream): "stream 0x00 id" (schema version 22). A claim asks
// it whether a stream has a send in flight on any replica, so that the
// stream's next item waits for it: on several replicas, the worker's own
// list of its sends in flight does not know the others', and a stream
// whose first item one replica is sending must not see its second sent by
// another first. It holds the items in flight and those a stopped replica
// left until they are settled, never history, so the question costs one
// short range read whatever the outbox holds.
const bktOutboxSending = "outbox.items.sending"

// createOutboxSendingIndex creates outbox.items.sending and files the
// items sending at the upgrade (schema version 22).
func createOutboxSendingIndex(btx kv.Tx) error {
	if _, err := btx.CreateBucketIfNotExists(bktOutboxSending); err != nil {
		return fmt.Errorf("create bucket %s: %w", bktOutboxSending, err)
	}
	tx := &Tx{tx: btx}
	prefix := []byte(string(OutboxSending) + sep)
	var ids []uint64
	c := tx.bucket(bktOutboxByDue).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if rest := k[len(prefix):]; len(rest) == 8+len(sep)+8 {
			ids = append(ids, btoi(rest[8+len(sep):]))
		}
	}
	for _, id := range ids {
		data := tx.bucket(bktOutboxItems).Get(itob(id))
		if data == nil {
			continue // an index entry without its item: nothing to hold
		}
		var it OutboxItem
		if err := json.Unmarshal(data, &it); err != nil {
			return fmt.Errorf("file sending outbox item %d: %w", id, err)
		}
		if err := tx.bucket(bktOutboxSending).Put(indexKey(it.Stream(), id), []byte{}); err != nil {
			return fmt.Errorf("file sending outbox item %d: %w", id, err)
		}
	}
	return nil
}

// inFlight reports whether stream has an item sending: claimed by this or
// another replica and not settled yet, whether its lease is live or lapsed
// (a lapsed one goes back to pending, ahead of the stream's later items,
// once a replica takes it over). It reads the stream's entries only; a
// conversation's top level shares its prefix with its threads, whose
// entries are passed over by their length.
func (ob Outbox) inFlight(stream string) bool {
	return len(lookup(ob.tx, bktOutboxSending, stream)) > 0
}
