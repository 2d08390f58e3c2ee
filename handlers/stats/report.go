package stats

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/soudan/soudan/store"
)

// Limits of the lists in a report.
const (
	topTopics     = 5
	topMentors    = 5
	oldestWaiting = 5
)

// Report is the programme's figures for one month. Every figure but
// Unanswered counts events inside the month, so a past month's report
// does not change; Unanswered is the state at the time it was built.
type Report struct {
	Month    string    // "2026-11"
	From, To time.Time // the month in the configured location: [From, To)
	At       time.Time // when the report was built

	Opened           int // consultations opened in the month
	Answered         int // consultations first answered in the month
	Resolved         int // consultations resolved in the month
	ClosedUnanswered int // consultations closed in the month with no answer
	// AnsweredOfOpened is how many of the Opened had their first answer
	// before the month ended: AnswerRate's numerator.
	AnsweredOfOpened int

	// FirstAnswer is the working time (business calendar) from question
	// to first answer, of the consultations first answered in the month.
	FirstAnswer Durations

	Rated     int // resolutions in the month with a rating
	RatingSum int // their ratings added up (0-10 each)
	RatedGood int // of them, ratings of 8 or more

	ActiveMentors int          // people who answered a consultation in the month
	Mentors       []MentorLoad // the busiest of them, most answers first
	Topics        []TopicCount // topics with the most questions opened, most first
	Unanswered    []Waiting    // the oldest consultations with no answer yet, oldest first
	Knowledge     Knowledge    // the knowledge feature's monthly counters
	// Purged are the totals of the month's consultations that retention
	// deleted (by creation month): the figures above count records only.
	Purged     *store.PurgedMonth
	Surveys    []SurveyRate // response rates; nil when no SurveyRates is wired
	SurveysErr error        // why Surveys is missing, when the source failed
	// Connections are the figures of the quarter holding the month; nil
	// when no Connections is wired, ConnectionsErr when it failed.
	Connections    *ConnQuarter
	ConnectionsErr error
}

// Durations summarise measured durations.
type Durations struct {
	Count       int
	Median, P90 time.Duration // nearest-rank percentiles
}

// MentorLoad is one answerer's month.
type MentorLoad struct {
	UserID   uint64
	Name     string
	Answered int // consultations they answered in the month
	Active   int // active consultations routed to or taken by them now
}

// TopicCount is how many questions a topic got in the month.
type TopicCount struct {
	TopicID uint64
	Name    string
	Opened  int
}

// Waiting is an unanswered consultation: never who asked it.
type Waiting struct {
	ID       uint64
	Topic    string
	Since    time.Time
	Business time.Duration // working time waited
}

// Knowledge are the knowledge counters of the month, and what people
// searched for most and what found nothing (what to write next).
type Knowledge struct {
	TipsAdded, Searches, SearchEmpty, Deflected int
	TopSearches, EmptySearches                  []store.SearchTerm
}

// topSearches is how many queries each list of the report shows.
const topSearches = 5

// AnswerRate is the share of the questions opened in the month answered
// before it ended; ok is false when none was opened.
func (r Report) AnswerRate() (rate float64, ok bool) {
	if r.Opened == 0 {
		return 0, false
	}
	return float64(r.AnsweredOfOpened) / float64(r.Opened), true
}

// Satisfaction is the average rating (0-10) and the share of ratings of
// 8 or more; ok is false when there was no rating.
func (r Report) Satisfaction() (avg, good float64, ok bool) {
	if r.Rated == 0 {
		return 0, 0, false
	}
	return float64(r.RatingSum) / float64(r.Rated), float64(r.RatedGood) / float64(r.Rated), true
}

// SurveyRate is one survey round's response rate in the month.
type SurveyRate struct {
	Name      string
	Sent      int
	Responded int
	Hidden    bool // too few answered to show any count: Sent and Responded are zero
}

// SurveyRates gives the response rates of the survey rounds of a month
// ("2006-01"); the survey feature implements it and cmd passes it in
// Options.Surveys. Without it a report has no survey section.
type SurveyRates interface {
	SurveyRates(ctx context.Context, month string) ([]SurveyRate, error)
}

// Connections gives the connections programme's figures of a quarter
// ("2026-Q4") for admins: the organisation and every department, each
// shown or hidden by the k rule decided over them all. The connections
// feature implements it and cmd passes it in Options.Connections.
type Connections interface {
	ConnectionsQuarter(ctx context.Context, quarter string) (ConnQuarter, error)
}

// ConnQuarter is a quarter's connections.
type ConnQuarter struct {
	Quarter     string
	K           int
	Org         ConnRow
	Departments []ConnRow
}

// ConnRow is one group's connections in a quarter; a row not Shown has
// only a Name.
type ConnRow struct {
	Name                   string
	Shown                  bool
	OneOnOnes, Groups, Met int
	// MentorsShown: the mentor figures passed their own k rule.
	MentorsShown       bool
	NewHires, Mentored int
}

// quarterOf is the quarter of month "2006-01": "2006-Q1".
func quarterOf(month string) string {
	var y, m int
	if _, err := fmt.Sscanf(month, "%d-%d", &y, &m); err != nil || m < 1 || m > 12 {
		return ""
	}
	return fmt.Sprintf("%d-Q%d", y, (m-1)/3+1)
}

