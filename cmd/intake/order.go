package main

import (
	"fmt"
	"time"

	"github.com/soudan/soudan/store"
)

// itemOrder is an outbox item's place in its stream: the outbox sends a
// stream's items one at a time, in order of enqueueing (its transaction's
// time, then its id).
type itemOrder struct {
	created time.Time
	id      uint64
}

func (a itemOrder) before(b itemOrder) bool {
	if !a.created.Equal(b.created) {
		return a.created.Before(b.created)
	}
	return a.id < b.id
}

// readOutboxOrder reads, from the store after the bots stopped, the order
// of the outbox items the posts carry the delivery keys of.
func readOutboxOrder(db string, posts []post) (map[string]itemOrder, error) {
	st, err := openAfter(db)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	out := map[string]itemOrder{}
	err = st.View(func(tx *store.Tx) error {
		for _, p := range posts {
			if _, seen := out[p.Key]; p.Key == "" || seen {
				continue
			}
			it, err := tx.Outbox().ItemByKey(p.Key)
			if err != nil {
				continue // a key the outbox does not hold (purged, or not its own)
			}
			out[p.Key] = itemOrder{created: it.CreatedAt, id: it.ID}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the outbox's order: %w", err)
	}
	return out, nil
}

// outOfOrder counts the posts that reached the platform after a post of
// a later item of their stream (the same channel and thread, in the
// order the platform answered, which is its ts order), and names the
// first few.
func outOfOrder(posts []post, order map[string]itemOrder, n int) (int, []string) {
	type last struct {
		o   itemOrder
		key string
	}
	latest := map[string]last{} // channel/thread -> the latest item posted in it
	count := 0
	var first []string
	for _, p := range posts {
		o, ok := order[p.Key]
		if !ok {
			continue
		}
		stream := p.Channel + "/" + p.Thread
		l, seen := latest[stream]
		if seen && o.before(l.o) {
			count++
			if len(first) < n {
				first = append(first, fmt.Sprintf("%s after %s in %s", p.Key, l.key, stream))
			}
			continue
		}
		latest[stream] = last{o: o, key: p.Key}
	}
	return count, first
}
