// Command pairbench measures the connections matcher
// (handlers/connections/pairing) against two baselines on synthetic
// organisations over many rounds of a coffee-pair programme:
//
//	go run ./cmd/pairbench -sizes 50,1170 -rounds 26
//	go run ./cmd/pairbench -sparse 1000
//	go run ./cmd/pairbench -blocks 5000
//	go run ./cmd/pairbench -cafes 56 -rounds 3 -cooldown 2
//
// The baselines are the Teams Icebreaker template (a shuffled list,
// neighbours paired, the odd person dropped without a word) and a greedy
// matcher (the matcher's rules and weights, heaviest edge first). Each
// round, every member takes part unless they skip it (one in ten, at
// random, as members pause and skip); the three strategies see the same
// people each round and keep their own history. The table gives, per
// organisation and strategy: repeats within the cooldown (target 0),
// the share of pairs across departments, people left out per round
// (target: none silently, at most the one odd person), distinct partners
// per person after the last round, and the time of a round.
//
// -sparse N compares, on rounds of N people with a history, the weight
// of the sparse candidate graph's matching with the complete graph's;
// -blocks N, past pairing.DenseLimit, the blocks Pair matches a large
// round in with one sparse graph of everyone; -cafes N runs junior
// cafés (groups of three or four with a senior each) against a shuffle
// cut into groups.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "pairbench:", err)
		os.Exit(1)
	}
}

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("pairbench", flag.ContinueOnError)
	sizes := fs.String("sizes", "50,1170", "organisation sizes, comma-separated")
	rounds := fs.Int("rounds", 26, "rounds per organisation")
	cooldown := fs.Int("cooldown", 8, "no repeat within this many rounds")
	skip := fs.Float64("skip", 0.1, "chance that a member skips a round")
	seed := fs.Uint64("seed", 1, "seed of the organisations and the rounds")
	sparse := fs.Int("sparse", 0, "compare sparse and dense matching on rounds of this many people, then stop")
	depts := fs.Int("depts", 0, "departments per organisation (0: one per 30 people, at least 4)")
	cafes := fs.Int("cafes", 0, "run junior cafés (groups of 3-4, a senior each) on this many people instead, then stop")
	blocks := fs.Int("blocks", 0, "compare blocks with one sparse graph on rounds of this many people (past pairing.DenseLimit), then stop")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *sparse > 0 {
		return compareSparse(w, *sparse, *seed, *depts)
	}
	if *cafes > 0 {
		return compareCafes(w, *cafes, *rounds, *cooldown, *seed, *depts)
	}
	if *blocks > 0 {
		return compareBlocks(w, *blocks, *seed, *depts)
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 2 {
			return fmt.Errorf("bad size %q", s)
		}
		ns = append(ns, n)
	}
	fmt.Fprintf(w, "rounds %d, cooldown %d, cross-department, skip %.0f%%, seed %d\n\n", *rounds, *cooldown, *skip*100, *seed)
	fmt.Fprintln(w, "| people | strategy | repeats within cooldown | pairs across departments | left out per round: mean / max | of them silent | most rounds one person left out | distinct partners per person: mean / min | relaxed | time per round |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	for _, n := range ns {
		org := newOrganisation(n, *seed, *depts)
		for _, s := range strategies {
			st, err := simulate(org, s, *rounds, *cooldown, *skip, *seed)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "| %d | %s | %d | %.1f%% | %.2f / %d | %d | %d | %.1f / %d | %d | %s |\n",
				n, s.name, st.repeats, 100*st.crossShare(), st.leftMean(), st.leftMax, st.silent, st.leftMostOne,
				st.partnersMean, st.partnersMin, st.relaxed, st.perRound())
		}
	}
	return nil
}
