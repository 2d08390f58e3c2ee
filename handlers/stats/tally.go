package stats

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/soudan/soudan/store"
)

// tally is what one month's consultations add up to, before anything is
// looked up (names) or measured on the business calendar.
type tally struct {
	opened, answered, resolved, closedUnanswered int
	answeredSameMonth                            int // of opened, first answered before the month ended
	waits                                        []wait
	rated, ratingSum, ratedGood                  int
	byTopic                                      map[uint64]int // opened per topic
	byMentor                                     map[uint64]int // consultations answered per answerer
}

// wait is a question and its first answer.
type wait struct{ asked, answered time.Time }

// goodRating is the lowest rating counted as satisfied.
const goodRating = 8

// within reports whether t is in [from, to).
func within(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// firstAnswer is c's first answer, if it has one.
func firstAnswer(c store.Consultation) (store.ConsultMessage, bool) {
	i := slices.IndexFunc(c.Messages, func(m store.ConsultMessage) bool { return m.Kind == store.MsgAnswer })
	if i < 0 {
		return store.ConsultMessage{}, false
	}
	return c.Messages[i], true
}

// count adds up cs over [from, to). Every figure is of events inside the
// range, so a month's figures do not change once it is over:
//   - opened: created in the range; answeredSameMonth: of those, the ones
//     whose first answer came before the range ended;
//   - answered: first answer in the range (and its wait);
//   - resolved: resolved in the range; closedUnanswered: closed in the
//     range with no answer before the close;
//   - ratings: of consultations whose last resolution is in the range;
//   - byMentor: per answerer, the consultations they answered in the range.
func count(cs []store.Consultation, from, to time.Time) tally {
	t := tally{byTopic: map[uint64]int{}, byMentor: map[uint64]int{}}
	for _, c := range cs {
		fa, hasAnswer := firstAnswer(c)
		if within(c.CreatedAt, from, to) {
			t.opened++
			t.byTopic[c.TopicID]++
			if hasAnswer && fa.At.Before(to) {
				t.answeredSameMonth++
			}
		}
		if hasAnswer && within(fa.At, from, to) {
			t.answered++
			t.waits = append(t.waits, wait{asked: c.CreatedAt, answered: fa.At})
		}
		var lastResolve time.Time
		resolved, closedUnanswered := false, false
		for _, h := range c.History {
			switch h.To {
			case store.StateResolved:
				lastResolve = h.At
				resolved = resolved || within(h.At, from, to)
			case store.StateClosed:
				if within(h.At, from, to) && (!hasAnswer || fa.At.After(h.At)) {
					closedUnanswered = true
				}
			}
		}
		if resolved {
			t.resolved++
		}
		if closedUnanswered {
			t.closedUnanswered++
		}
		if c.Rating != nil && !lastResolve.IsZero() && within(lastResolve, from, to) {
			t.rated++
			t.ratingSum += *c.Rating
			if *c.Rating >= goodRating {
				t.ratedGood++
			}
		}
		seen := map[uint64]bool{}
		for _, m := range c.Messages {
			if m.Kind == store.MsgAnswer && m.AuthorID != c.AskerID && !seen[m.AuthorID] && within(m.At, from, to) {
				seen[m.AuthorID] = true
				t.byMentor[m.AuthorID]++
			}
		}
	}
	return t
}

// percentile is the nearest-rank p-th percentile (0 < p <= 1) of sorted:
// the smallest value with at least p of the values at or below it. It is
// one of the values measured, never an interpolation.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// ranked is a count per id, most first, ties by id.
type ranked struct {
	id uint64
	n  int
}

// top returns the n largest counts, most first, ties by the smaller id.
func top(counts map[uint64]int, n int) []ranked {
	out := make([]ranked, 0, len(counts))
	for id, c := range counts {
		out = append(out, ranked{id, c})
	}
	slices.SortFunc(out, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.id, b.id))
	})
	return out[:min(n, len(out))]
}
