package store

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"time"
)

// responseKey is where a person's response to r is stored: in anonymous
// mode an HMAC of the person under the round's secret (nothing to read
// back once the secret is gone), in confidential mode the person's id.
func responseKey(r SurveyRound, user uint64) []byte {
	key := itob(r.ID)
	if r.Mode == SurveyConfidential {
		return append(key, itob(user)...)
	}
	mac := hmac.New(sha256.New, r.Secret)
	mac.Write(itob(user))
	return mac.Sum(key)
}

// Response is a person's response to an open round, for the form that
// edits it; found reports whether they answered yet.
func (sv Surveys) Response(round, user uint64) (resp SurveyResponse, found bool, err error) {
	r, err := sv.Round(round)
	if err != nil {
		return SurveyResponse{}, false, err
	}
	if !r.Open() {
		return SurveyResponse{}, false, fmt.Errorf("survey answer: %w", ErrRoundClosed)
	}
	err = getJSON(sv.tx.bucket(bktResponses), responseKey(r, user), &resp)
	if err == ErrNotFound {
		return SurveyResponse{}, false, nil
	}
	if err != nil {
		return SurveyResponse{}, false, fmt.Errorf("survey answer: %w", err)
	}
	return resp, true, nil
}

// Answer stores user's response to an open round they were invited
// to, replacing their earlier one, and keeps the round's tallies and
// counts right. The department and band come from the invitation; in
// confidential mode the response also names the person. It reports
// whether it replaced an earlier response.
func (sv Surveys) Answer(round, user uint64, resp SurveyResponse) (bool, error) {
	if err := sv.tx.writable(); err != nil {
		return false, err
	}
	r, err := sv.Round(round)
	if err != nil {
		return false, err
	}
	if !r.Open() {
		return false, fmt.Errorf("answer survey: %w", ErrRoundClosed)
	}
	in, err := sv.Invite(round, user)
	if err != nil {
		return false, fmt.Errorf("answer survey: %w", err)
	}
	resp.Department, resp.Band, resp.UserID, resp.UpdatedAt = in.Department, in.Band, 0, time.Time{}
	if r.Mode == SurveyConfidential {
		resp.UserID, resp.UpdatedAt = user, sv.tx.Now()
	}
	b := sv.tx.bucket(bktResponses)
	key := responseKey(r, user)
	tallies := map[string]*SurveyTally{}
	var old SurveyResponse
	replaced := false
	switch err := getJSON(b, key, &old); err {
	case nil:
		replaced = true
		t, err := sv.tally(tallies, round, old.Department, old.Band)
		if err != nil {
			return false, fmt.Errorf("answer survey: %w", err)
		}
		t.add(old, -1)
	case ErrNotFound:
	default:
		return false, fmt.Errorf("answer survey: %w", err)
	}
	t, err := sv.tally(tallies, round, resp.Department, resp.Band)
	if err != nil {
		return false, fmt.Errorf("answer survey: %w", err)
	}
	t.add(resp, 1)
	if err := putJSON(b, key, resp); err != nil {
		return false, fmt.Errorf("answer survey: %w", err)
	}
	if err := sv.putTallies(round, tallies); err != nil {
		return false, fmt.Errorf("answer survey: %w", err)
	}
	if !in.Responded {
		in.Responded = true
		if err := putJSON(sv.tx.bucket(bktInvites), append(itob(round), itob(user)...), in); err != nil {
			return false, fmt.Errorf("answer survey: %w", err)
		}
		r.Responded++
		if err := sv.putRound(r); err != nil {
			return false, err
		}
	}
	return replaced, nil
}

// add counts resp into t, or takes it out with sign -1.
func (t *SurveyTally) add(resp SurveyResponse, sign int) {
	t.N += sign
	if t.Scores == nil {
		t.Scores = map[string][]int{}
	}
	for item, v := range resp.Scores {
		if v < 0 || v > 10 {
			continue
		}
		h := t.Scores[item]
		if h == nil {
			h = make([]int, 11)
		}
		h[v] += sign
		t.Scores[item] = h
	}
	if t.Choices == nil {
		t.Choices = map[string]map[string]int{}
	}
	for item, opt := range resp.Choices {
		if t.Choices[item] == nil {
			t.Choices[item] = map[string]int{}
		}
		t.Choices[item][opt] += sign
	}
}

// tallyKey is the key of a round's tally of one group.
func tallyKey(round uint64, dept, band string) []byte {
	return append(itob(round), joinKey(dept, band)...)
}

// tally returns the tally of a group from cache, reading it from the
// store the first time.
func (sv Surveys) tally(cache map[string]*SurveyTally, round uint64, dept, band string) (*SurveyTally, error) {
	k := joinKey(dept, band)
	if t, ok := cache[k]; ok {
		return t, nil
	}
	t := &SurveyTally{Department: dept, Band: band}
	if err := getJSON(sv.tx.bucket(bktTallies), tallyKey(round, dept, band), t); err != nil && err != ErrNotFound {
		return nil, err
	}
	cache[k] = t
	return t, nil
}

// putTallies stores the tallies of cache.
func (sv Surveys) putTallies(round uint64, cache map[string]*SurveyTally) error {
	for _, t := range cache {
		if err := putJSON(sv.tx.bucket(bktTallies), tallyKey(round, t.Department, t.Band), t); err != nil {
			return err
		}
	}
	return nil
}

// Tallies returns a round's tallies, one per department and tenure
// band, in key order: the cells of an open round; none once the round
// closed and was released (SurveyRelease).
func (sv Surveys) Tallies(round uint64) ([]SurveyTally, error) {
	var out []SurveyTally
	err := eachWithPrefix(sv.tx.bucket(bktTallies), itob(round), func(t SurveyTally) error {
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("survey tallies of round %d: %w", round, err)
	}
	return out, nil
}

// Responses calls fn with each response of a round, in key order:
// random in anonymous mode, by person in confidential mode. Reports use
// tallies; this is for comments, exports and care follow-up.
func (sv Surveys) Responses(round uint64, fn func(SurveyResponse) error) error {
	if err := eachWithPrefix(sv.tx.bucket(bktResponses), itob(round), fn); err != nil {
		return fmt.Errorf("survey responses of round %d: %w", round, err)
	}
	return nil
}

// ConfidentialResponse returns a person's response to a confidential
// round; ErrNotFound when they gave none (or the round is anonymous).
func (sv Surveys) ConfidentialResponse(round, user uint64) (SurveyResponse, error) {
	var resp SurveyResponse
	if err := getJSON(sv.tx.bucket(bktResponses), append(itob(round), itob(user)...), &resp); err != nil {
		return SurveyResponse{}, err
	}
	if resp.UserID != user {
		return SurveyResponse{}, ErrNotFound
	}
	return resp, nil
}
