package store

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// Buckets of survey rounds (schema version 11).
const (
	bktRounds      = "survey_rounds"        // itob(id) -> SurveyRound
	bktRoundsByKey = "survey_rounds.by_key" // survey id 0x00 period 0x00 itob(id)
	bktRoundsOpen  = "survey_rounds.open"   // itob(id) -> empty, while the round is open
	bktInvites     = "survey_invites"       // itob(round) itob(user) -> SurveyInvite
	bktResponses   = "survey_responses"     // itob(round) response key -> SurveyResponse
	bktTallies     = "survey_tallies"       // itob(round) department 0x00 band -> SurveyTally
)

// Modes of a survey round, fixed when it opens.
const (
	// SurveyAnonymous keeps no link between a person and a response once
	// the round closes: while it is open the response's key is an HMAC of
	// the person under a secret of the round, so that the person can edit
	// it; closing forgets the secret and who was invited.
	SurveyAnonymous = "anonymous"
	// SurveyConfidential keeps the link, for care follow-up; only the hr
	// role reads it.
	SurveyConfidential = "confidential"
)

// Errors of survey rounds.
var (
	// ErrRoundExists is the refusal of a second round of one survey in
	// one period.
	ErrRoundExists = errors.New("store: the survey already has a round in this period")
	// ErrRoundClosed is the refusal of an answer to a closed round.
	ErrRoundClosed = errors.New("store: the survey round is closed")
	// ErrNotInvited is the refusal of an answer from someone the round
	// did not ask.
	ErrNotInvited = errors.New("store: not invited to this survey round")
)

