package store

import (
	"fmt"
	"strconv"
	"time"
)

// OneOnOne records that a 1on1 between two people happened on a day:
// never what was said. A and B are user ids, A < B.
type OneOnOne struct {
	ID        uint64    `json:"id"`
	A         uint64    `json:"a"`
	B         uint64    `json:"b"`
	Date      string    `json:"date"`    // "2006-01-02"
	Quarter   string    `json:"quarter"` // "2026-Q4"
	LoggedBy  uint64    `json:"logged_by"`
	CreatedAt time.Time `json:"created_at"`
}

// pairKey is the by_pair index value of a 1on1.
func pairKey(a, b uint64, date string) string {
	return joinKey(strconv.FormatUint(a, 10), strconv.FormatUint(b, 10), date)
}

// LogOneOnOne stores o (A and B put in order) unless the same two people
// have a 1on1 on that day already: then it returns that one and created
// false, so that both people logging one meeting count it once.
func (c Connections) LogOneOnOne(o OneOnOne) (OneOnOne, bool, error) {
	tx := c.tx
	if err := tx.writable(); err != nil {
		return OneOnOne{}, false, err
	}
	if o.A == o.B || o.A == 0 || o.B == 0 || o.Date == "" || o.Quarter == "" {
		return OneOnOne{}, false, fmt.Errorf("log 1on1: two people, a date and a quarter are required")
	}
	if o.A > o.B {
		o.A, o.B = o.B, o.A
	}
	if ids := lookup(tx, bktOneOnOnesByPair, pairKey(o.A, o.B, o.Date)); len(ids) > 0 {
		old, err := getByID[OneOnOne](tx, bktOneOnOnes, ids[0])
		return old, false, err
	}
	id, err := tx.bucket(bktOneOnOnes).NextSequence()
	if err != nil {
		return OneOnOne{}, false, err
	}
	o.ID, o.CreatedAt = id, tx.Now()
	if err := reindex(tx, id, nil, []entry{{bktOneOnOnesByPair, pairKey(o.A, o.B, o.Date)}, {bktOneOnOnesByQtr, o.Quarter}}); err != nil {
		return OneOnOne{}, false, err
	}
	return o, true, putJSON(tx.bucket(bktOneOnOnes), itob(id), o)
}

// OneOnOnesInQuarter returns the 1on1s of quarter ("2026-Q4").
func (c Connections) OneOnOnesInQuarter(quarter string) ([]OneOnOne, error) {
	os, err := getIDs[OneOnOne](c.tx, bktOneOnOnes, lookup(c.tx, bktOneOnOnesByQtr, quarter))
	if err != nil {
		return nil, fmt.Errorf("1on1s of %s: %w", quarter, err)
	}
	return os, nil
}

// States of a mentor term.
const (
	TermProposed = "proposed" // waiting for an admin's approval
	TermApproved = "approved" // running from Start to End
	TermDeclined = "declined"
	TermEnded    = "ended" // ended early (the mentor or mentee left, or was forgotten)
)

// MentorTerm is a new hire's mentor in a mentor programme for a fixed
// term, as proposed and then approved or declined by an admin.
type MentorTerm struct {
	ID          uint64 `json:"id"`
	ProgrammeID uint64 `json:"programme_id"`
	MenteeID    uint64 `json:"mentee_id"`
	MentorID    uint64 `json:"mentor_id"`
	State       string `json:"state"`
	Start       string `json:"start,omitempty"` // "2006-01-02", set on approval
	End         string `json:"end,omitempty"`   // the last day of the term
	// Why are the codes of what made the mentor a good match (another
	// department, the mentee's wish, a shared language), for the admin.
	Why       []string  `json:"why,omitempty"`
	DecidedBy uint64    `json:"decided_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Active reports whether the term runs on day ("2006-01-02").
func (t MentorTerm) Active(day string) bool {
	return t.State == TermApproved && t.Start <= day && day <= t.End
}

// AddTerm stores a new mentor term.
func (c Connections) AddTerm(t MentorTerm) (MentorTerm, error) {
	tx := c.tx
	if err := tx.writable(); err != nil {
		return MentorTerm{}, err
	}
	id, err := tx.bucket(bktMentorTerms).NextSequence()
	if err != nil {
		return MentorTerm{}, err
	}
	t.ID, t.CreatedAt, t.UpdatedAt = id, tx.Now(), tx.Now()
	return t, putJSON(tx.bucket(bktMentorTerms), itob(id), t)
}

// Term returns the mentor term with id.
func (c Connections) Term(id uint64) (MentorTerm, error) {
	t, err := getByID[MentorTerm](c.tx, bktMentorTerms, id)
	if err != nil {
		return MentorTerm{}, fmt.Errorf("get mentor term %d: %w", id, err)
	}
	return t, nil
}

// UpdateTerm changes the term with id by fn and stores it; who it pairs
// stays as it was.
func (c Connections) UpdateTerm(id uint64, fn func(*MentorTerm) error) (MentorTerm, error) {
	tx := c.tx
	if err := tx.writable(); err != nil {
		return MentorTerm{}, err
	}
	old, err := c.Term(id)
	if err != nil {
		return MentorTerm{}, err
	}
	t := old
	if err := fn(&t); err != nil {
		return MentorTerm{}, err
	}
	t.ID, t.ProgrammeID, t.MenteeID, t.MentorID, t.CreatedAt, t.UpdatedAt = old.ID, old.ProgrammeID, old.MenteeID, old.MentorID, old.CreatedAt, tx.Now()
	return t, putJSON(tx.bucket(bktMentorTerms), itob(id), t)
}

// Terms returns every mentor term, oldest first. Terms are one per new
// hire and programme, a few hundred a year: read whole.
func (c Connections) Terms() ([]MentorTerm, error) {
	ts, err := getAll[MentorTerm](c.tx, bktMentorTerms)
	if err != nil {
		return nil, fmt.Errorf("list mentor terms: %w", err)
	}
	return ts, nil
}
