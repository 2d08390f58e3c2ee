package stats

import (
	"time"

	"github.com/soudan/soudan/handlers"
)

// parseMonth reads a month as an admin types it (handlers.ParseMonth).
func parseMonth(s string) (month string, ok bool) { return handlers.ParseMonth(s) }

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