// SurveyRound is one sending of a survey, for one period ("2026-12").
type SurveyRound struct {
	ID       uint64 `json:"id"`
	SurveyID string `json:"survey_id"`
	Period   string `json:"period"`
	// Survey is the definition as it was when the round opened, so that a
	// later import changes no open or past round.
	Survey      Survey    `json:"survey"`
	Mode        string    `json:"mode"`
	MinGroup    int       `json:"min_group"`    // k: no figure for fewer respondents
	MinComments int       `json:"min_comments"` // no comments for fewer respondents
	Audience    string    `json:"audience"`     // how the audience was chosen, for people
	OpenedBy    uint64    `json:"opened_by,omitempty"`
	OpenedAt    time.Time `json:"opened_at"`
	Deadline    time.Time `json:"deadline"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	// Secret keys anonymous responses while the round is open; closing
	// drops it.
	Secret []byte `json:"secret,omitempty"`
	// Invited and Responded count the round's people; a closed round
	// whose organisation total may not be shown (fewer than k answered)
	// keeps neither.
	Invited   int `json:"invited"`
	Responded int `json:"responded"`
	// Reminded are the dates ("2006-01-02") reminders went out.
	Reminded []string `json:"reminded,omitempty"`
	// ResponsesPurged is set once retention deleted the round's responses
	// (its tallies stay).
	ResponsesPurged bool `json:"responses_purged,omitempty"`
}

// Open reports whether the round still takes answers.
func (r SurveyRound) Open() bool { return r.ClosedAt.IsZero() }

// SurveyInvite is one person a round asked: kept while the round is open
// (and, in confidential mode, after), for reminders to non-respondents.
type SurveyInvite struct {
	UserID     uint64 `json:"user_id"`
	Department string `json:"department,omitempty"`
	Band       string `json:"band,omitempty"`
	Responded  bool   `json:"responded,omitempty"`
}

// SurveyResponse is one person's answers to a round. In anonymous mode it
// holds the department and tenure band while the round is open (closing
// takes them off: nothing finer than a report is kept); in confidential
// mode also the person and when they last answered, and it keeps them.
type SurveyResponse struct {
	Department string            `json:"department,omitempty"`
	Band       string            `json:"band,omitempty"`
	Scores     map[string]int    `json:"scores,omitempty"`  // scale items
	Choices    map[string]string `json:"choices,omitempty"` // choice items: the option id
	Texts      map[string]string `json:"texts,omitempty"`   // text items
	UserID     uint64            `json:"user_id,omitempty"`
	UpdatedAt  time.Time         `json:"updated_at,omitzero"`
}

// SurveyTally is what a round's answers add up to in one group of people
// (a department and a tenure band): the invited and responding counts and,
// per item, how many gave each score or option. Reports read tallies,
// never responses, so a report costs the same at any size.
type SurveyTally struct {
	Department string                    `json:"department,omitempty"`
	Band       string                    `json:"band,omitempty"`
	Invited    int                       `json:"invited"`
	N          int                       `json:"n"`                // respondents
	Scores     map[string][]int          `json:"scores,omitempty"` // item -> count per score 0..10
	Choices    map[string]map[string]int `json:"choices,omitempty"`
}

// createSurveyRoundBuckets is the migration that creates the buckets of
// survey rounds, invitations, responses and tallies.
func createSurveyRoundBuckets(tx kv.Tx) error {
	for _, name := range []string{bktRounds, bktRoundsByKey, bktRoundsOpen, bktInvites, bktResponses, bktTallies} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// roundKey is the by_key value of a survey's round in a period.
func roundKey(surveyID, period string) string { return joinKey(surveyID, period) }

// OpenRound stores r as a new open round and an invitation for each
// of invites, counted into the round's tallies. A round for the same
// survey and period fails with ErrRoundExists, whoever opened it: the
// check and the write are one transaction.
func (sv Surveys) OpenRound(r SurveyRound, invites []SurveyInvite) (SurveyRound, error) {
	if err := sv.tx.writable(); err != nil {
		return SurveyRound{}, err
	}
	if ids := lookup(sv.tx, bktRoundsByKey, roundKey(r.SurveyID, r.Period)); len(ids) > 0 {
		return SurveyRound{}, fmt.Errorf("open survey round %s %s: %w", r.SurveyID, r.Period, ErrRoundExists)
	}
	id, err := sv.tx.bucket(bktRounds).NextSequence()
	if err != nil {
		return SurveyRound{}, fmt.Errorf("open survey round: %w", err)
	}
	r.ID, r.OpenedAt, r.ClosedAt, r.Invited, r.Responded = id, sv.tx.Now(), time.Time{}, 0, 0
	if r.Mode == SurveyAnonymous {
		r.Secret = make([]byte, 32)
		if _, err := rand.Read(r.Secret); err != nil {
			return SurveyRound{}, fmt.Errorf("open survey round: %w", err)
		}
	}
	if _, err := sv.addInvites(&r, invites); err != nil {
		return SurveyRound{}, fmt.Errorf("open survey round: %w", err)
	}
	if err := sv.putRound(r); err != nil {
		return SurveyRound{}, err
	}
	if err := reindex(sv.tx, id, nil, []entry{{bktRoundsByKey, roundKey(r.SurveyID, r.Period)}}); err != nil {
		return SurveyRound{}, fmt.Errorf("open survey round: %w", err)
	}
	if err := sv.tx.bucket(bktRoundsOpen).Put(itob(id), []byte{}); err != nil {
		return SurveyRound{}, fmt.Errorf("open survey round: %w", err)
	}
	return r, nil
}

// addInvites stores an invitation to r for each of invites not invited
// yet, counted into r's tallies and r.Invited; it returns the invitations
// added. The caller stores r.
func (sv Surveys) addInvites(r *SurveyRound, invites []SurveyInvite) ([]SurveyInvite, error) {
	tallies := map[string]*SurveyTally{}
	ib := sv.tx.bucket(bktInvites)
	var added []SurveyInvite
	for _, in := range invites {
		key := append(itob(r.ID), itob(in.UserID)...)
		if ib.Get(key) != nil {
			continue
		}
		in.Responded = false
		if err := putJSON(ib, key, in); err != nil {
			return nil, err
		}
		t, err := sv.tally(tallies, r.ID, in.Department, in.Band)
		if err != nil {
			return nil, err
		}
		t.Invited++
		r.Invited++
		added = append(added, in)
	}
	return added, sv.putTallies(r.ID, tallies)
}

// InviteToRound invites to the open round id those of invites it
// has not invited yet (people who joined after it opened): their answers
// count like everyone's. It returns the round as it is now and the
// invitations added; a closed round fails with ErrRoundClosed.
func (sv Surveys) InviteToRound(id uint64, invites []SurveyInvite) (SurveyRound, []SurveyInvite, error) {
	if err := sv.tx.writable(); err != nil {
		return SurveyRound{}, nil, err
	}
	r, err := sv.Round(id)
	if err != nil {
		return SurveyRound{}, nil, err
	}
	if !r.Open() {
		return SurveyRound{}, nil, fmt.Errorf("invite to survey round %d: %w", id, ErrRoundClosed)
	}
	added, err := sv.addInvites(&r, invites)
	if err == nil && len(added) > 0 {
		err = sv.putRound(r)
	}
	if err != nil {
		return SurveyRound{}, nil, fmt.Errorf("invite to survey round %d: %w", id, err)
	}
	return r, added, nil
}

// putRound stores r.
func (sv Surveys) putRound(r SurveyRound) error {
	if err := putJSON(sv.tx.bucket(bktRounds), itob(r.ID), r); err != nil {
		return fmt.Errorf("put survey round %d: %w", r.ID, err)
	}
	return nil
}

// Round returns the round with id.
func (sv Surveys) Round(id uint64) (SurveyRound, error) {
	r, err := getByID[SurveyRound](sv.tx, bktRounds, id)
	if err != nil {
		return SurveyRound{}, fmt.Errorf("get survey round %d: %w", id, err)
	}
	return r, nil
}

// RoundFor returns the round of a survey in a period.
func (sv Surveys) RoundFor(surveyID, period string) (SurveyRound, error) {
	ids := lookup(sv.tx, bktRoundsByKey, roundKey(surveyID, period))
	if len(ids) == 0 {
		return SurveyRound{}, fmt.Errorf("survey round %s %s: %w", surveyID, period, ErrNotFound)
	}
	return sv.Round(ids[0])
}

// Rounds returns a survey's rounds, oldest period first.
func (sv Surveys) Rounds(surveyID string) ([]SurveyRound, error) {
	prefix := []byte(surveyID + sep)
	var out []SurveyRound
	c := sv.tx.bucket(bktRoundsByKey).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		rest := k[len(prefix):]
		if len(rest) < 9 || bytes.Contains(rest[:len(rest)-9], []byte(sep)) {
			continue // another survey whose id starts with this one's
		}
		r, err := sv.Round(btoi(rest[len(rest)-8:]))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// OpenRounds returns the rounds still open, oldest first.
func (sv Surveys) OpenRounds() ([]SurveyRound, error) {
	var out []SurveyRound
	c := sv.tx.bucket(bktRoundsOpen).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		r, err := sv.Round(btoi(k))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Invite returns a person's invitation to a round; ErrNotInvited
// when there is none (never asked, or the anonymous round closed).
func (sv Surveys) Invite(round, user uint64) (SurveyInvite, error) {
	var in SurveyInvite
	err := getJSON(sv.tx.bucket(bktInvites), append(itob(round), itob(user)...), &in)
	if errors.Is(err, ErrNotFound) {
		return SurveyInvite{}, ErrNotInvited
	}
	if err != nil {
		return SurveyInvite{}, fmt.Errorf("get survey invite: %w", err)
	}
	return in, nil
}

// Invites calls fn with each invitation of a round, in user order.
func (sv Surveys) Invites(round uint64, fn func(SurveyInvite) error) error {
	if err := eachWithPrefix(sv.tx.bucket(bktInvites), itob(round), fn); err != nil {
		return fmt.Errorf("survey invites of round %d: %w", round, err)
	}
	return nil
}

// MarkReminded records that reminders of a round went out on date.
// It reports false when they already had.
func (sv Surveys) MarkReminded(round uint64, date string) (bool, error) {
	r, err := sv.Round(round)
	if err != nil {
		return false, err
	}
	for _, d := range r.Reminded {
		if d == date {
			return false, nil
		}
	}
	r.Reminded = append(r.Reminded, date)
	return true, sv.putRound(r)
}

// CloseRound closes an open round: it takes no more answers, and
// it keeps of its answers only what release decides its reports may show
// (releaseRound: the cells go, and in anonymous mode the department and
// band of the responses); in anonymous mode its secret and its
// invitations (who responded) are deleted too, so nothing links a person
// to a response. It reports false for a round already closed.
func (sv Surveys) CloseRound(id uint64, release SurveyReleaser) (SurveyRound, bool, error) {
	r, err := sv.Round(id)
	if err != nil {
		return SurveyRound{}, false, err
	}
	if !r.Open() {
		return r, false, nil
	}
	r.ClosedAt, r.Secret = sv.tx.Now(), nil
	if r.Mode != SurveyConfidential {
		if err := deletePrefix(sv.tx.bucket(bktInvites), itob(id)); err != nil {
			return SurveyRound{}, false, fmt.Errorf("close survey round %d: %w", id, err)
		}
	}
	if err := sv.releaseRound(&r, release); err != nil {
		return SurveyRound{}, false, fmt.Errorf("close survey round %d: %w", id, err)
	}
	if err := sv.tx.bucket(bktRoundsOpen).Delete(itob(id)); err != nil {
		return SurveyRound{}, false, fmt.Errorf("close survey round %d: %w", id, err)
	}
	return r, true, sv.putRound(r)
}

// RoundsIn returns the rounds of every survey in a period
// ("2006-01"), in id order. Rounds are few (one per survey a month).
func (sv Surveys) RoundsIn(period string) ([]SurveyRound, error) {
	all, err := getAll[SurveyRound](sv.tx, bktRounds)
	if err != nil {
		return nil, fmt.Errorf("survey rounds in %s: %w", period, err)
	}
	var out []SurveyRound
	for _, r := range all {
		if r.Period == period {
			out = append(out, r)
		}
	}
	return out, nil
}
