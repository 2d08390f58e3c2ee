// Command searcheval measures soudan's tip search against bleve v2 with
// its cjk analyzer on a labelled set of Japanese and English tips and
// queries (data/), side by side in one run: MRR@10, nDCG@10 and P@3 per
// kind of query, how many answerable queries each engine answers at all,
// and how many queries with no answer it answers with "nothing found".
// Every figure is given twice: as labelled, and in the same-language view,
// which counts only the tips in the query's language as answers (a
// Japanese question answered first by an English tip scores as if that
// tip were not an answer). It is a Go module of its own, so that the
// soudan binary never links bleve.
//
//	cd cmd/searcheval && go run .          # the tables
//	cd cmd/searcheval && go run . -v       # and each query's top 3
//	cd cmd/searcheval && go run . -check   # fail unless soudan meets its targets (CI)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode"
)

// Kinds of query with no answer: those the search was tuned on, and the
// held-out ones written on 2026-12-07 (issue 20): before any change
// (fresh-none), after the first "nothing found" rule (post-none), and
// after its revision (late-none).
const (
	kindNone      = "none"
	kindFreshNone = "fresh-none"
	kindPostNone  = "post-none"
	kindLateNone  = "late-none"
)

// heldOutNone are the held-out kinds with no answer.
var heldOutNone = []string{kindFreshNone, kindPostNone, kindLateNone}

// kinds are the kinds of answerable query, in the order of the report;
// "all" sums them. The held-out queries of 2026-12-07 (apart) are
// reported after "all", so that "all" stays the set it was: fresh,
// written before any change of issue 20; post, written after the first
// "nothing found" rule; late, after its revision.
var kinds = []string{"exact", "words", "synonym", "width", "english", "cross", "paraphrase", "heldout"}

const (
	kindFresh = "fresh"
	kindPost  = "post"
	kindLate  = "late"
)

var apart = []string{kindFresh, kindPost, kindLate}

// noAnswer reports whether kind is a kind of query with no answer.
func noAnswer(kind string) bool {
	return kind == kindNone || slices.Contains(heldOutNone, kind)
}

func main() {
	verbose := flag.Bool("v", false, "print each query's top 3 per engine")
	check := flag.Bool("check", false, "fail unless soudan meets its targets (see checkTargets)")
	flag.Parse()
	if err := run(os.Stdout, *verbose, *check); err != nil {
		fmt.Fprintln(os.Stderr, "searcheval:", err)
		os.Exit(1)
	}
}

// view is one engine's measures, as labelled or in the same-language view.
type view struct {
	byKind map[string]*tally
	all    *tally
	// nothing counts, per kind of query with no answer, those answered
	// with nothing (in the same-language view: with no tip in the
	// query's language).
	nothing map[string]int
	// answered counts, per kind of answerable query, those answered with
	// at least one tip (in the same-language view: one in the query's
	// language).
	answered map[string]int
}

func newView() view {
	v := view{all: &tally{}, byKind: map[string]*tally{}, nothing: map[string]int{}, answered: map[string]int{}}
	for _, k := range append(kinds, apart...) {
		v.byKind[k] = &tally{}
	}
	return v
}

// result is one engine's measures in both views.
type result struct {
	labelled, same view
}

// set counts the queries of the set: per kind, and per kind in the
// same-language view (the queries with an answer in their language).
type set struct {
	queries, same map[string]int
}

