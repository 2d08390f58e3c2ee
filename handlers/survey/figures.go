package survey

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Partitions a report groups people by.
const (
	byDepartment = "department"
	byTenure     = "tenure"
)

// trendRounds is how many rounds a trend shows, this one included.
const trendRounds = 6

// figures are a closed round's report: its figures by a partition, the
// previous round's by the same partition (for the change), and the
// organisation's trend over the last rounds. Every figure comes from
// handlers.ComputeFigures, so every privacy rule holds on every output.
type figures struct {
	round store.SurveyRound
	by    string
	res   handlers.Figures
	prev  *handlers.Figures
	trend []trendPoint
}

// trendPoint is one round of the organisation's trend.
type trendPoint struct {
	period string
	org    handlers.GroupFigures
	groups []handlers.GroupFigures // by the report's partition
}

// items are the items of s that have figures.
func items(s store.Survey) []handlers.FigureItem {
	var out []handlers.FigureItem
	for _, it := range s.Items {
		out = append(out, handlers.FigureItem{ID: it.ID, Kind: it.Kind})
	}
	return out
}

// groups are a round's tallies added up by a partition.
func groups(ts []store.SurveyTally, by string) []handlers.FigureGroup {
	byKey := map[string]*handlers.FigureGroup{}
	var keys []string
	for _, t := range ts {
		key := t.Department
		if by == byTenure {
			key = t.Band
		}
		g, ok := byKey[key]
		if !ok {
			g = &handlers.FigureGroup{Key: key}
			byKey[key] = g
			keys = append(keys, key)
		}
		g.Add(handlers.FigureGroup{Invited: t.Invited, N: t.N, Scores: t.Scores, Choices: t.Choices})
	}
	out := make([]handlers.FigureGroup, 0, len(keys))
	for _, k := range keys {
		out = append(out, *byKey[k])
	}
	return out
}

// compute is a round's result by a partition.
func compute(tx *store.Tx, r store.SurveyRound, by string) (handlers.Figures, error) {
	ts, err := tx.SurveyTallies(r.ID)
	if err != nil {
		return handlers.Figures{}, err
	}
	return handlers.ComputeFigures(items(r.Survey), groups(ts, by), r.MinGroup), nil
}

// figuresOf computes the report of a closed round by a partition.
func figuresOf(tx *store.Tx, r store.SurveyRound, by string) (figures, error) {
	f := figures{round: r, by: by}
	var err error
	if f.res, err = compute(tx, r, by); err != nil {
		return figures{}, err
	}
	rounds, err := tx.SurveyRounds(r.SurveyID)
	if err != nil {
		return figures{}, err
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
			return figures{}, err
		}
		f.prev = &prev
	}
	if len(past) > trendRounds {
		past = past[len(past)-trendRounds:]
	}
	for _, o := range past {
		res := f.res
		if o.ID != r.ID {
			if res, err = compute(tx, o, by); err != nil {
				return figures{}, err
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
	err := tx.SurveyResponses(r.ID, func(resp store.SurveyResponse) error {
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
