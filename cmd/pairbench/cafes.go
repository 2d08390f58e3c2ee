package main

import (
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/soudan/soudan/handlers/connections/pairing"
)

// compareCafes runs rounds of junior cafés (groups of three or four,
// cross-department, at least one member of 8 years or more per group, no
// repeat within the cooldown) on an organisation of n people, with the
// matcher and with a shuffle cut into groups (what an organiser does by
// hand), and prints one row per strategy. A café is for young staff: a
// quarter of the participants are seniors (8-30 years), the rest joined
// in the last 7 years, so the seniors just suffice for one a group.
func compareCafes(w io.Writer, n, rounds, cooldown int, seed uint64, depts int) error {
	org := newOrganisation(n, seed, depts)
	r := rand.New(rand.NewPCG(seed, 56))
	for i := range org.people {
		if i%4 == 0 {
			org.people[i].JoinYear = 2026 - 8 - r.IntN(23)
		} else {
			org.people[i].JoinYear = 2026 - r.IntN(8)
		}
	}
	rules := pairing.Rules{Size: pairing.Cafes, CrossDepartment: true, SeniorYears: 8, Cooldown: cooldown}
	fmt.Fprintf(w, "junior cafés: %d people, %s, %d rounds, groups of 3-4, cross-department, a member of 8+ years per group, cooldown %d\n\n",
		n, deptsLabel(depts), rounds, cooldown)
	fmt.Fprintln(w, "| strategy | groups | groups without a senior | pairs within a department | pairs repeated within cooldown | groups outside 3-4 | left out | relaxed |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, s := range []struct {
		name string
		form func(pairing.Input) (groups [][]pairing.ID, left, relaxed int, err error)
	}{
		{"shuffle, cut into groups", shuffleGroups},
		{"blossom (Pair), cafés", func(in pairing.Input) ([][]pairing.ID, int, int, error) {
			res, err := pairing.Pair(in)
			var groups [][]pairing.ID
			for _, g := range res.Groups {
				groups = append(groups, g.Members)
			}
			return groups, len(res.LeftOut), len(res.Relaxed), err
		}},
	} {
		var history pairing.History
		last := map[[2]pairing.ID]int{}
		person := map[pairing.ID]pairing.Person{}
		for _, p := range org.people {
			person[p.ID] = p
		}
		var groups, noSenior, sameDept, repeats, badSize, left, relaxed int
		for round := 1; round <= rounds; round++ {
			in := pairing.Input{People: org.people, History: history, Rules: rules, Round: round, Year: 2026, Seed: seed*1000 + uint64(round)}
			formed, out, rel, err := s.form(in)
			if err != nil {
				return err
			}
			left += out
			relaxed += rel
			for _, g := range formed {
				groups++
				if len(g) < 3 || len(g) > 4 {
					badSize++
				}
				senior := false
				for i, a := range g {
					senior = senior || 2026-person[a].JoinYear >= 8
					for _, b := range g[i+1:] {
						k := [2]pairing.ID{min(a, b), max(a, b)}
						if person[a].Department == person[b].Department {
							sameDept++
						}
						if l, ok := last[k]; ok && round-l <= cooldown {
							repeats++
						}
						last[k] = round
					}
				}
				if !senior {
					noSenior++
				}
				history.Groups = append(history.Groups, pairing.PastGroup{Round: round, Members: g, Met: true})
			}
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %d | %d |\n", s.name, groups, noSenior, sameDept, repeats, badSize, left, relaxed)
	}
	return nil
}

// shuffleGroups shuffles the people and cuts the list into groups of
// four, the last ones three, knowing no rules.
func shuffleGroups(in pairing.Input) ([][]pairing.ID, int, int, error) {
	r := rand.New(rand.NewPCG(in.Seed, 34))
	ids := make([]pairing.ID, len(in.People))
	for i, p := range in.People {
		ids[i] = p.ID
	}
	r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	n := len(ids)
	count := (n + 3) / 4
	var groups [][]pairing.ID
	for g := range count {
		lo, hi := g*n/count, (g+1)*n/count
		groups = append(groups, ids[lo:hi])
	}
	return groups, 0, 0, nil
}
