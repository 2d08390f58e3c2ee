package handlers

import (
	"fmt"
	"time"

	"github.com/soudan/soudan/store"
)

// Calendar is the business calendar every feature shares: which days are
// working days, and how much working time lies between two moments
// (weekends, Japan's holidays, an admin's closed days and the hours
// outside the working day do not count). scheduler.Calendar implements
// it; cmd builds it once and gives it to the kit (Config.Calendar).
//
// The closed days are in the store. The calendar cmd builds reads them
// in a transaction of its own, so inside a transaction a feature asks
// CalendarIn(tx) instead: a calendar with the closed days read through
// tx, since opening a second transaction there would nest it in the
// first (on PostgreSQL, a second connection held while the first waits).
type Calendar interface {
	IsWorkday(t time.Time) (bool, error)
	WorkingHours(from, to time.Time) (time.Duration, error)
}

// ClosedDaysCalendar is a Calendar that reads the store's closed days
// itself and can be given them instead: what CalendarIn needs of the
// kit's calendar. cmd adapts scheduler.Calendar to it.
type ClosedDaysCalendar interface {
	Calendar
	// WithClosedDays returns the calendar with closed days days (dates
	// "2006-01-02"), read by the caller, instead of the store's.
	WithClosedDays(days []string) Calendar
}

// CalendarIn returns the kit's calendar for use inside tx: the closed
// days read through tx, not in a transaction of the calendar's own. A
// calendar that knows no closed days (PlainCalendar) is returned as is.
func (k *Kit) CalendarIn(tx *store.Tx) (Calendar, error) {
	c, ok := k.Calendar.(ClosedDaysCalendar)
	if !ok {
		return k.Calendar, nil
	}
	days, err := tx.ClosedDays()
	if err != nil {
		return nil, fmt.Errorf("business calendar: closed days: %w", err)
	}
	dates := make([]string, len(days))
	for i, d := range days {
		dates[i] = d.Date
	}
	return c.WithClosedDays(dates), nil
}

// PlainCalendar is the calendar of a bot with none configured: Monday to
// Friday are working days, and every hour counts.
type PlainCalendar struct{}

// IsWorkday implements Calendar: Monday to Friday.
func (PlainCalendar) IsWorkday(t time.Time) (bool, error) {
	return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday, nil
}

// WorkingHours implements Calendar: every hour counts.
func (PlainCalendar) WorkingHours(from, to time.Time) (time.Duration, error) {
	return max(to.Sub(from), 0), nil
}
