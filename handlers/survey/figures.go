package survey

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
)

// Breakdowns a report groups people by.
const (
	byDepartment = "department"
	byTenure     = "tenure"
)

// trendRounds is how many rounds a trend shows, this one included.
const trendRounds = 6

// breakdowns are the tables a round publishes beside the organisation
// total, in the order of its cells' keys: every report, export, page and
// count of a round is decided over all of them together
// (figures.Publish). A new breakdown is added here and to the cells.
var breakdowns = []string{byDepartment, byTenure}

// report is a closed round's report: its figures by a breakdown, the
// previous round's by the same breakdown (for the change), and the
// organisation's trend over the last rounds. Every figure comes from the
// round's release (figures.Publish), so every privacy rule holds on every
// output.
type report struct {
	round store.SurveyRound
	by    string
	res   figures.Figures
	prev  *figures.Figures
	// prevPeriod is the period of the previous round, when prev is set.
	prevPeriod string
	trend      []trendPoint
}

// trendPoint is one round of the organisation's trend.
type trendPoint struct {
	period string
	org    figures.GroupFigures
	groups []figures.GroupFigures // by the report's breakdown
}

// items are the items of s, as figures knows them.
func items(s store.Survey) []figures.Item {
	var out []figures.Item
	for _, it := range s.Items {
		kind := ""
		switch it.Kind {
		case store.ItemScale0to10:
			kind = figures.Scale0to10
		case store.ItemScale1to5:
			kind = figures.Scale1to5
		case store.ItemChoice:
			kind = figures.Choice
		}
		out = append(out, figures.Item{ID: it.ID, Kind: kind})
	}
	return out
}

// cells are a round's tallies as figures' cells: one per department and
// tenure band, keyed in the order of breakdowns.
func cells(ts []store.SurveyTally) []figures.Cell {
	out := make([]figures.Cell, 0, len(ts))
	for _, t := range ts {
		out = append(out, figures.Cell{Keys: []string{t.Department, t.Band},
			Tally: figures.Tally{Invited: t.Invited, N: t.N, Scores: t.Scores, Choices: t.Choices}})
	}
	return out
}

// publish is a round's release from its tallies as they are now.
func publish(r store.SurveyRound, ts []store.SurveyTally) figures.Release {
	return figures.Publish(items(r.Survey), breakdowns, cells(ts), r.MinGroup)
}

// Release decides what a closing round keeps of its cells: its release
// (figures.Publish over every breakdown), nothing finer. The store calls
// it when a round closes; cmd passes it to store.Open for rounds an older
// soudan closed.
func Release(r store.SurveyRound, cells []store.SurveyTally) store.SurveyRelease {
	rel := publish(r, cells)
	out := store.SurveyRelease{K: rel.K, Breakdowns: rel.Breakdowns, Org: storeGroup(rel.Org)}
	for _, gs := range rel.Groups {
		var sg []store.SurveyGroup
		for _, g := range gs {
			sg = append(sg, storeGroup(g))
		}
		out.Groups = append(out.Groups, sg)
	}
	return out
}

// storeGroup is a released group as the store keeps it.
func storeGroup(g figures.Group) store.SurveyGroup {
	return store.SurveyGroup{Key: g.Key, Shown: g.Shown, Invited: g.Invited, N: g.N, Scores: g.Scores, Choices: g.Choices}
}

// fromStore is a kept release as figures knows it.
func fromStore(rel store.SurveyRelease) figures.Release {
	group := func(g store.SurveyGroup) figures.Group {
		return figures.Group{Key: g.Key, Shown: g.Shown, Tally: figures.Tally{Invited: g.Invited, N: g.N, Scores: g.Scores, Choices: g.Choices}}
	}
	out := figures.Release{K: rel.K, Breakdowns: rel.Breakdowns, Org: group(rel.Org)}
	for _, gs := range rel.Groups {
		var fg []figures.Group
		for _, g := range gs {
			fg = append(fg, group(g))
		}
		out.Groups = append(out.Groups, fg)
	}
	return out
}

// release is what a round may show: for an open round its counts as they
// stand (figures.Live: the groups are fixed for the round), for a closed
// round its kept release (or, for one an older soudan closed and nothing
// released yet, the release of its cells).
func release(tx *store.Tx, r store.SurveyRound) (figures.Release, error) {
	if !r.Open() {
		rel, found, err := tx.Surveys().Release(r.ID)
		if err != nil {
			return figures.Release{}, err
		}
		if found {
			return fromStore(rel), nil
		}
	}
	ts, err := tx.Surveys().Tallies(r.ID)
	if err != nil {
		return figures.Release{}, err
	}
	if r.Open() {
		return figures.Live(breakdowns, cells(ts), r.MinGroup), nil
	}
	return publish(r, ts), nil
}

// compute is a round's result by a breakdown.
func compute(tx *store.Tx, r store.SurveyRound, by string) (figures.Figures, error) {
	rel, err := release(tx, r)
	if err != nil {
		return figures.Figures{}, err
	}
	return rel.Figures(items(r.Survey), by), nil
}

// figuresOf computes the report of a closed round by a breakdown.
func figuresOf(tx *store.Tx, r store.SurveyRound, by string) (report, error) {
	f := report{round: r, by: by}
	var err error
	if f.res, err = compute(tx, r, by); err != nil {
		return report{}, err
	}
	rounds, err := tx.Surveys().Rounds(r.SurveyID)
	if err != nil {
		return report{}, err
	}
	var past []store.SurveyRound
	for _, o := range rounds {
		if o.Period <= r.Period && !o.Open() {
			past = append(past, o)
		}
	}
	if i := slices.IndexFunc(past, func(o store.SurveyRound) bool { return o.ID == r.ID }); i > 0 {
		prev, err := compute(tx, past[i-1], by)
		if err != nil {
			return report{}, err
		}
		f.prev, f.prevPeriod = &prev, past[i-1].Period
	}
	if len(past) > trendRounds {
		past = past[len(past)-trendRounds:]
	}
	for _, o := range past {
		res := f.res
		if o.ID != r.ID {
			if res, err = compute(tx, o, by); err != nil {
				return report{}, err
			}
		}
		f.trend = append(f.trend, trendPoint{period: o.Period, org: res.Org, groups: res.Groups})
	}
	return f, nil
}

// comments are the organisation's free-text answers of a closed round, in
// random order and without dates, or nil when fewer than MinComments
// people answered. They are never shown per group: comments are exact,
// so a group's could be recovered from the total by differencing.
func comments(tx *store.Tx, r store.SurveyRound) ([]string, error) {
	if r.Responded < r.MinComments {
		return nil, nil
	}
	var out []string
	err := tx.Surveys().Responses(r.ID, func(resp store.SurveyResponse) error {
		for _, it := range r.Survey.Items {
			if t := resp.Texts[it.ID]; t != "" {
				out = append(out, t)
			}
		}
		return nil
	})
	rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, err
}

// nan is the average of nothing.
var nan = math.NaN()
