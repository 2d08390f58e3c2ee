package main

import (
	"fmt"
	"strings"

	"github.com/soudan/soudan/store"
)

// readInboxed reads, from the store after the bots stopped, the event ids
// of the inbox's entries whose event is not done: acknowledged, recorded,
// and not handled yet when the bots stopped, which the next start
// handles.
func readInboxed(db string) (map[string]bool, error) {
	st, err := openAfter(db)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	es, err := st.Inbox().Entries()
	if err != nil {
		return nil, fmt.Errorf("read the inbox: %w", err)
	}
	out := map[string]bool{}
	err = st.View(func(tx *store.Tx) error {
		for _, e := range es {
			_, id, _ := strings.Cut(e.Key, ":")
			done, err := tx.Events().Done(id)
			if err != nil {
				return err
			}
			if !done {
				out[id] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the inbox: %w", err)
	}
	return out, nil
}

// settleInboxed moves, from t's lost questions and replies, those still
// in the inbox (inboxed) to t.Inboxed: a backlog the bots stopped with,
// not a loss.
func settleInboxed(t *tally, events []event, consults []consultRec, inboxed map[string]bool) {
	markers := map[string]bool{}
	msgs := map[string]bool{}
	for _, c := range consults {
		if c.Marker != "" {
			markers[c.Marker] = true
		}
		for _, id := range c.Messages {
			msgs[id] = true
		}
	}
	for _, e := range events {
		if e.Acked.IsZero() || !inboxed[e.ID] {
			continue
		}
		switch {
		case e.Reply && !msgs[e.ID] && t.LostReplies > 0:
			t.LostReplies--
			t.Inboxed++
		case !e.Reply && !markers[e.Marker] && t.Lost > 0:
			t.Lost--
			t.Inboxed++
		}
	}
}
