package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/soudan/soudan/handlers/connections/pairing"
)

type strategy struct {
	name string
	pair func(pairing.Input) (pairing.Result, error)
	// silent: the tool says nothing to the people it leaves out.
	silent bool
}

var strategies = []strategy{
	{"shuffle (Icebreaker)", pairing.Shuffle, true},
	{"greedy", pairing.Greedy, false},
	{"blossom (Pair)", pairing.Pair, false},
}

// stats are one strategy's figures over all rounds.
type stats struct {
	rounds       int
	pairs, cross int // pairs within groups, and those across departments
	repeats      int
	left         []int
	leftMax      int
	leftMostOne  int // the most rounds one person was left out
	silent       int
	relaxed      int
	partnersMean float64
	partnersMin  int
	elapsed      time.Duration
}

func (s stats) crossShare() float64 { return float64(s.cross) / float64(max(1, s.pairs)) }

func (s stats) leftMean() float64 {
	sum := 0
	for _, l := range s.left {
		sum += l
	}
	return float64(sum) / float64(max(1, len(s.left)))
}

func (s stats) perRound() string {
	d := s.elapsed / time.Duration(max(1, s.rounds))
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// simulate runs rounds of one strategy on an organisation. Who takes
// part each round depends on the seed only, so the strategies face the
// same rounds.
func simulate(org organisation, s strategy, rounds, cooldown int, skip float64, seed uint64) (stats, error) {
	r := rand.New(rand.NewPCG(seed, 26))
	dept := map[pairing.ID]string{}
	for _, p := range org.people {
		dept[p.ID] = p.Department
	}
	type pair struct{ a, b pairing.ID }
	key := func(a, b pairing.ID) pair {
		if a > b {
			a, b = b, a
		}
		return pair{a, b}
	}
	last := map[pair]int{}
	partners := map[pairing.ID]map[pairing.ID]bool{}
	var st stats
	history := pairing.History{LeftOut: map[pairing.ID]int{}}
	leftTimes := map[pairing.ID]int{}
	for round := 1; round <= rounds; round++ {
		var people []pairing.Person
		for _, p := range org.people {
			if r.Float64() >= skip {
				people = append(people, p)
			}
		}
		in := pairing.Input{
			People: people, History: history, Round: round, Year: 2026, Seed: seed*1000 + uint64(round),
			Rules: pairing.Rules{Size: pairing.Pairs, CrossDepartment: true, Cooldown: cooldown},
		}
		start := time.Now()
		res, err := s.pair(in)
		st.elapsed += time.Since(start)
		if err != nil {
			return st, fmt.Errorf("%s round %d: %w", s.name, round, err)
		}
		st.rounds++
		grouped := 0
		for _, g := range res.Groups {
			grouped += len(g.Members)
			for i, a := range g.Members {
				for _, b := range g.Members[i+1:] {
					st.pairs++
					if dept[a] != dept[b] {
						st.cross++
					}
					if l, ok := last[key(a, b)]; ok && round-l <= cooldown {
						st.repeats++
					}
					last[key(a, b)] = round
					for _, x := range [][2]pairing.ID{{a, b}, {b, a}} {
						if partners[x[0]] == nil {
							partners[x[0]] = map[pairing.ID]bool{}
						}
						partners[x[0]][x[1]] = true
					}
				}
			}
			history.Groups = append(history.Groups, pairing.PastGroup{Round: round, Members: g.Members, Met: true})
		}
		left := len(people) - grouped
		if left != len(res.LeftOut) {
			return st, fmt.Errorf("%s round %d: %d people in no group but %d reported left out", s.name, round, left, len(res.LeftOut))
		}
		st.left = append(st.left, left)
		st.leftMax = max(st.leftMax, left)
		if s.silent {
			st.silent += left
		}
		st.relaxed += len(res.Relaxed)
		for _, l := range res.LeftOut {
			history.LeftOut[l.ID] = round
			leftTimes[l.ID]++
			st.leftMostOne = max(st.leftMostOne, leftTimes[l.ID])
		}
	}
	st.partnersMin = -1
	sum := 0
	for _, p := range org.people {
		c := len(partners[p.ID])
		sum += c
		if st.partnersMin == -1 || c < st.partnersMin {
			st.partnersMin = c
		}
	}
	st.partnersMean = float64(sum) / float64(len(org.people))
	return st, nil
}