func run(w io.Writer, verbose, check bool) error {
	tips, qs, err := loadSet()
	if err != nil {
		return err
	}
	langs := map[string]string{}
	for _, t := range tips {
		langs[t.ID] = t.Lang
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
		results[i] = result{newView(), newView()}
	}
	counts := set{map[string]int{}, map[string]int{}}
	for _, q := range qs {
		lang := queryLang(q.Text)
		same := map[string]bool{}
		for id := range q.Relevant {
			if langs[id] == lang {
				same[id] = true
			}
		}
		none := noAnswer(q.Kind)
		counts.queries[q.Kind]++
		if none || len(same) > 0 {
			counts.same[q.Kind]++
		}
		for i, e := range engines {
			ranked, err := e.search(q.Text)
			if err != nil {
				return fmt.Errorf("%s: %q: %w", e.name(), q.Text, err)
			}
			if verbose {
				fmt.Fprintf(w, "%-10s %-28s %-9s %s\n", q.Kind, q.Text, e.name(), mark(ranked, q.Relevant))
			}
			inLang := 0
			for _, id := range ranked {
				if langs[id] == lang {
					inLang++
				}
			}
			r := &results[i]
			if none {
				if len(ranked) == 0 {
					r.labelled.nothing[q.Kind]++
				}
				if inLang == 0 {
					r.same.nothing[q.Kind]++
				}
				continue
			}
			if err := r.labelled.add(q, ranked, q.Relevant, len(ranked) > 0); err != nil {
				return err
			}
			if len(same) > 0 {
				if err := r.same.add(q, ranked, same, inLang > 0); err != nil {
					return err
				}
			}
		}
	}
	fmt.Fprintf(w, "%d tips, %d queries (%d with no answer: %d tuned on, %d held out)\n", len(tips), len(qs),
		counts.queries[kindNone]+counts.queries[kindFreshNone]+counts.queries[kindPostNone]+counts.queries[kindLateNone], counts.queries[kindNone],
		counts.queries[kindFreshNone]+counts.queries[kindPostNone]+counts.queries[kindLateNone])
	fmt.Fprintf(w, "\n## As labelled\n\n")
	report(w, results[0].labelled, results[1].labelled, counts.queries, "nothing found")
	fmt.Fprintf(w, "\n## Same language: only tips in the query's language count as answers\n\n")
	report(w, results[0].same, results[1].same, counts.same, "no tip in the query's language")
	if check {
		return checkTargets(results[0], results[1], counts)
	}
	return nil
}

// add measures ranked against relevant for q; answered says whether the
// engine gave an answer at all.
func (v view) add(q query, ranked []string, relevant map[string]bool, answered bool) error {
	s := measure(ranked, relevant)
	t, ok := v.byKind[q.Kind]
	if !ok {
		return fmt.Errorf("query %q: unknown kind %s", q.Text, q.Kind)
	}
	t.add(s)
	if !slices.Contains(apart, q.Kind) {
		v.all.add(s)
	}
	if answered {
		v.answered[q.Kind]++
	}
	return nil
}

// report writes the table of a view and its "answered" and "nothing
// found" counts.
func report(w io.Writer, a, b view, n map[string]int, nothing string) {
	fmt.Fprintf(w, "| kind | queries | soudan MRR@10 | nDCG@10 | P@3 | bleve cjk MRR@10 | nDCG@10 | P@3 |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|\n")
	row := func(name string, a, b tally) {
		sa, sb := a.mean(), b.mean()
		fmt.Fprintf(w, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", name, a.n, sa.MRR, sa.NDCG, sa.P3, sb.MRR, sb.NDCG, sb.P3)
	}
	for _, k := range kinds {
		row(k, *a.byKind[k], *b.byKind[k])
	}
	row("**all**", *a.all, *b.all)
	row("fresh (held out, written before the change)", *a.byKind[kindFresh], *b.byKind[kindFresh])
	row("post (held out, written after the first rule)", *a.byKind[kindPost], *b.byKind[kindPost])
	row("late (held out, written after its revision)", *a.byKind[kindLate], *b.byKind[kindLate])
	all := func(v view) (sum int) {
		for _, k := range kinds {
			sum += v.answered[k]
		}
		return sum
	}
	fmt.Fprintf(w, "\nAnswerable queries answered (at least one tip): all %d: soudan %d, bleve cjk %d", a.all.n, all(a), all(b))
	for _, k := range apart {
		fmt.Fprintf(w, "; %s %d: soudan %d, bleve cjk %d", k, a.byKind[k].n, a.answered[k], b.answered[k])
	}
	fmt.Fprintf(w, "\nQueries with no answer given %s:", nothing)
	for i, k := range append([]string{kindNone}, heldOutNone...) {
		if i > 0 {
			fmt.Fprintf(w, ";")
		}
		fmt.Fprintf(w, " %s %d: soudan %d, bleve cjk %d", k, n[k], a.nothing[k], b.nothing[k])
	}
	fmt.Fprintln(w)
}

// queryLang is the language of a query as the same-language view takes
// it: Japanese when it has kana or kanji, else English.
func queryLang(q string) string {
	for _, r := range q {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			return "ja"
		}
	}
	return "en"
}

