package store

import (
	"errors"
	"fmt"
	"time"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/text"
)

// Buckets of the connections programmes (schema version 21).
const (
	bktConnProgs          = "conn.programmes"
	bktConnProgsByName    = "conn.programmes.by_name" // text.Fold(name) 0x00 itob(id)
	bktConnMembers        = "conn.members"            // itob(user id)
	bktConnRounds         = "conn.rounds"
	bktConnRoundsByProg   = "conn.rounds.by_programme" // programme id 0x00 itob(round id)
	bktConnRoundsByPeriod = "conn.rounds.by_period"    // programme id, period 0x00 itob(round id)
	bktConnRoundsByQtr    = "conn.rounds.by_quarter"   // "2026-Q4" 0x00 itob(round id)
	bktOneOnOnes          = "conn.oneonones"
	bktOneOnOnesByPair    = "conn.oneonones.by_pair"    // a, b, date 0x00 itob(id)
	bktOneOnOnesByQtr     = "conn.oneonones.by_quarter" // "2026-Q4" 0x00 itob(id)
	bktMentorTerms        = "conn.mentor_terms"
)

// connBuckets are the buckets createConnectionBuckets creates.
var connBuckets = []string{
	bktConnProgs, bktConnProgsByName, bktConnMembers,
	bktConnRounds, bktConnRoundsByProg, bktConnRoundsByPeriod, bktConnRoundsByQtr,
	bktOneOnOnes, bktOneOnOnesByPair, bktOneOnOnesByQtr, bktMentorTerms,
}

// createConnectionBuckets is the migration that creates the connections
// programmes' buckets: programmes, members, rounds, 1on1s, mentor terms.
func createConnectionBuckets(tx kv.Tx) error {
	for _, name := range connBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// ErrConnRoundExists is the refusal of a second round of one programme in
// one period: a round is formed once per period, so a run that is
// repeated (a retry, a crash, the schedule and an admin at once) never
// forms the groups twice.
var ErrConnRoundExists = errors.New("store: this programme already has a round in this period")

// Kinds of connections programme.
const (
	ConnCoffee = "coffee" // pairs (or a three) across the organisation
	ConnCafe   = "cafe"   // groups of three or four, e.g. juniors with a senior
	ConnMentor = "mentor" // each new hire with a mentor of another department for a term
)

// ConnProgramme is one connections programme an admin defined: who takes
// part, how often groups are formed, how large they are and the rules
// they keep.
type ConnProgramme struct {
	ID      uint64 `json:"id"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`    // ConnCoffee, ConnCafe, ConnMentor
	Cadence string `json:"cadence"` // "weekly", "fortnightly", "monthly"
	// Size is 2 for pairs, 34 for groups of three or four (the matcher's
	// sizes).
	Size       int  `json:"size"`
	AllowThree bool `json:"allow_three,omitempty"` // the odd person of a pairs round joins a pair

	// Who takes part: with OptIn only the members who joined (coffee
	// join); without, everyone the filters select who has not left. The
	// filters: a department list (canonical names; none for all) and a
	// join-year range (0 for open).
	OptIn       bool     `json:"opt_in"`
	Departments []string `json:"departments,omitempty"`
	JoinFrom    int      `json:"join_from,omitempty"`
	JoinTo      int      `json:"join_to,omitempty"`

	// Rules of the groups.
	CrossDepartment bool `json:"cross_department,omitempty"`
	SeniorYears     int  `json:"senior_years,omitempty"` // each group has a member of this many years or more
	Cooldown        int  `json:"cooldown,omitempty"`     // no repeat within this many rounds

	// A mentor programme's term and each mentor's capacity.
	TermMonths int `json:"term_months,omitempty"`
	Capacity   int `json:"capacity,omitempty"`

	// Auto forms a round on the first business day of each period.
	Auto bool `json:"auto,omitempty"`
	// Rounds is how many rounds were formed; the next is number Rounds+1.
	Rounds int `json:"rounds,omitempty"`

	CreatedBy uint64    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Connections is the store's view of the connections programmes:
// programmes, members, rounds and their check-ins, 1on1s and mentor
// terms. It is valid as long as the transaction it came from.
type Connections struct{ tx *Tx }

// Connections returns the connections view of tx.
func (tx *Tx) Connections() Connections { return Connections{tx: tx} }

// progEntries are the index entries of p.
func progEntries(p ConnProgramme) []entry {
	return []entry{{bktConnProgsByName, text.Fold(p.Name)}}
}

// AddProgramme stores a new programme. A name that another programme has
// (text.Fold) fails with ErrExists, an empty one with ErrNoName.
func (c Connections) AddProgramme(p ConnProgramme) (ConnProgramme, error) {
	tx := c.tx
	if err := tx.writable(); err != nil {
		return ConnProgramme{}, err
	}
	if text.Fold(p.Name) == "" {
		return ConnProgramme{}, ErrNoName
	}
	if len(lookup(tx, bktConnProgsByName, text.Fold(p.Name))) > 0 {
		return ConnProgramme{}, fmt.Errorf("add programme %q: %w", p.Name, ErrExists)
	}
	id, err := tx.bucket(bktConnProgs).NextSequence()
	if err != nil {
		return ConnProgramme{}, err
	}
	p.ID, p.CreatedAt, p.UpdatedAt = id, tx.Now(), tx.Now()
	if err := reindex(tx, id, nil, progEntries(p)); err != nil {
		return ConnProgramme{}, err
	}
	return p, putJSON(tx.bucket(bktConnProgs), itob(id), p)
}

// UpdateProgramme changes the programme with id by fn and stores it.
func (c Connections) UpdateProgramme(id uint64, fn func(*ConnProgramme) error) (ConnProgramme, error) {
	tx := c.tx
	if err := tx.writable(); err != nil {
		return ConnProgramme{}, err
	}
	old, err := c.Programme(id)
	if err != nil {
		return ConnProgramme{}, err
	}
	p := old
	if err := fn(&p); err != nil {
		return ConnProgramme{}, err
	}
	p.ID, p.UpdatedAt = id, tx.Now()
	if other, ok := lookupOther(tx, bktConnProgsByName, text.Fold(p.Name), id); ok {
		return ConnProgramme{}, fmt.Errorf("programme name %q belongs to programme %d: %w", p.Name, other, ErrExists)
	}
	if err := reindex(tx, id, progEntries(old), progEntries(p)); err != nil {
		return ConnProgramme{}, err
	}
	return p, putJSON(tx.bucket(bktConnProgs), itob(id), p)
}

// Programme returns the programme with id.
func (c Connections) Programme(id uint64) (ConnProgramme, error) {
	p, err := getByID[ConnProgramme](c.tx, bktConnProgs, id)
	if err != nil {
		return ConnProgramme{}, fmt.Errorf("get programme %d: %w", id, err)
	}
	return p, nil
}

// ProgrammeByName returns the programme called name (text.Fold).
func (c Connections) ProgrammeByName(name string) (ConnProgramme, error) {
	ids := lookup(c.tx, bktConnProgsByName, text.Fold(name))
	if len(ids) == 0 || text.Fold(name) == "" {
		return ConnProgramme{}, fmt.Errorf("programme %q: %w", name, ErrNotFound)
	}
	return c.Programme(ids[0])
}

// Programmes returns every programme, oldest first.
func (c Connections) Programmes() ([]ConnProgramme, error) {
	ps, err := getAll[ConnProgramme](c.tx, bktConnProgs)
	if err != nil {
		return nil, fmt.Errorf("list programmes: %w", err)
	}
	return ps, nil
}
