package handlers

import "time"

// Calendar is the business calendar every feature shares: which days are
// working days, and how much working time lies between two moments
// (weekends, Japan's holidays, an admin's closed days and the hours
// outside the working day do not count). scheduler.Calendar implements
// it; cmd builds it once and gives it to the kit (Config.Calendar).
type Calendar interface {
	IsWorkday(t time.Time) (bool, error)
	WorkingHours(from, to time.Time) (time.Duration, error)
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