// Targets (-check).
const (
	// overall*: soudan's figures on "all" before issue 20 (commit
	// 89eff6e), which it must not fall below.
	overallMRR, overallNDCG, overallP3 = 0.906, 0.865, 0.523
	// minAnswered is the share of answerable queries soudan must answer.
	minAnswered = 0.9
)

// checkTargets fails unless soudan is ahead of bleve overall on every
// measure and not below its figures before issue 20, clearly ahead (by
// 0.1 nDCG@10) on synonym and cross-language queries, says "nothing
// found" for at least 8 in 10 of the no-answer queries it was tuned on
// (issue 11's targets) and 9 in 10 of the held-out ones, answers at
// least 9 in 10 answerable queries (and of the held-out ones), and, counting only tips in the
// query's language, is ahead of bleve on MRR@10 and nDCG@10 (issue 20).
func checkTargets(so, bl result, n set) error {
	a, b := so.labelled.all.mean(), bl.labelled.all.mean()
	if a.MRR < b.MRR || a.NDCG < b.NDCG || a.P3 < b.P3 {
		return fmt.Errorf("overall: soudan %+v is not ahead of bleve %+v", a, b)
	}
	if a.MRR < overallMRR-5e-4 || a.NDCG < overallNDCG-5e-4 || a.P3 < overallP3-5e-4 {
		return fmt.Errorf("overall: soudan %+v is below its figures before (MRR %.3f, nDCG %.3f, P@3 %.3f)", a, overallMRR, overallNDCG, overallP3)
	}
	for _, k := range []string{"synonym", "cross"} {
		if sa, sb := so.labelled.byKind[k].mean(), bl.labelled.byKind[k].mean(); sa.NDCG < sb.NDCG+0.1 || sa.MRR < sb.MRR {
			return fmt.Errorf("%s: soudan %+v is not clearly ahead of bleve %+v", k, sa, sb)
		}
	}
	if got := so.labelled.nothing[kindNone]; 10*got < 8*n.queries[kindNone] {
		return fmt.Errorf("soudan says nothing found for %d of %d no-answer queries it was tuned on, want 8 in 10", got, n.queries[kindNone])
	}
	got, held := 0, 0
	for _, k := range heldOutNone {
		got, held = got+so.labelled.nothing[k], held+n.queries[k]
	}
	if 10*got < 9*held {
		return fmt.Errorf("soudan says nothing found for %d of %d held-out no-answer queries, want 9 in 10", got, held)
	}
	answered, answerable := 0, 0
	for _, k := range append(kinds, apart...) {
		answered += so.labelled.answered[k]
		answerable += so.labelled.byKind[k].n
	}
	if float64(answered) < minAnswered*float64(answerable) {
		return fmt.Errorf("soudan answers %d of %d answerable queries, want %.0f%%", answered, answerable, 100*minAnswered)
	}
	got, held = 0, 0
	for _, k := range apart {
		got, held = got+so.labelled.answered[k], held+n.queries[k]
	}
	if float64(got) < minAnswered*float64(held) {
		return fmt.Errorf("soudan answers %d of %d held-out answerable queries, want %.0f%%", got, held, 100*minAnswered)
	}
	if sa, sb := so.same.all.mean(), bl.same.all.mean(); sa.MRR <= sb.MRR || sa.NDCG <= sb.NDCG {
		return fmt.Errorf("same language: soudan %+v is not ahead of bleve %+v", sa, sb)
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
