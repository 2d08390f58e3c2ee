package main

import (
	"fmt"
	"io"
	"time"

	"github.com/soudan/soudan/handlers/connections/pairing"
)

// compareSparse pairs rounds of n people twice, on the complete graph
// and on the sparse candidate graph (pairing.SparseCandidates per
// person), and prints the sparse matching's weight as a share of the
// dense one. The history is the dense matcher's own, so the later
// rounds have recent partners to avoid and the weights spread.
func compareSparse(w io.Writer, n int, seed uint64, depts int) error {
	fmt.Fprintf(w, "%d people, %s, cross-department, cooldown 8, %d candidates per person\n\n", n, deptsLabel(depts), pairing.SparseCandidates)
	fmt.Fprintln(w, "| round | dense weight | sparse weight | sparse / dense | dense time | sparse time |")
	return compare(w, n, seed, depts, 0, pairing.SparseCandidates)
}

// compareBlocks is compareSparse for a round past pairing.DenseLimit:
// blocks of a thousand on the sparse graph (what Pair does by itself
// there) against one sparse graph of everyone.
func compareBlocks(w io.Writer, n int, seed uint64, depts int) error {
	if n <= pairing.DenseLimit {
		return fmt.Errorf("-blocks %d: blocks start past %d people", n, pairing.DenseLimit)
	}
	fmt.Fprintf(w, "%d people, %s, cross-department, cooldown 8, %d candidates per person\n\n", n, deptsLabel(depts), pairing.SparseCandidates)
	fmt.Fprintln(w, "| round | one sparse graph | blocks | blocks / one graph | one graph time | blocks time |")
	return compare(w, n, seed, depts, pairing.SparseCandidates, 0)
}

// compare matches ten rounds of n people with each of two candidate
// settings (Input.Candidates) and prints the second's weight as a share
// of the first's.
func compare(w io.Writer, n int, seed uint64, depts, first, second int) error {
	org := newOrganisation(n, seed, depts)
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	var history pairing.History
	for round := 1; round <= 10; round++ {
		in := pairing.Input{
			People: org.people, History: history, Round: round, Year: 2026, Seed: seed*1000 + uint64(round),
			Rules: pairing.Rules{Size: pairing.Pairs, CrossDepartment: true, Cooldown: 8, SeniorYears: 8},
		}
		in.Candidates = first
		start := time.Now()
		dense, err := pairing.Pair(in)
		if err != nil {
			return err
		}
		denseTime := time.Since(start)
		in.Candidates = second
		start = time.Now()
		sparse, err := pairing.Pair(in)
		if err != nil {
			return err
		}
		sparseTime := time.Since(start)
		fmt.Fprintf(w, "| %d | %d | %d | %.4f | %s | %s |\n", round, dense.Weight, sparse.Weight,
			float64(sparse.Weight)/float64(dense.Weight), denseTime.Round(time.Millisecond), sparseTime.Round(time.Millisecond))
		for _, g := range dense.Groups {
			history.Groups = append(history.Groups, pairing.PastGroup{Round: round, Members: g.Members, Met: true})
		}
	}
	return nil
}

func deptsLabel(depts int) string {
	if depts <= 0 {
		return "one department per 30 people"
	}
	return fmt.Sprintf("%d departments", depts)
}
