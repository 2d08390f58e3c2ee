package pairing

// ID identifies a person within a programme (the feature's user id).
type ID string

// Person is one participant of a round, from their profile.
type Person struct {
	ID         ID
	Department string // canonical department name; "" when unknown
	JoinYear   int    // year the person joined the organisation; 0 when unknown
	Posting    string // current posting or office
	Languages  []string
	Topics     []string
}

// PastGroup is one group formed in an earlier round.
type PastGroup struct {
	Round   int // rounds are numbered from 1; a group of round 0 or less is ignored
	Members []ID
	// Met is whether the group reported that it met (会えた). A group that
	// did not meet still counts for the cooldown (they were introduced),
	// but "never met" stays true for the weights.
	Met bool
}

// History is a programme's past groups, in any order, and who was left
// out when.
type History struct {
	Groups []PastGroup
	// LeftOut is the last round each person was left out (as the odd
	// one or for want of a partner). Whoever was left out recently
	// weighs more in every pair, so the odd one rotates instead of
	// falling on whoever has the weakest pairs.
	LeftOut map[ID]int
}

// Size is the group size a programme wants.
type Size int

const (
	// Pairs forms groups of two (coffee pairs).
	Pairs Size = 2
	// Cafes forms groups of three or four (junior cafés).
	Cafes Size = 34
)

// Rules are a programme's rules. The zero value pairs anyone with anyone.
type Rules struct {
	Size Size // Pairs (or 0) or Cafes
	// AllowThree lets the odd person of a Pairs round join a pair as a
	// third instead of being left out.
	AllowThree bool
	// CrossDepartment forbids two people of one department in a group
	// (people with no department are treated as their own department).
	CrossDepartment bool
	// SeniorYears, when > 0, asks for a mix of seniority: every group
	// should have at least one member of SeniorYears years or more. For
	// Cafes it is kept by the local search wherever the seniors suffice;
	// for Pairs it weights junior-senior pairs up (a pair rule that would
	// starve half the juniors is not a hard rule).
	SeniorYears int
	// Cooldown forbids pairing two people again within that many rounds
	// of their last group: met in round r, they may meet again from
	// round r+Cooldown+1. 0 allows repeats (weighted down).
	Cooldown int
	// Avoid is each member's confidential "don't pair me with" list. It
	// holds in both directions and is never relaxed.
	Avoid map[ID][]ID
}

// Input is everything one round depends on.
type Input struct {
	People  []Person
	History History
	Rules   Rules
	Round   int    // the round being formed; History holds earlier rounds
	Year    int    // the current year, for seniority (Year - JoinYear)
	Seed    uint64 // breaks ties: the same seed gives the same groups
	// Candidates, when > 0, limits each person's edges to the
	// Candidates heaviest among a random sample of partners plus a few
	// random ones (a sparse graph), and matches the round in one graph.
	// 0 chooses: the complete graph up to DenseLimit people; past that,
	// blocks of about a thousand people, each on the sparse graph of
	// SparseCandidates per person, and then their singles together.
	Candidates int
}

// DenseLimit is the largest round matched on the complete graph when
// Input.Candidates is 0; SparseCandidates the candidates per person of
// the sparse graph past it.
const (
	DenseLimit       = 2000
	SparseCandidates = 24
)

// ReasonCode says why a group was formed the way it was.
type ReasonCode string

// The reasons a pair within a group scored.
const (
	ReasonNeverMet       ReasonCode = "never_met"    // never grouped, or grouped but never met
	ReasonMetLongAgo     ReasonCode = "met_long_ago" // last met Rounds rounds ago
	ReasonOtherDept      ReasonCode = "other_department"
	ReasonSeniorityGap   ReasonCode = "seniority_gap" // Years apart, and the programme wants a mix
	ReasonSharedLanguage ReasonCode = "shared_language"
	ReasonOtherPosting   ReasonCode = "other_posting"
	ReasonSharedTopics   ReasonCode = "shared_topics"
	ReasonLeftOutBefore  ReasonCode = "left_out_before" // A was left out Rounds rounds ago
)

// Reason is one scored factor between two members of a group.
type Reason struct {
	Code   ReasonCode
	A, B   ID
	Weight int64 // what the factor added to the pair's weight
	Rounds int   // ReasonMetLongAgo: rounds since they were last grouped
	Years  int   // ReasonSeniorityGap: years of seniority apart
	Count  int   // ReasonSharedTopics: how many topics they share
}

// Rule names a programme rule in checks and the report.
type Rule string

// The rules a preview reports on.
const (
	RuleSize            Rule = "size"
	RuleCrossDepartment Rule = "cross_department"
	RuleSeniority       Rule = "seniority"
	RuleCooldown        Rule = "cooldown"
	RuleAvoid           Rule = "avoid" // the confidential lists: never names who asked
)

// Check is whether one group kept one rule.
type Check struct {
	Rule Rule
	Met  bool // the rule as the programme states it holds for the group
	// Relaxed: the rule does not hold, but only because it was relaxed
	// for a member who would otherwise have had no group (Result.Relaxed).
	Relaxed bool
}

// Group is one group of the round.
type Group struct {
	Members []ID // sorted by the order of Input.People
	Weight  int64
	Reasons []Reason
	Checks  []Check // one per rule the programme has
}

// LeftOutReason says why a person is in no group.
type LeftOutReason string

const (
	// ReasonOdd: an odd number of people and no group of three allowed.
	ReasonOdd LeftOutReason = "odd"
	// ReasonNoPartner: the rules leave the person no free partner, even
	// after every relaxation (the confidential lists are never relaxed).
	ReasonNoPartner LeftOutReason = "no_partner"
	// ReasonTooFew: fewer people than the smallest group.
	ReasonTooFew LeftOutReason = "too_few"
)

// LeftOut is a person in no group, and why.
type LeftOut struct {
	ID     ID
	Reason LeftOutReason
}

// Relaxation is a rule loosened for one person who would otherwise be
// starved of partners. They are tried in this order.
type Relaxation int

const (
	NoRelaxation          Relaxation = iota
	CooldownHalved                   // the cooldown halved (rounded down) for this person
	SameDepartmentAllowed            // cooldown halved and same department allowed
)

// Relaxed is a person who needed a relaxation to be grouped.
type Relaxed struct {
	ID         ID
	Relaxation Relaxation
}

// RuleReport is one rule over the whole round, for the preview.
type RuleReport struct {
	Rule    Rule
	Met     int // groups that keep the rule
	Relaxed int // groups that break it under a stated relaxation
	Unmet   int // groups that break it otherwise (e.g. too few seniors)
}

// Result is one round's outcome.
type Result struct {
	Groups  []Group
	LeftOut []LeftOut
	Relaxed []Relaxed
	Report  []RuleReport
	Weight  int64 // sum of the groups' weights
}
