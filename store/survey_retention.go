package store

import (
	"bytes"
	"fmt"
	"time"
)

// PurgeResponses deletes the responses (and, for confidential
// rounds, the invitations) of rounds closed before before, at most limit
// records per call; tallies stay, so reports keep their figures (not the
// comments and the care follow-up, which need responses). more reports
// whether records are left for another call. A round whose responses are
// all gone is marked so, and is not looked at again.
func (sv Surveys) PurgeResponses(before time.Time, limit int) (n int, more bool, err error) {
	if err := sv.tx.writable(); err != nil {
		return 0, false, err
	}
	rounds, err := getAll[SurveyRound](sv.tx, bktRounds)
	if err != nil {
		return 0, false, fmt.Errorf("purge survey responses: %w", err)
	}
	for _, r := range rounds {
		if r.Open() || r.ResponsesPurged || !r.ClosedAt.Before(before) {
			continue
		}
		for _, name := range []string{bktResponses, bktInvites} {
			prefix := itob(r.ID)
			c := sv.tx.bucket(name).Cursor()
			var keys [][]byte
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && n+len(keys) < limit; k, _ = c.Next() {
				keys = append(keys, bytes.Clone(k))
			}
			for _, k := range keys {
				if err := sv.tx.bucket(name).Delete(k); err != nil {
					return n, false, fmt.Errorf("purge survey responses of round %d: %w", r.ID, err)
				}
			}
			n += len(keys)
			if n >= limit {
				return n, true, nil
			}
		}
		r.ResponsesPurged = true
		if err := sv.putRound(r); err != nil {
			return n, false, err
		}
	}
	return n, false, nil
}

// ForgetRows deletes what links user to surveys: their
// confidential responses and their invitations, in every round. Tallies
// (anonymous aggregates) stay. It returns how many records went.
func (sv Surveys) ForgetRows(user uint64) (int, error) {
	if err := sv.tx.writable(); err != nil {
		return 0, err
	}
	rounds, err := getAll[SurveyRound](sv.tx, bktRounds)
	if err != nil {
		return 0, fmt.Errorf("forget survey rows: %w", err)
	}
	n := 0
	for _, r := range rounds {
		key := append(itob(r.ID), itob(user)...)
		names := []string{bktInvites}
		if r.Mode == SurveyConfidential {
			names = append(names, bktResponses)
		}
		for _, name := range names {
			if sv.tx.bucket(name).Get(key) == nil {
				continue
			}
			if err := sv.tx.bucket(name).Delete(key); err != nil {
				return n, fmt.Errorf("forget survey rows: %w", err)
			}
			n++
		}
	}
	return n, nil
}
