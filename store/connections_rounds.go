package store

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Check-in answers of a group member.
const (
	AnswerMet     = "met"     // 会えた
	AnswerPlanned = "planned" // 予定あり
	AnswerMissed  = "missed"  // 会えなかった
)

// ConnRound is one round of a programme: the groups formed in one period
// and the people left out, with why.
type ConnRound struct {
	ID          uint64 `json:"id"`
	ProgrammeID uint64 `json:"programme_id"`
	Number      int    `json:"number"`  // 1 for the programme's first round
	Period      string `json:"period"`  // "2026-W49", "2026-F25", "2026-12": once per period
	Quarter     string `json:"quarter"` // "2026-Q4", for the figures
	Seed        uint64 `json:"seed"`

	Groups  []ConnGroup   `json:"groups"`
	LeftOut []ConnLeftOut `json:"left_out,omitempty"`
	// Relaxed are the people who needed a rule relaxed to be grouped, and
	// how far (the matcher's relaxation codes).
	Relaxed []ConnRelaxed `json:"relaxed,omitempty"`

	// The check-ins: dates ("2006-01-02") the midway and final ones are
	// due, and the stages sent ("mid", "end").
	MidOn    string   `json:"mid_on,omitempty"`
	EndOn    string   `json:"end_on,omitempty"`
	Checkins []string `json:"checkins,omitempty"`
	// Closed is set when the next round began: unanswered check-ins were
	// counted against their members then.
	Closed bool `json:"closed,omitempty"`

	CreatedBy uint64    `json:"created_by,omitempty"` // 0 for the schedule
	CreatedAt time.Time `json:"created_at"`
}

// ConnGroup is one group of a round.
type ConnGroup struct {
	Members []uint64 `json:"members"`
	// Answers are the members' latest check-in answers, by user id in
	// decimal (JSON object keys).
	Answers map[string]string `json:"answers,omitempty"`
}

// Answer is the user's latest check-in answer in g, "" for none.
func (g ConnGroup) Answer(userID uint64) string {
	return g.Answers[strconv.FormatUint(userID, 10)]
}

// Met reports whether a member of g said they met.
func (g ConnGroup) Met() bool {
	for _, a := range g.Answers {
		if a == AnswerMet {
			return true
		}
	}
	return false
}

// ConnLeftOut is a person in no group of a round, and why (the matcher's
// code, or "skipped").
type ConnLeftOut struct {
	UserID uint64 `json:"user_id"`
	Reason string `json:"reason"`
}

// ConnRelaxed is a person grouped only under a relaxed rule.
type ConnRelaxed struct {
	UserID     uint64 `json:"user_id"`
	Relaxation int    `json:"relaxation"`
}

// Sent reports whether the check-in stage was sent.
func (r ConnRound) Sent(stage string) bool { return slices.Contains(r.Checkins, stage) }

// GroupOf returns the index of the user's group in r, or -1.
func (r ConnRound) GroupOf(userID uint64) int {
	for i, g := range r.Groups {
		if slices.Contains(g.Members, userID) {
			return i
		}
	}
	return -1
}

// roundEntries are the index entries of r.
func roundEntries(r ConnRound) []entry {
	prog := strconv.FormatUint(r.ProgrammeID, 10)
	return []entry{
		{bktConnRoundsByProg, prog},
		{bktConnRoundsByPeriod, joinKey(prog, r.Period)},
		{bktConnRoundsByQtr, r.Quarter},
	}
}

