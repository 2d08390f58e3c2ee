package consult

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// onSentThread is the OnSent kind that records where a consultation's
// card or confirmation landed: "consult.thread:<consultation>:<user>".
const onSentThread = "consult.thread"

// threadOnSent is the OnSent key that adds the delivered message's thread
// to consultation cid as userID's thread.
func threadOnSent(cid, userID uint64) string {
	return fmt.Sprintf("%s:%d:%d", onSentThread, cid, userID)
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
// that marks it sent: the OnSent action of onSentThread, with arg
// "<consultation>:<user>".
func (a *Feature) threadSent(_ context.Context, tx *store.Tx, arg string, at bot.Address) error {
	c, u, ok := strings.Cut(arg, ":")
	cid, err1 := strconv.ParseUint(c, 10, 64)
	uid, err2 := strconv.ParseUint(u, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return fmt.Errorf("bad thread key %q", arg)
	}
	if u, err := tx.User(uid); err == nil && u.Deleted {
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
	_, err := tx.UpdateConsultation(cid, func(c *store.Consultation) error {
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
