package survey

import (
	"context"
	"reflect"
	"testing"

	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
)

// TestClosedRoundKeepsOnlyItsRelease: once an anonymous round closes, the
// data file keeps nothing finer than its reports show: no department x
// band cell, no department or band on a response, and no count or answer
// of a group too small to show; the reports read the same figures from
// what is kept as from the cells before.
func TestClosedRoundKeepsOnlyItsRelease(t *testing.T) {
	t.Parallel()
	e, f, _ := newRoundEnv(t)
	round, _ := openAs(t, e, "/soudan survey send engagement dept=総務課,人事課,会計課 k=4")
	id := mustID(t, round)
	for _, names := range org {
		for _, n := range names {
			answerAs(t, e, n, round, 9, 4, "ok")
		}
	}
	var r store.SurveyRound
	before := map[string]figures.Figures{}
	err := e.St.View(func(tx *store.Tx) (err error) {
		if r, err = tx.Surveys().Round(id); err != nil {
			return err
		}
		ts, err := tx.Surveys().Tallies(id)
		if err != nil {
			return err
		}
		for _, by := range breakdowns {
			before[by] = publish(r, ts).Figures(items(r.Survey), by)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.closeRound(context.Background(), id, store.User{}); err != nil {
		t.Fatal(err)
	}
	err = e.St.View(func(tx *store.Tx) error {
		if r, err = tx.Surveys().Round(id); err != nil {
			return err
		}
		for _, by := range breakdowns {
			after, err := compute(tx, r, by)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(after, before[by]) {
				t.Errorf("by %s: figures after close\n%+v\nwant as before\n%+v", by, after, before[by])
			}
		}
		if ts, err := tx.Surveys().Tallies(id); err != nil || len(ts) != 0 {
			t.Errorf("cells after close: %d, %v; want none", len(ts), err)
		}
		n := 0
		err := tx.Surveys().Responses(id, func(resp store.SurveyResponse) error {
			n++
			if resp.Department != "" || resp.Band != "" || resp.UserID != 0 {
				t.Errorf("response after close: %+v, want no department, band or person", resp)
			}
			return nil
		})
		if err != nil || n != 12 {
			t.Errorf("responses after close: %d, %v; want the 12 (for comments)", n, err)
		}
		rel, found, err := tx.Surveys().Release(id)
		if err != nil || !found {
			t.Fatalf("release: found %v, %v", found, err)
		}
		hidden := 0
		for _, gs := range append([][]store.SurveyGroup{{rel.Org}}, rel.Groups...) {
			for _, g := range gs {
				if !g.Shown {
					hidden++
					if g.N != 0 || g.Invited != 0 || g.Scores != nil || g.Choices != nil {
						t.Errorf("hidden group %q keeps %+v", g.Key, g)
					}
				}
			}
		}
		if hidden == 0 {
			t.Errorf("no hidden group in %+v; the case needs a small one (会計課)", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
