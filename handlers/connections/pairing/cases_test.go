package pairing

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// people builds people from "id/department/joinYear" (the last parts
// optional).
func people(specs ...string) []Person {
	var out []Person
	for _, s := range specs {
		parts := strings.Split(s, "/")
		p := Person{ID: ID(parts[0])}
		if len(parts) > 1 {
			p.Department = parts[1]
		}
		if len(parts) > 2 {
			p.JoinYear, _ = strconv.Atoi(parts[2])
		}
		out = append(out, p)
	}
	return out
}

func mustPair(t *testing.T, in Input) Result {
	t.Helper()
	res, err := Pair(in)
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, in, res)
	checkRules(t, in, res)
	return res
}

func groupsOf(res Result) [][]ID {
	var out [][]ID
	for _, g := range res.Groups {
		m := slices.Clone(g.Members)
		slices.Sort(m)
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b []ID) int { return slices.Compare(a, b) })
	return out
}

func TestPairOddPerson(t *testing.T) {
	in := Input{People: people("a/総務", "b/財政", "c/税務", "d/福祉", "e/土木"), Seed: 3}
	res := mustPair(t, in)
	if len(res.Groups) != 2 || len(res.LeftOut) != 1 || res.LeftOut[0].Reason != ReasonOdd {
		t.Fatalf("five people in pairs: got %v left %v, want two pairs and one odd", groupsOf(res), res.LeftOut)
	}
	in.Rules.AllowThree = true
	res = mustPair(t, in)
	sizes := []int{len(res.Groups[0].Members), len(res.Groups[1].Members)}
	slices.Sort(sizes)
	if len(res.LeftOut) != 0 || !slices.Equal(sizes, []int{2, 3}) {
		t.Fatalf("five people, threes allowed: got %v left %v, want a pair and a three", groupsOf(res), res.LeftOut)
	}
}

func TestPairTooFew(t *testing.T) {
	res := mustPair(t, Input{People: people("a")})
	if len(res.Groups) != 0 || len(res.LeftOut) != 1 || res.LeftOut[0].Reason != ReasonTooFew {
		t.Fatalf("one person: got %+v", res)
	}
	res = mustPair(t, Input{People: people("a", "b"), Rules: Rules{Size: Cafes}})
	if len(res.Groups) != 0 || len(res.LeftOut) != 2 || res.LeftOut[1].Reason != ReasonTooFew {
		t.Fatalf("two people in cafés: got %+v", res)
	}
	res = mustPair(t, Input{})
	if len(res.Groups) != 0 || len(res.LeftOut) != 0 {
		t.Fatalf("nobody: got %+v", res)
	}
}

func TestPairErrors(t *testing.T) {
	for _, in := range []Input{
		{People: people("a", "a")},
		{People: []Person{{ID: ""}, {ID: "b"}}},
		{People: people("a", "b"), Rules: Rules{Size: 5}},
		{People: people("a", "b"), Rules: Rules{Cooldown: -1}},
	} {
		if _, err := Pair(in); err == nil {
			t.Errorf("Pair(%+v) succeeded, want an error", in)
		}
	}
}

func TestPairRelaxesSameDepartmentForTheStarved(t *testing.T) {
	// Four in 総務課, one in 財政課: cross-department pairs only one of
	// them; the others need the same department allowed.
	in := Input{People: people("a/総務課", "b/総務課", "c/総務課", "d/総務課", "e/財政課", "f/財政課"), Rules: Rules{CrossDepartment: true}}
	res := mustPair(t, in)
	if len(res.LeftOut) != 0 {
		t.Fatalf("left out %v, want everyone paired after relaxing", res.LeftOut)
	}
	relaxed := 0
	for _, x := range res.Relaxed {
		if x.Relaxation != SameDepartmentAllowed {
			t.Errorf("%s relaxed by %v, want SameDepartmentAllowed", x.ID, x.Relaxation)
		}
		relaxed++
	}
	// 総務 pairs: the two 財政 take two 総務, the other two pair together.
	if relaxed != 2 {
		t.Fatalf("relaxed %v, want the two 総務課 people paired together", res.Relaxed)
	}
	var report RuleReport
	for _, rr := range res.Report {
		if rr.Rule == RuleCrossDepartment {
			report = rr
		}
	}
	if report != (RuleReport{Rule: RuleCrossDepartment, Met: 2, Relaxed: 1}) {
		t.Fatalf("cross-department report %+v, want 2 met and 1 relaxed", report)
	}
}

