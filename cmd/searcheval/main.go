// Command searcheval measures soudan's tip search against bleve v2 with
// its cjk analyzer on a labelled set of Japanese and English tips and
// queries (data/), side by side in one run: MRR@10, nDCG@10 and P@3 per
// kind of query, and how many queries with no answer each engine answers
// with "nothing found". It is a Go module of its own, so that the soudan
// binary never links bleve.
//
//	cd cmd/searcheval && go run .          # the table
//	cd cmd/searcheval && go run . -v       # and each query's top 3
//	cd cmd/searcheval && go run . -check   # fail unless soudan meets its targets (CI)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Kinds of query, in the order of the report.
const kindNone = "none"

var kinds = []string{"exact", "words", "synonym", "width", "english", "cross", "paraphrase", "heldout"}

func main() {
	verbose := flag.Bool("v", false, "print each query's top 3 per engine")
	check := flag.Bool("check", false, "fail unless soudan meets its targets (see check)")
	flag.Parse()
	if err := run(os.Stdout, *verbose, *check); err != nil {
		fmt.Fprintln(os.Stderr, "searcheval:", err)
		os.Exit(1)
	}
}

// result is one engine's measures.
type result struct {
	byKind  map[string]*tally
	all     tally
	nothing int // no-answer queries answered with nothing
}

func run(w io.Writer, verbose, check bool) error {
	tips, qs, err := loadSet()
	if err != nil {
		return err
	}
	so, err := newSoudan(tips)
	if err != nil {
		return fmt.Errorf("soudan: %w", err)
	}
	defer so.close()
	bl, err := newBleve(tips)
	if err != nil {
		return fmt.Errorf("bleve: %w", err)
	}
	defer bl.close()
	engines := []engine{so, bl}
	results := make([]result, len(engines))
	for i := range results {
		results[i].byKind = map[string]*tally{}
		for _, k := range kinds {
			results[i].byKind[k] = &tally{}
		}
	}
	noAnswer := 0
	for _, q := range qs {
		if q.Kind == kindNone {
			noAnswer++
		}
		for i, e := range engines {
			ranked, err := e.search(q.Text)
			if err != nil {
				return fmt.Errorf("%s: %q: %w", e.name(), q.Text, err)
			}
			if verbose {
				fmt.Fprintf(w, "%-10s %-28s %-9s %s\n", q.Kind, q.Text, e.name(), mark(ranked, q.Relevant))
			}
			if q.Kind == kindNone {
				if len(ranked) == 0 {
					results[i].nothing++
				}
				continue
			}
			s := measure(ranked, q.Relevant)
			t, ok := results[i].byKind[q.Kind]
			if !ok {
				return fmt.Errorf("query %q: unknown kind %s", q.Text, q.Kind)
			}
			t.add(s)
			results[i].all.add(s)
		}
	}
	fmt.Fprintf(w, "%d tips, %d queries (%d with no answer)\n\n", len(tips), len(qs), noAnswer)
	fmt.Fprintf(w, "| kind | queries | soudan MRR@10 | nDCG@10 | P@3 | bleve cjk MRR@10 | nDCG@10 | P@3 |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|\n")
	row := func(name string, a, b tally) {
		sa, sb := a.mean(), b.mean()
		fmt.Fprintf(w, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", name, a.n, sa.MRR, sa.NDCG, sa.P3, sb.MRR, sb.NDCG, sb.P3)
	}
	for _, k := range kinds {
		row(k, *results[0].byKind[k], *results[1].byKind[k])
	}
	row("**all**", results[0].all, results[1].all)
	fmt.Fprintf(w, "\n\"nothing found\" for the %d queries with no answer: soudan %d, bleve cjk %d\n", noAnswer, results[0].nothing, results[1].nothing)
	if check {
		return checkTargets(results[0], results[1], noAnswer)
	}
	return nil
}

// checkTargets fails unless soudan is ahead of bleve overall on every
// measure, clearly ahead (by 0.1 nDCG@10) on synonym and cross-language
// queries, and says "nothing found" for at least 8 in 10 queries with no
// answer: issue 11's targets.
func checkTargets(so, bl result, noAnswer int) error {
	a, b := so.all.mean(), bl.all.mean()
	if a.MRR < b.MRR || a.NDCG < b.NDCG || a.P3 < b.P3 {
		return fmt.Errorf("overall: soudan %+v is not ahead of bleve %+v", a, b)
	}
	for _, k := range []string{"synonym", "cross"} {
		if sa, sb := so.byKind[k].mean(), bl.byKind[k].mean(); sa.NDCG < sb.NDCG+0.1 || sa.MRR < sb.MRR {
			return fmt.Errorf("%s: soudan %+v is not clearly ahead of bleve %+v", k, sa, sb)
		}
	}
	if 10*so.nothing < 8*noAnswer {
		return fmt.Errorf("soudan says nothing found for %d of %d queries with no answer, want 8 in 10", so.nothing, noAnswer)
	}
	return nil
}

// mark shows the top 3 of ranked, relevant ones starred.
func mark(ranked []string, relevant map[string]bool) string {
	if len(ranked) == 0 {
		return "(nothing)"
	}
	var out []string
	for i, id := range ranked {
		if i == 3 {
			break
		}
		if relevant[id] {
			id = "*" + id
		}
		out = append(out, id)
	}
	return strings.Join(out, " ")
}