// Build computes the report of month ("2006-01") at now. It reads the
// consultations active in the month through the month index, the month's
// counters and the oldest open consultations: its cost does not grow with
// other months' history.
func (a *Feature) Build(ctx context.Context, month string, now time.Time) (Report, error) {
	from, to, err := monthRange(month, a.Config.Location)
	if err != nil {
		return Report{}, fmt.Errorf("stats %s: %w", month, err)
	}
	rep := Report{Month: month, From: from, To: to, At: now}
	var t tally
	var waiting []store.Consultation
	err = a.View(func(tx *store.Tx) error {
		cs, err := tx.ConsultationsActiveIn(from, to)
		if err != nil {
			return err
		}
		t = count(cs, from, to)
		if waiting, err = tx.OldestUnanswered(oldestWaiting); err != nil {
			return err
		}
		if p, found, err := tx.PurgedIn(month); err != nil {
			return err
		} else if found {
			rep.Purged = &p
		}
		counters, err := tx.Monthly(month)
		if err != nil {
			return err
		}
		rep.Knowledge = Knowledge{
			TipsAdded: counters[store.StatTipsAdded], Searches: counters[store.StatSearches],
			SearchEmpty: counters[store.StatSearchEmpty], Deflected: counters[store.StatDeflected],
		}
		if rep.Knowledge.TopSearches, rep.Knowledge.EmptySearches, err = tx.SearchTerms(month, topSearches); err != nil {
			return err
		}
		return a.names(tx, &rep, t, waiting)
	})
	if err != nil {
		return Report{}, fmt.Errorf("stats %s: %w", month, err)
	}
	rep.Opened, rep.Answered, rep.Resolved, rep.ClosedUnanswered = t.opened, t.answered, t.resolved, t.closedUnanswered
	rep.AnsweredOfOpened = t.answeredSameMonth
	rep.Rated, rep.RatingSum, rep.RatedGood = t.rated, t.ratingSum, t.ratedGood
	rep.ActiveMentors = len(t.byMentor)
	// Business time is measured outside the read transaction: the
	// calendar reads the closed days from the store itself.
	if err := a.measure(&rep, t.waits, now); err != nil {
		return Report{}, fmt.Errorf("stats %s: %w", month, err)
	}
	if a.opt.Surveys != nil {
		rep.Surveys, rep.SurveysErr = a.opt.Surveys.SurveyRates(ctx, month)
		if rep.SurveysErr != nil {
			a.Log.Warn("stats: survey rates", "month", month, "err", rep.SurveysErr)
		}
	}
	if a.opt.Connections != nil {
		q, err := a.opt.Connections.ConnectionsQuarter(ctx, quarterOf(month))
		if err != nil {
			rep.ConnectionsErr = err
			a.Log.Warn("stats: connections", "month", month, "err", err)
		} else {
			rep.Connections = &q
		}
	}
	return rep, nil
}

// names fills the report's lists with the names of topics and mentors.
func (a *Feature) names(tx *store.Tx, rep *Report, t tally, waiting []store.Consultation) error {
	topicName := func(id uint64) (string, error) {
		tp, err := tx.Topics().ByID(id)
		if errors.Is(err, store.ErrNotFound) {
			return "", nil
		}
		return tp.Name, err
	}
	for _, r := range top(t.byTopic, topTopics) {
		name, err := topicName(r.id)
		if err != nil {
			return err
		}
		rep.Topics = append(rep.Topics, TopicCount{TopicID: r.id, Name: name, Opened: r.n})
	}
	busiest := top(t.byMentor, topMentors)
	ids := make([]uint64, len(busiest))
	for i, r := range busiest {
		ids[i] = r.id
	}
	load, err := tx.Mentors().Load(ids...)
	if err != nil {
		return err
	}
	for _, r := range busiest {
		u, err := tx.Users().ByID(r.id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		rep.Mentors = append(rep.Mentors, MentorLoad{UserID: r.id, Name: u.Name, Answered: r.n, Active: load[r.id]})
	}
	for _, c := range waiting {
		name, err := topicName(c.TopicID)
		if err != nil {
			return err
		}
		rep.Unanswered = append(rep.Unanswered, Waiting{ID: c.ID, Topic: name, Since: c.CreatedAt})
	}
	return nil
}

// measure sets the working-time figures: the first-answer percentiles and
// how long each unanswered consultation has waited.
func (a *Feature) measure(rep *Report, waits []wait, now time.Time) error {
	ds := make([]time.Duration, 0, len(waits))
	for _, w := range waits {
		d, err := a.Calendar.WorkingHours(w.asked, w.answered)
		if err != nil {
			return err
		}
		ds = append(ds, d)
	}
	slices.Sort(ds)
	rep.FirstAnswer = Durations{Count: len(ds), Median: percentile(ds, 0.5), P90: percentile(ds, 0.9)}
	for i := range rep.Unanswered {
		d, err := a.Calendar.WorkingHours(rep.Unanswered[i].Since, now)
		if err != nil {
			return err
		}
		rep.Unanswered[i].Business = d
	}
	return nil
}
