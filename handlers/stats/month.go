package stats

import (
	"regexp"
	"strconv"
	"time"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// monthPattern is a year and a month: 2026-11, 2026/11, 2026.11,
// 2026年11月 (after NFKC, so full-width digits are read too).
var monthPattern = regexp.MustCompile(`^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$`)

// parseMonth reads a month as an admin types it and returns it as
// "2006-01"; ok is false for anything else (a month outside 1-12, a year
// outside 2000-2999).
func parseMonth(s string) (month string, ok bool) {
	m := monthPattern.FindStringSubmatch(store.Normalize(s))
	if m == nil {
		return "", false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if y < 2000 || mo < 1 || mo > 12 {
		return "", false
	}
	return time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC).Format(handlers.MonthLayout), true
}

// monthRange is the first instant of month ("2006-01") in loc and the
// first instant of the next month.
func monthRange(month string, loc *time.Location) (from, to time.Time, err error) {
	from, err = time.ParseInLocation(handlers.MonthLayout, month, loc)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	return from, from.AddDate(0, 1, 0), nil
}

// previousMonth is the month before the one t falls in, in loc.
func previousMonth(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month()-1, 1, 0, 0, 0, 0, loc).Format(handlers.MonthLayout)
}
