package connections

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/soudan/soudan/handlers"
)

// periodOf is the period of cadence that t (local) falls in: "2026-W49",
// "2026-F25" (ISO weeks paired: 49 and 50 are F25), or "2026-12".
func periodOf(cadence string, t time.Time) string {
	y, w := t.ISOWeek()
	switch cadence {
	case cadenceWeekly:
		return fmt.Sprintf("%d-W%02d", y, w)
	case cadenceFortnightly:
		return fmt.Sprintf("%d-F%02d", y, (w+1)/2)
	}
	return t.Format("2006-01")
}

// periodStart is the first day of t's period of cadence (local midnight).
func periodStart(cadence string, t time.Time) time.Time {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	switch cadence {
	case cadenceWeekly, cadenceFortnightly:
		day = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)) // back to Monday
		if _, w := day.ISOWeek(); cadence == cadenceFortnightly && w%2 == 0 {
			day = day.AddDate(0, 0, -7)
		}
		return day
	}
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

// quarterOf is t's calendar quarter, "2026-Q4".
func quarterOf(t time.Time) string {
	return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
}

// checkinDays are the business days after a round's start when the
// midway and the final check-ins are due, by cadence.
func checkinDays(cadence string) (mid, end int) {
	switch cadence {
	case cadenceWeekly:
		return 2, 4
	case cadenceFortnightly:
		return 5, 9
	}
	return 10, 18
}

// addWorkdays is the day n business days after t on cal (the kit's
// calendar, from CalendarIn inside a transaction: weekends, Japan's
// holidays and the admins' closed days do not count).
func addWorkdays(cal handlers.Calendar, t time.Time, n int) (time.Time, error) {
	d := t
	for i := 0; i < n; {
		d = d.AddDate(0, 0, 1)
		work, err := cal.IsWorkday(d)
		if err != nil {
			return t, err
		}
		if work {
			i++
		}
	}
	return d, nil
}

// seedOf is the seed of a programme's round in a period: the same preview
// and run, different rounds.
func seedOf(programme uint64, period string) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", programme, period)
	return h.Sum64()
}
