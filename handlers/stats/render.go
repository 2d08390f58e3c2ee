package stats

import (
	"fmt"
	"strings"
	"time"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Render is the report as text in lang ("ja" or "en"). It names topics and
// mentors, never who asked a question.
func (a *Feature) Render(lang string, r Report) string {
	none := a.TL(lang, "stats.none")
	lines := []string{
		a.TL(lang, "stats.title", "Month", r.Month),
		a.TL(lang, "stats.consultations", "Opened", r.Opened, "Answered", r.Answered, "Resolved", r.Resolved, "ClosedUnanswered", r.ClosedUnanswered),
	}
	rate := none
	if v, ok := r.AnswerRate(); ok {
		rate = percent(v)
	}
	lines = append(lines, a.TL(lang, "stats.answer_rate", "Rate", rate, "Answered", r.AnsweredOfOpened, "Opened", r.Opened))
	median, p90 := none, none
	if r.FirstAnswer.Count > 0 {
		median, p90 = a.hours(lang, r.FirstAnswer.Median), a.hours(lang, r.FirstAnswer.P90)
	}
	lines = append(lines, a.TL(lang, "stats.first_answer", "Median", median, "P90", p90, "Count", r.FirstAnswer.Count))
	avg, good := none, none
	if v, g, ok := r.Satisfaction(); ok {
		avg, good = fmt.Sprintf("%.1f", v), percent(g)
	}
	lines = append(lines, a.TL(lang, "stats.satisfaction", "Average", avg, "Good", good, "Count", r.Rated))

	if p := r.Purged; p != nil {
		avg := none
		if p.Rated > 0 {
			avg = fmt.Sprintf("%.1f", float64(p.RatingSum)/float64(p.Rated))
		}
		lines = append(lines, a.TL(lang, "stats.purged", "Count", p.Consultations, "Answered", p.Answered, "Resolved", p.Resolved, "Average", avg))
	}
	lines = append(lines, "", a.TL(lang, "stats.mentors", "Count", r.ActiveMentors))
	for _, m := range r.Mentors {
		lines = append(lines, a.TL(lang, "stats.mentor", "Name", nameOr(m.Name, none), "Answered", m.Answered, "Active", m.Active))
	}
	lines = append(lines, a.TL(lang, "stats.topics"))
	if len(r.Topics) == 0 {
		lines = append(lines, a.TL(lang, "stats.item_none"))
	}
	for _, tc := range r.Topics {
		lines = append(lines, a.TL(lang, "stats.topic", "Name", nameOr(tc.Name, none), "Count", tc.Opened))
	}
	lines = append(lines, a.TL(lang, "stats.unanswered", "At", r.At.In(r.From.Location()).Format("2006-01-02 15:04")))
	if len(r.Unanswered) == 0 {
		lines = append(lines, a.TL(lang, "stats.item_none"))
	}
	for _, w := range r.Unanswered {
		days := int(r.At.Sub(w.Since) / (24 * time.Hour))
		lines = append(lines, a.TL(lang, "stats.waiting", "ID", w.ID, "Topic", nameOr(w.Topic, none), "Days", days, "Hours", a.hours(lang, w.Business)))
	}
	k := r.Knowledge
	lines = append(lines, "", a.TL(lang, "stats.knowledge", "Added", k.TipsAdded, "Searches", k.Searches, "Empty", k.SearchEmpty, "Deflected", k.Deflected))
	for _, l := range []struct {
		key   string
		terms []store.SearchTerm
		count func(store.SearchTerm) int
	}{
		{"stats.top_searches", k.TopSearches, func(t store.SearchTerm) int { return t.Searches }},
		{"stats.empty_searches", k.EmptySearches, func(t store.SearchTerm) int { return t.Empty }},
	} {
		if len(l.terms) == 0 {
			continue
		}
		var parts []string
		for _, t := range l.terms {
			parts = append(parts, a.TL(lang, "stats.search_term", "Query", handlers.Clean(t.Query), "Count", l.count(t)))
		}
		lines = append(lines, a.TL(lang, l.key, "Terms", strings.Join(parts, a.TL(lang, "stats.list_sep"))))
	}
	switch {
	case r.SurveysErr != nil:
		lines = append(lines, a.TL(lang, "stats.surveys"), a.TL(lang, "stats.surveys_unavailable"))
	case r.Surveys != nil:
		lines = append(lines, a.TL(lang, "stats.surveys"))
		if len(r.Surveys) == 0 {
			lines = append(lines, a.TL(lang, "stats.item_none"))
		}
		for _, s := range r.Surveys {
			if s.Hidden {
				lines = append(lines, a.TL(lang, "stats.survey_too_few", "Name", nameOr(s.Name, none)))
				continue
			}
			rate := none
			if s.Sent > 0 {
				rate = percent(float64(s.Responded) / float64(s.Sent))
			}
			lines = append(lines, a.TL(lang, "stats.survey", "Name", nameOr(s.Name, none), "Rate", rate, "Responded", s.Responded, "Sent", s.Sent))
		}
	}
	switch {
	case r.ConnectionsErr != nil:
		lines = append(lines, "", a.TL(lang, "stats.connections_head", "Quarter", quarterOf(r.Month)), a.TL(lang, "stats.surveys_unavailable"))
	case r.Connections != nil:
		c := r.Connections
		lines = append(lines, "", a.TL(lang, "stats.connections", "Quarter", c.Quarter, "K", c.K))
		for _, row := range append([]ConnRow{c.Org}, c.Departments...) {
			name := handlers.Clean(row.Name)
			if row.Name == "" {
				name = a.TL(lang, "stats.connections_org")
			}
			if !row.Shown {
				lines = append(lines, a.TL(lang, "stats.connections_hidden", "Name", name, "K", c.K))
				continue
			}
			line := a.TL(lang, "stats.connections_line", "Name", name, "OneOnOnes", row.OneOnOnes, "Groups", row.Groups, "Met", row.Met)
			if row.MentorsShown {
				line += a.TL(lang, "stats.connections_mentors", "Mentored", row.Mentored, "NewHires", row.NewHires)
			} else {
				line += a.TL(lang, "stats.connections_mentors_hidden", "K", c.K)
			}
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}

// percent is a share as a percentage with one decimal: "66.7%".
func percent(v float64) string { return fmt.Sprintf("%.1f%%", v*100) }

// hours is a duration in hours with one decimal, in lang.
func (a *Feature) hours(lang string, d time.Duration) string {
	return a.TL(lang, "stats.hours", "Hours", fmt.Sprintf("%.1f", d.Hours()))
}

// nameOr is name, or alt when it is empty (a removed topic or user).
func nameOr(name, alt string) string {
	if name == "" {
		return alt
	}
	return name
}
