package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/pgstore"
)

// consultRec is what the accounting needs of a stored consultation.
type consultRec struct {
	ID       uint64
	EventID  string
	Marker   string    // the question's marker, "" for none (preloaded)
	Messages []string  // event ids of its messages
	Created  time.Time // when the bot stored it (its clock: this machine's)
	// Queued: its announcements wait in the bot's outbox (routed to
	// mentors, or its answer in the thread queued): not posted yet, for
	// the platform's rate, but not stranded either.
	Queued bool
}

// tally is the outcome of a run, counted from the events sent, the posts
// the fake Slack saw and the data file.
type tally struct {
	Questions, Replies        int // sent
	AckedQ, AckedR            int // acknowledged in the end
	Unacked                   int // never acknowledged (gave up)
	Retried                   int // events that needed more than one attempt
	Lost                      int // acked question, no consultation
	Duplicated                int // consultations beyond the first for one question
	Stranded                  int // consultation stored, but no post for it and nothing queued
	Queued                    int // consultation stored, its posts still queued for the platform's rate
	Unhandled                 int // acked question with no post for it (lost or stranded)
	LostReplies               int // acked reply not a message of any consultation
	DuplicatedDeliveries      int // posts beyond the first with one delivery key
	DuplicatedAcks            int // questions answered in their thread more than once
	OutOfOrder                int // outbox posts that reached a thread after a later item of it
	Inboxed                   int // acked, not handled, still recorded in the inbox at the stop: the next start handles them
	Cards, CardsExpected      int // mentor DM cards posted / routed
	AckLatency, HandleLatency []time.Duration
	// StoreLatency is, for each acknowledged question stored, the time
	// from its acknowledgement to its consultation's commit (stored with
	// its routing): handling as the bot does it, whatever the platform's
	// rate lets it post.
	StoreLatency []time.Duration
}

// losses is the number of losses and duplicates a run found.
func (t tally) losses() int {
	return t.Lost + t.Duplicated + t.Stranded + t.LostReplies + t.DuplicatedDeliveries + t.DuplicatedAcks + t.OutOfOrder
}

// account counts a run: events are what was sent, posts what the fake saw,
// consults what the data file holds (nil when it was not read: then lost,
// duplicated, stranded and lost replies are not counted), and routed the
// sum of the consultations' routed mentors.
func account(events []event, posts []post, consults []consultRec, routed int) tally {
	var t tally
	// The bot's first post for each question: its answer in the
	// question's thread, or a mentor card with the marker.
	first := map[string]time.Time{} // question ts or marker -> time
	threadPosts := map[string]int{}
	keys := map[string]int{}
	note := func(k string, at time.Time) {
		if old, ok := first[k]; !ok || at.Before(old) {
			first[k] = at
		}
	}
	for _, p := range posts {
		if p.Key != "" {
			keys[p.Key]++
		}
		switch {
		case p.Channel == channel && p.Thread != "" && p.Key == "":
			threadPosts[p.Thread]++
			note(p.Thread, p.At)
		case strings.HasPrefix(p.Channel, "DM"): // a mentor's DM
			for _, m := range markerRE.FindAllString(p.Text, -1) {
				note(m, p.At)
			}
			if strings.Contains(p.Key, ":card:") {
				t.Cards++
			}
		}
	}
	for _, n := range keys {
		t.DuplicatedDeliveries += n - 1
	}
	t.CardsExpected = routed

	byMarker := map[string]int{}
	queued := map[string]bool{}
	created := map[string]time.Time{}
	msgEvents := map[string]bool{}
	for _, c := range consults {
		if c.Marker != "" {
			byMarker[c.Marker]++
			queued[c.Marker] = queued[c.Marker] || c.Queued
			if old, ok := created[c.Marker]; !ok || c.Created.Before(old) {
				created[c.Marker] = c.Created
			}
		}
		for _, id := range c.Messages {
			msgEvents[id] = true
		}
	}
	for _, e := range events {
		if e.Reply {
			t.Replies++
		} else {
			t.Questions++
		}
		if e.Attempts > 1 {
			t.Retried++
		}
		if e.Acked.IsZero() {
			t.Unacked++
			continue
		}
		t.AckLatency = append(t.AckLatency, e.AckTook)
		if e.Reply {
			t.AckedR++
			if consults != nil && !msgEvents[e.ID] {
				t.LostReplies++
			}
			continue
		}
		t.AckedQ++
		at, ok := first[e.TS]
		if c, ok2 := first[e.Marker]; ok2 && (!ok || c.Before(at)) {
			at, ok = c, true
		}
		if ok {
			t.HandleLatency = append(t.HandleLatency, max(at.Sub(e.Acked), 0))
		} else {
			t.Unhandled++
		}
		if threadPosts[e.TS] > 1 {
			t.DuplicatedAcks += threadPosts[e.TS] - 1
		}
		if consults == nil {
			continue
		}
		if at, ok := created[e.Marker]; ok {
			t.StoreLatency = append(t.StoreLatency, max(at.Sub(e.Acked), 0))
		}
		switch n := byMarker[e.Marker]; {
		case n == 0:
			t.Lost++
		case !ok && queued[e.Marker]:
			t.Queued++
			t.Duplicated += max(n-1, 0)
		case !ok:
			t.Stranded++
			fallthrough
		default:
			t.Duplicated += max(n-1, 0)
		}
	}
	return t
}

// readConsults opens the data file (or the postgres:// database) after
// the bot stopped and reads every consultation (store.Open has no
// read-only mode; only View is used).
func readConsults(db string) ([]consultRec, int, error) {
	st, err := openAfter(db)
	if err != nil {
		return nil, 0, err
	}
	defer st.Close()
	var out []consultRec
	routed := 0
	err = st.View(func(tx *store.Tx) error {
		cs, err := tx.Consultations().ByState()
		if err != nil {
			return err
		}
		for _, c := range cs {
			r := consultRec{ID: c.ID, EventID: c.EventID, Marker: markerRE.FindString(c.Question()), Created: c.CreatedAt}
			if _, err := tx.Outbox().ItemByKey(fmt.Sprintf("consult:%d:ack", c.ID)); err == nil || len(c.Routed) > 0 {
				r.Queued = true
			}
			for _, m := range c.Messages {
				if m.EventID != "" {
					r.Messages = append(r.Messages, m.EventID)
				}
			}
			if r.Marker != "" {
				routed += len(c.Routed)
			}
			out = append(out, r)
		}
		return nil
	})
	if out == nil {
		out = []consultRec{}
	}
	return out, routed, err
}

// openAfter opens the data file (or the postgres:// database) the bots
// used, after they stopped.
func openAfter(db string) (*store.Store, error) {
	open := func() (*store.Store, error) { return store.Open(db, store.Options{Timeout: 10 * time.Second}) }
	if pgstore.IsURL(db) {
		open = func() (*store.Store, error) { return pgstore.Open(db, store.Options{}) }
	}
	st, err := open()
	if err != nil {
		return nil, fmt.Errorf("open the data file: %w", err)
	}
	return st, nil
}