func TestPairCooldown(t *testing.T) {
	history := func(round int) History {
		return History{Groups: []PastGroup{{Round: round, Members: []ID{"a", "b"}}}}
	}
	in := Input{People: people("a", "b"), Round: 10, Rules: Rules{Cooldown: 4}}
	in.History = history(7) // 3 rounds ago: within 4, past half of it
	res := mustPair(t, in)
	if len(res.Groups) != 1 || len(res.Relaxed) != 2 || res.Relaxed[0].Relaxation != CooldownHalved {
		t.Fatalf("met 3 rounds ago, cooldown 4: got %v relaxed %v, want paired with the cooldown halved", groupsOf(res), res.Relaxed)
	}
	if c := res.Groups[0].Checks[1]; c != (Check{Rule: RuleCooldown, Relaxed: true}) {
		t.Fatalf("cooldown check %+v, want broken under a relaxation", c)
	}
	in.History = history(9) // last round: within half the cooldown
	res = mustPair(t, in)
	if len(res.Groups) != 0 || len(res.LeftOut) != 2 || res.LeftOut[0].Reason != ReasonNoPartner {
		t.Fatalf("met last round, cooldown 4: got %v left %v, want both left out with no partner", groupsOf(res), res.LeftOut)
	}
	in.History = history(5) // 5 rounds ago: past the cooldown
	res = mustPair(t, in)
	if len(res.Groups) != 1 || len(res.Relaxed) != 0 || !res.Groups[0].Checks[1].Met {
		t.Fatalf("met 5 rounds ago, cooldown 4: got %+v", res)
	}
}

func TestPairAvoidIsNeverRelaxed(t *testing.T) {
	in := Input{People: people("a", "b"), Rules: Rules{Avoid: map[ID][]ID{"b": {"a"}}}}
	res := mustPair(t, in)
	if len(res.Groups) != 0 || len(res.LeftOut) != 2 {
		t.Fatalf("two people, one avoiding the other: got %v", groupsOf(res))
	}
	in = Input{People: people("a", "b", "c", "d"), Rules: Rules{Avoid: map[ID][]ID{"b": {"a"}, "c": {"d"}}}}
	for seed := range uint64(40) {
		in.Seed = seed
		res := mustPair(t, in)
		if len(res.Groups) != 2 {
			t.Fatalf("seed %d: %v, want two pairs", seed, groupsOf(res))
		}
		for _, g := range res.Groups {
			if g.Checks[len(g.Checks)-1] != (Check{Rule: RuleAvoid, Met: true}) {
				t.Fatalf("seed %d: avoid check %+v", seed, g.Checks)
			}
		}
	}
}

func TestPairPrefersThoseWhoHaveNotMet(t *testing.T) {
	in := Input{People: people("a", "b", "c", "d"), Round: 5, History: History{Groups: []PastGroup{
		{Round: 4, Members: []ID{"a", "b"}, Met: true}, {Round: 4, Members: []ID{"c", "d"}, Met: true}, {Round: 1, Members: []ID{"a", "c"}, Met: true},
	}}}
	for seed := range uint64(20) {
		in.Seed = seed
		got := fmt.Sprint(groupsOf(mustPair(t, in)))
		if got != "[[a d] [b c]]" {
			t.Fatalf("seed %d: got %s, want [[a d] [b c]] (never met)", seed, got)
		}
	}
}

func TestPairSeedBreaksTies(t *testing.T) {
	in := Input{People: people("a", "b", "c", "d", "e", "f", "g", "h")}
	seen := map[string]bool{}
	for seed := range uint64(30) {
		in.Seed = seed
		seen[fmt.Sprint(groupsOf(mustPair(t, in)))] = true
	}
	if len(seen) < 5 {
		t.Fatalf("30 seeds over eight equal people gave %d pairings, want the seed to vary them", len(seen))
	}
}

func TestCafesHaveASeniorEach(t *testing.T) {
	for seed := range uint64(30) {
		r := rand.New(rand.NewPCG(seed, 8))
		var ps []Person
		for i := range 14 {
			year := 2020 + r.IntN(5) // juniors
			if i%4 == 0 {
				year = 1995 + r.IntN(10) // four seniors, for four groups
			}
			ps = append(ps, Person{ID: ID(fmt.Sprintf("p%02d", i)), Department: depts[r.IntN(len(depts))], JoinYear: year})
		}
		in := Input{People: ps, Year: 2026, Seed: seed, Rules: Rules{Size: Cafes, SeniorYears: 8, CrossDepartment: true}}
		res := mustPair(t, in)
		if len(res.Groups) != 4 || len(res.LeftOut) != 0 {
			t.Fatalf("seed %d: 14 people in %d groups, left %v; want 4 groups (4,4,3,3)", seed, len(res.Groups), res.LeftOut)
		}
		for _, g := range res.Groups {
			for _, c := range g.Checks {
				if c.Rule == RuleSeniority && !c.Met {
					t.Fatalf("seed %d: group %v has no senior, with four seniors for four groups", seed, g.Members)
				}
			}
		}
	}
}

