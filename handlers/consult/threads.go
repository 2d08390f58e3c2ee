package consult

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// onSentThread is the OnSent kind that records where a consultation's
// card or confirmation landed: "consult.thread:<consultation>:<user>".
const onSentThread = "consult.thread"

// threadOnSent adds the delivered message's thread to consultation cid as
// userID's thread.
func threadOnSent(cid, userID uint64) handlers.Sent {
	return handlers.Sent{Kind: onSentThread, IDs: []uint64{cid, userID}}
}

// consultationKey is a delivery key for a message about consultation cid:
// consultationKey(12, "card", 5) is "consult:12:card:5".
func consultationKey(cid uint64, parts ...any) string {
	s := "consult:" + strconv.FormatUint(cid, 10)
	for _, p := range parts {
		s += ":" + fmt.Sprint(p)
	}
	return s
}

// threadSent records the thread of a delivered card, in the transaction
// that marks it sent: the OnSent action of onSentThread, with the ids
// consultation and user.
func (a *Feature) threadSent(_ context.Context, tx *store.Tx, ids []uint64, at bot.Address) error {
	if len(ids) != 2 {
		return fmt.Errorf("thread record: ids %v, want consultation and user", ids)
	}
	cid, uid := ids[0], ids[1]
	if u, err := tx.Users().ByID(uid); err == nil && u.Deleted {
		// Delivered after its reader was forgotten: no thread of theirs
		// is kept, so no post in it is taken as theirs.
		return nil
	}
	return addThread(tx, cid, uid, at)
}

// addThread adds the thread of the message at at to consultation cid,
// owned by userID, unless it is there already, in tx. A consultation that
// is gone has nothing to add to.
func addThread(tx *store.Tx, cid, userID uint64, at bot.Address) error {
	th, ok := threadOf(at, userID)
	if !ok {
		return nil
	}
	_, err := tx.Consultations().Update(cid, func(c *store.Consultation) error {
		for _, t := range c.Threads {
			if t.Platform == th.Platform && t.Channel == th.Channel && t.Thread == th.Thread {
				return nil
			}
		}
		c.Threads = append(c.Threads, th)
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("record thread: %w", err)
	}
	return nil
}
