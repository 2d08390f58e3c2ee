// Package pairing forms the groups of a connections programme: coffee
// pairs across bureaus, junior cafés of three or four, exchange meetings
// of new hires. It is a pure function with no clock, store or randomness
// of its own: people, their history, the programme's rules and a seed go
// in; groups, the people left out with the reason, the relaxations that
// were needed and a per-rule report come out. The same input gives the
// same output, so a preview and the run that follows it agree.
//
// # How the feature uses it
//
// The connections feature (handlers/connections) reads, in one
// transaction, the members of a programme who take part this round
// (joined, not paused, not skipping), their profiles, the programme's
// past groups (with whether each reported that it met), the round each member was last left out (History.LeftOut,
// so that the odd one rotates) and the confidential "don't pair me with"
// lists, and calls
//
//	res, err := pairing.Pair(pairing.Input{
//		People:  people,
//		History: history,
//		Rules:   programme.Rules,
//		Round:   round,      // the round being formed, after every round in History
//		Year:    now.Year(), // seniority is Year - JoinYear
//		Seed:    seed,       // e.g. a hash of the programme id and the round
//	})
//
// A preview renders res (Groups with their Reasons and Checks, LeftOut,
// Relaxed, Report) without saving anything; a run saves res.Groups as the
// round's groups and sends one introduction per group and one DM per
// LeftOut entry, so nobody is left out silently. Reasons, checks and
// left-out reasons are codes, not text: the feature localises them. No
// part of the result says whose confidential list kept two people apart,
// only that the rule held.
//
// # The matcher
//
// Hard rules (cross-department, cooldown, the confidential lists) remove
// edges from the graph of possible pairs; soft preferences weight the
// rest (never met, met long ago, other department, a seniority gap where
// the programme wants a mix, a shared language, a different posting,
// shared topics). A maximum-weight matching among the maximum-cardinality
// matchings of that general graph (Edmonds' blossom algorithm, MaxWeightMatching)
// gives the pairs, so nobody is left out while a pair could still be
// formed. An odd person joins a pair as a third when the programme allows
// groups of three, or is left out with ReasonOdd. When the rules starve
// someone, they are relaxed for that person only, in a stated order
// (cooldown halved, then same department allowed), and Result.Relaxed says
// which relaxation each person needed. Cafés of three or four merge the
// pairs on their joint weight (a second matching, on pairs) and improve
// the groups by a local search of moves and swaps that keep the rules.
//
// Up to DenseLimit people the matching is on the complete graph (1,170
// people: about half a second); past it, on blocks of a thousand people,
// each on a sparse graph of their best candidates, and then the blocks'
// singles together (30,000 people: a few seconds). The measurements are
// in docs/measurements/2026-12-07-pairing.md.
//
// AssignMentors is the mentor programme's proposal: new hires and
// mentors with capacities in, the assignment that gives the most new
// hires a mentor of another department and then matches wishes and
// languages best out, as a matching on the same blossom code with each
// mentor's free places as vertices.
//
// Shuffle and Greedy are the baselines the matcher is measured against
// (cmd/pairbench): the Teams Icebreaker template's shuffled neighbours,
// and the heaviest allowed edge first.
//
// The package is a leaf: it imports only the standard library.
package pairing
