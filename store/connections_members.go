package store

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// ConnMember is one person's standing in the connections programmes: one
// record for all programmes, so that one command pauses, skips or leaves
// every one of them. Their profile (department, join year, posting,
// language, topics) is not copied here: the feature reads it from the
// user and their mentor profile at each round.
type ConnMember struct {
	UserID   uint64    `json:"user_id"`
	Joined   bool      `json:"joined,omitempty"` // opted in (coffee join)
	JoinedAt time.Time `json:"joined_at,omitempty"`
	// Left is an explicit coffee leave: nobody who left is grouped by any
	// programme, opt-in or not, until they join again.
	Left bool `json:"left,omitempty"`
	// PausedUntil is the last day ("2006-01-02", inclusive) of a pause.
	PausedUntil string `json:"paused_until,omitempty"`
	// AutoPaused is the pause after IgnoreLimit check-ins in a row went
	// unanswered; it lasts until they resume.
	AutoPaused bool `json:"auto_paused,omitempty"`
	// Skip leaves them out of the next round they would be in, once.
	Skip bool `json:"skip,omitempty"`
	// Ignored counts the rounds in a row whose check-ins they left
	// unanswered.
	Ignored int `json:"ignored,omitempty"`
	// Avoid is their confidential "don't pair me with" list: user ids.
	// Nobody else ever sees it, not even admins (export leaves it out).
	Avoid []uint64 `json:"avoid,omitempty"`
	// Prefer is a new hire's wish for a mentor, in their words (topics,
	// a posting, a language), matched against mentors' profiles.
	Prefer string `json:"prefer,omitempty"`

	UpdatedAt time.Time `json:"updated_at"`
}

// IgnoreLimit is how many rounds in a row a member may leave the
// check-ins unanswered before they are paused.
const IgnoreLimit = 3

// Paused reports whether m sits out on day ("2006-01-02").
func (m ConnMember) Paused(day string) bool {
	return m.AutoPaused || (m.PausedUntil != "" && day <= m.PausedUntil)
}

// Member returns the member record of the user; one who never used the
// coffee commands has none (ErrNotFound).
func (c Connections) Member(userID uint64) (ConnMember, error) {
	m, err := getByID[ConnMember](c.tx, bktConnMembers, userID)
	if err != nil {
		return ConnMember{}, fmt.Errorf("get member %d: %w", userID, err)
	}
	return m, nil
}

// UpdateMember changes the member record of the user by fn, creating it
// (for a user who exists) when there is none.
func (c Connections) UpdateMember(userID uint64, fn func(*ConnMember) error) (ConnMember, error) {
	tx := c.tx
	if err := tx.writable(); err != nil {
		return ConnMember{}, err
	}
	m, err := getByID[ConnMember](tx, bktConnMembers, userID)
	if errors.Is(err, ErrNotFound) {
		if _, err := tx.Users().ByID(userID); err != nil {
			return ConnMember{}, fmt.Errorf("update member: %w", err)
		}
		m = ConnMember{UserID: userID}
	} else if err != nil {
		return ConnMember{}, fmt.Errorf("update member %d: %w", userID, err)
	}
	if err := fn(&m); err != nil {
		return ConnMember{}, err
	}
	m.UserID, m.UpdatedAt = userID, tx.Now()
	slices.Sort(m.Avoid)
	m.Avoid = slices.Compact(m.Avoid)
	return m, putJSON(tx.bucket(bktConnMembers), itob(userID), m)
}

// Members returns every member record, by user id.
func (c Connections) Members() ([]ConnMember, error) {
	ms, err := getAll[ConnMember](c.tx, bktConnMembers)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	return ms, nil
}
