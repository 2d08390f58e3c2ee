package store

import (
	"encoding/json"
	"slices"
	"strconv"
)

// ForgetConnections removes the user's connections data: their member
// record (pause, skip, their confidential list and their wish for a
// mentor), their place on everyone else's confidential list, their
// check-in answers, and the mentor terms they are in, which end (a
// proposed one is declined). The groups they were in keep their id, which
// ForgetUser leaves as a tombstone, so the others' history still counts
// the meeting; 1on1s stay counted the same way. It returns how many
// records changed. Forget is rare: every round and term is read.
func (tx *Tx) ForgetConnections(userID uint64) (int, error) {
	if err := tx.writable(); err != nil {
		return 0, err
	}
	n := 0
	b := tx.bucket(bktConnMembers)
	if b.Get(itob(userID)) != nil {
		if err := b.Delete(itob(userID)); err != nil {
			return n, err
		}
		n++
	}
	c := tx.Connections()
	ms, err := c.Members()
	if err != nil {
		return n, err
	}
	for _, m := range ms {
		if !slices.Contains(m.Avoid, userID) {
			continue
		}
		m.Avoid = slices.DeleteFunc(m.Avoid, func(id uint64) bool { return id == userID })
		if err := putJSON(b, itob(m.UserID), m); err != nil {
			return n, err
		}
		n++
	}
	key := strconv.FormatUint(userID, 10)
	err = tx.bucket(bktConnRounds).ForEach(func(k, raw []byte) error {
		var r ConnRound
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		g := r.GroupOf(userID)
		if g < 0 {
			return nil
		}
		if _, ok := r.Groups[g].Answers[key]; !ok {
			return nil
		}
		delete(r.Groups[g].Answers, key)
		n++
		return putJSON(tx.bucket(bktConnRounds), k, r)
	})
	if err != nil {
		return n, err
	}
	ts, err := c.Terms()
	if err != nil {
		return n, err
	}
	for _, t := range ts {
		if t.MenteeID != userID && t.MentorID != userID {
			continue
		}
		switch t.State {
		case TermProposed:
			t.State = TermDeclined
		case TermApproved:
			t.State = TermEnded
		}
		t.Why, t.UpdatedAt = nil, tx.Now()
		if err := putJSON(tx.bucket(bktMentorTerms), itob(t.ID), t); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// exportConnMember is a member record as the export shows it: without
// the confidential "don't pair me with" list, which nobody but its owner
// may see.
func exportConnMember(raw []byte) (any, error) {
	var m ConnMember
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	m.Avoid = nil
	return m, nil
}