// TestPairIsTheHeaviestMatching checks the whole path (weights, edges,
// the matching) against brute force: with no rules, the pairs' weight
// is the heaviest of the matchings that pair the most people.
func TestPairIsTheHeaviestMatching(t *testing.T) {
	for seed := range 200 {
		r := rand.New(rand.NewPCG(uint64(seed), 9))
		n := 2 + r.IntN(9)
		in := Input{People: organisation(r, n), Round: 6, Year: 2026, Seed: uint64(seed), Rules: Rules{SeniorYears: 8}}
		for range n {
			a, b := in.People[r.IntN(n)].ID, in.People[r.IntN(n)].ID
			if a != b {
				in.History.Groups = append(in.History.Groups, PastGroup{Round: 1 + r.IntN(5), Members: []ID{a, b}, Met: r.IntN(3) > 0})
			}
		}
		res := mustPair(t, in)
		rd, _ := newRound(in)
		var edges []Edge
		var sum int64
		for u := range n {
			for v := u + 1; v < n; v++ {
				edges = append(edges, Edge{u, v, rd.weight(u, v, nil)})
			}
		}
		want, _ := bruteForce(n, edges, true)
		for _, g := range res.Groups {
			var reasons int64
			for _, x := range g.Reasons {
				reasons += x.Weight
			}
			if reasons+weightBase != g.Weight {
				t.Fatalf("seed %d: group %v weight %d, reasons add to %d + base %d", seed, g.Members, g.Weight, reasons, weightBase)
			}
			sum += g.Weight
		}
		if res.Weight != want || sum != want {
			t.Fatalf("seed %d n %d: weight %d (groups %d), brute force %d", seed, n, res.Weight, sum, want)
		}
	}
}

func TestPairOddOneRotates(t *testing.T) {
	in := Input{People: people("a/総務", "b/財政", "c/税務", "d/福祉", "e/土木"), History: History{LeftOut: map[ID]int{}}}
	times := map[ID]int{}
	for round := 1; round <= 5; round++ {
		in.Round, in.Seed = round, 7 // one seed: only the history moves the odd one
		res := mustPair(t, in)
		if len(res.LeftOut) != 1 {
			t.Fatalf("round %d: left out %v, want one", round, res.LeftOut)
		}
		odd := res.LeftOut[0].ID
		times[odd]++
		in.History.LeftOut[odd] = round
		for _, g := range res.Groups {
			in.History.Groups = append(in.History.Groups, PastGroup{Round: round, Members: g.Members})
		}
	}
	for _, p := range in.People {
		if times[p.ID] != 1 {
			t.Fatalf("left out over five rounds: %v, want each once", times)
		}
	}
}

func TestPairGroupedButNotMet(t *testing.T) {
	// a and b were introduced in round 8 but did not meet (会えなかった);
	// everyone else but c-d met in rounds 2 and 3. The cooldown keeps a
	// and b apart for now; later, a-b counts as never met, like c-d.
	in := Input{People: people("a", "b", "c", "d"), Round: 10, Rules: Rules{Cooldown: 4}, History: History{Groups: []PastGroup{
		{Round: 8, Members: []ID{"a", "b"}},
		{Round: 2, Members: []ID{"a", "c"}, Met: true}, {Round: 2, Members: []ID{"b", "d"}, Met: true},
		{Round: 3, Members: []ID{"a", "d"}, Met: true}, {Round: 3, Members: []ID{"b", "c"}, Met: true},
	}}}
	if got := fmt.Sprint(groupsOf(mustPair(t, in))); got == "[[a b] [c d]]" {
		t.Fatalf("round 10: got %s, a and b within the cooldown", got)
	}
	in.Round = 13
	res := mustPair(t, in)
	if got := fmt.Sprint(groupsOf(res)); got != "[[a b] [c d]]" {
		t.Fatalf("round 13: got %s, want [[a b] [c d]] (a-b never met)", got)
	}
	for _, g := range res.Groups {
		if g.Members[0] == "a" && (len(g.Reasons) == 0 || g.Reasons[0].Code != ReasonNeverMet) {
			t.Fatalf("a-b reasons %+v, want never met first", g.Reasons)
		}
	}
}
