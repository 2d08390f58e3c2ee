package pairing

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

var depts = []string{"総務課", "財政課", "税務課", "福祉課", "土木課", "教育委員会"}

// organisation draws n people over a few departments, join years,
// postings and languages.
func organisation(r *rand.Rand, n int) []Person {
	people := make([]Person, n)
	for i := range people {
		p := Person{
			ID:         ID(fmt.Sprintf("U%03d", i)),
			Department: depts[r.IntN(len(depts))],
			JoinYear:   1990 + r.IntN(36),
			Posting:    []string{"本庁", "北支所", "南支所"}[r.IntN(3)],
			Languages:  []string{"ja"},
		}
		if r.IntN(5) == 0 {
			p.Languages = append(p.Languages, "en")
		}
		if r.IntN(3) == 0 {
			p.Topics = []string{"子育て", "DX", "防災"}[:1+r.IntN(3)]
		}
		people[i] = p
	}
	return people
}

// members returns who is in a group or left out, and fails if anyone is
// twice, missing or unknown.
func checkPartition(t *testing.T, in Input, res Result) {
	t.Helper()
	seen := map[ID]int{}
	for _, g := range res.Groups {
		for _, id := range g.Members {
			seen[id]++
		}
	}
	for _, l := range res.LeftOut {
		seen[l.ID]++
	}
	for _, p := range in.People {
		if seen[p.ID] != 1 {
			t.Fatalf("%s appears %d times in groups and left out, want once", p.ID, seen[p.ID])
		}
		delete(seen, p.ID)
	}
	if len(seen) > 0 {
		t.Fatalf("unknown people in the result: %v", seen)
	}
}

// checkRules fails if a group breaks a hard rule other than by a
// relaxation that Relaxed names for one of the two.
func checkRules(t *testing.T, in Input, res Result) {
	t.Helper()
	relaxed := map[ID]Relaxation{}
	for _, x := range res.Relaxed {
		relaxed[x.ID] = x.Relaxation
	}
	dept := map[ID]string{}
	for _, p := range in.People {
		dept[p.ID] = p.Department
	}
	last := map[[2]ID]int{}
	for _, g := range in.History.Groups {
		for _, a := range g.Members {
			for _, b := range g.Members {
				if g.Round > last[[2]ID{a, b}] {
					last[[2]ID{a, b}] = g.Round
				}
			}
		}
	}
	for _, g := range res.Groups {
		for i, a := range g.Members {
			for _, b := range g.Members[i+1:] {
				if slices.Contains(in.Rules.Avoid[a], b) || slices.Contains(in.Rules.Avoid[b], a) {
					t.Fatalf("group %v holds %s and %s, whom a confidential list keeps apart", g.Members, a, b)
				}
				level := max(relaxed[a], relaxed[b])
				if l, ok := last[[2]ID{a, b}]; ok && in.Rules.Cooldown > 0 {
					since := in.Round - l
					if since <= in.Rules.Cooldown/2 || since <= in.Rules.Cooldown && level < CooldownHalved {
						t.Fatalf("group %v repeats %s-%s of round %d in round %d (cooldown %d, relaxed %v)", g.Members, a, b, l, in.Round, in.Rules.Cooldown, level)
					}
				}
				if in.Rules.CrossDepartment && dept[a] != "" && dept[a] == dept[b] && level < SameDepartmentAllowed {
					t.Fatalf("n %d size %d: group %v holds %s and %s of %s without a relaxation", len(in.People), in.Rules.Size, g.Members, a, b, dept[a])
				}
			}
		}
	}
}

func TestPairRandomRounds(t *testing.T) {
	seeds := 300
	if testing.Short() {
		seeds = 60
	}
	for seed := range seeds {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		n := 1 + r.IntN(40)
		in := Input{People: organisation(r, n), Round: 10, Year: 2026, Seed: uint64(seed)}
		in.Rules = Rules{
			Size:            []Size{Pairs, Pairs, Cafes}[seed%3],
			AllowThree:      seed%2 == 0,
			CrossDepartment: seed%4 != 0,
			Cooldown:        []int{0, 2, 6}[seed%3],
			SeniorYears:     []int{0, 8}[seed%2],
			Avoid:           map[ID][]ID{},
		}
		for range n / 3 {
			a, b := in.People[r.IntN(n)].ID, in.People[r.IntN(n)].ID
			in.Rules.Avoid[a] = append(in.Rules.Avoid[a], b)
		}
		for round := 1; round < 10; round++ {
			perm := r.Perm(n)
			for i := 0; i+1 < len(perm); i += 2 {
				in.History.Groups = append(in.History.Groups, PastGroup{Round: round, Members: []ID{in.People[perm[i]].ID, in.People[perm[i+1]].ID}, Met: r.IntN(4) > 0})
			}
		}
		res, err := Pair(in)
		if err != nil {
			t.Fatal(err)
		}
		checkPartition(t, in, res)
		checkRules(t, in, res)
		again, _ := Pair(in)
		if !reflect.DeepEqual(res, again) {
			t.Fatalf("seed %d: two runs on one input differ", seed)
		}
		for _, g := range res.Groups {
			size := len(g.Members)
			var bad bool
			if in.Rules.Size == Cafes {
				// A café below three only when five people cannot make two
				// groups of three, or the rules left someone out.
				bad = size > 4 || size < 3 && n != 5 && len(res.LeftOut) == 0 || size < 2
			} else {
				bad = size < 2 || size > 3 || size == 3 && !in.Rules.AllowThree
			}
			if bad {
				t.Fatalf("seed %d n %d size %d AllowThree %v: a group of %d (left out %v)", seed, n, in.Rules.Size, in.Rules.AllowThree, size, res.LeftOut)
			}
			inRange := size == 2 || size == 3 && in.Rules.AllowThree
			if in.Rules.Size == Cafes {
				inRange = size == 3 || size == 4
			}
			if g.Checks[0].Rule != RuleSize || g.Checks[0].Met != inRange {
				t.Fatalf("seed %d: group of %d has size check %+v", seed, size, g.Checks[0])
			}
		}
		for _, base := range []func(Input) (Result, error){Shuffle, Greedy} {
			res, err := base(in)
			if err != nil {
				t.Fatal(err)
			}
			checkPartition(t, in, res)
		}
	}
}