// AddRound stores a new round of its programme and counts it in the
// programme's Rounds (r.Number is set to the next number). A second round
// of the programme in r.Period fails with ErrConnRoundExists, so the
// groups of a period are formed once.
func (c Connections) AddRound(r ConnRound) (ConnRound, error) {
	tx := c.tx
	if err := tx.writable(); err != nil {
		return ConnRound{}, err
	}
	if _, err := c.RoundFor(r.ProgrammeID, r.Period); err == nil {
		return ConnRound{}, ErrConnRoundExists
	}
	p, err := c.UpdateProgramme(r.ProgrammeID, func(p *ConnProgramme) error { p.Rounds++; return nil })
	if err != nil {
		return ConnRound{}, fmt.Errorf("add round: %w", err)
	}
	id, err := tx.bucket(bktConnRounds).NextSequence()
	if err != nil {
		return ConnRound{}, err
	}
	r.ID, r.Number, r.CreatedAt = id, p.Rounds, tx.Now()
	if err := reindex(tx, id, nil, roundEntries(r)); err != nil {
		return ConnRound{}, err
	}
	return r, putJSON(tx.bucket(bktConnRounds), itob(id), r)
}

// Round returns the round with id.
func (c Connections) Round(id uint64) (ConnRound, error) {
	r, err := getByID[ConnRound](c.tx, bktConnRounds, id)
	if err != nil {
		return ConnRound{}, fmt.Errorf("get round %d: %w", id, err)
	}
	return r, nil
}

// RoundFor returns the programme's round of period.
func (c Connections) RoundFor(programme uint64, period string) (ConnRound, error) {
	ids := lookup(c.tx, bktConnRoundsByPeriod, joinKey(strconv.FormatUint(programme, 10), period))
	if len(ids) == 0 {
		return ConnRound{}, fmt.Errorf("round of programme %d in %s: %w", programme, period, ErrNotFound)
	}
	return c.Round(ids[0])
}

// Rounds returns the programme's last n rounds (all for n <= 0), oldest
// first.
func (c Connections) Rounds(programme uint64, n int) ([]ConnRound, error) {
	ids := lookup(c.tx, bktConnRoundsByProg, strconv.FormatUint(programme, 10))
	if n > 0 && len(ids) > n {
		ids = ids[len(ids)-n:]
	}
	rs, err := getIDs[ConnRound](c.tx, bktConnRounds, ids)
	if err != nil {
		return nil, fmt.Errorf("rounds of programme %d: %w", programme, err)
	}
	return rs, nil
}

// RoundsInQuarter returns the rounds formed in quarter ("2026-Q4").
func (c Connections) RoundsInQuarter(quarter string) ([]ConnRound, error) {
	rs, err := getIDs[ConnRound](c.tx, bktConnRounds, lookup(c.tx, bktConnRoundsByQtr, quarter))
	if err != nil {
		return nil, fmt.Errorf("rounds of %s: %w", quarter, err)
	}
	return rs, nil
}

// UpdateRound changes the round with id by fn and stores it. Its
// programme, number, period and quarter stay as they were.
func (c Connections) UpdateRound(id uint64, fn func(*ConnRound) error) (ConnRound, error) {
	tx := c.tx
	if err := tx.writable(); err != nil {
		return ConnRound{}, err
	}
	old, err := c.Round(id)
	if err != nil {
		return ConnRound{}, err
	}
	r := old
	if err := fn(&r); err != nil {
		return ConnRound{}, err
	}
	r.ID, r.ProgrammeID, r.Number, r.Period, r.Quarter, r.CreatedAt = old.ID, old.ProgrammeID, old.Number, old.Period, old.Quarter, old.CreatedAt
	return r, putJSON(tx.bucket(bktConnRounds), itob(id), r)
}

// AnswerCheckin records the user's check-in answer in their group of the
// round. It reports false, changing nothing, when they are in no group
// of it.
func (c Connections) AnswerCheckin(roundID, userID uint64, answer string) (ConnRound, bool, error) {
	in := false
	r, err := c.UpdateRound(roundID, func(r *ConnRound) error {
		g := r.GroupOf(userID)
		if g < 0 {
			return nil
		}
		in = true
		if r.Groups[g].Answers == nil {
			r.Groups[g].Answers = map[string]string{}
		}
		r.Groups[g].Answers[strconv.FormatUint(userID, 10)] = answer
		return nil
	})
	return r, in, err
}
