package scheduler

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/jp"
)

// CalendarOptions configure a business Calendar.
type CalendarOptions struct {
	// Location is the calendar's time zone; nil means Japan Standard Time.
	Location *time.Location
	// DayStart and DayEnd are the working hours, as offsets from midnight;
	// zero means 9:00 to 18:00.
	DayStart, DayEnd time.Duration
	// Workdays are the working days of the week; nil means Monday to
	// Friday.
	Workdays []time.Weekday
	// Closed returns the extra closed days an admin set, as "2006-01-02"
	// dates (store.Store.ClosedDays). Nil means none. It is called once
	// per question the calendar answers, so a change applies at once.
	Closed func() ([]string, error)
}

// holidays serializes every question to the holiday library: its
// equinox holidays (jp.VernalEquinoxDay, jp.AutumnalEquinoxDay) write
// their day into the package-level *cal.Holiday they compute, so two
// calendars asking at once race (rickar/cal v2.1.13, seen by go test
// -race with the reminders and /soudan stats measuring together).
var holidays sync.Mutex

// Calendar is a business calendar: working hours on working days, in a
// time zone, skipping Japan's national holidays (including substitute
// holidays, from github.com/rickar/cal/v2/jp) and the closed days an admin
// set. Its methods are safe for concurrent use.
type Calendar struct {
	opt CalendarOptions
}

// NewCalendar checks opt and returns a calendar.
func NewCalendar(opt CalendarOptions) (*Calendar, error) {
	if opt.Location == nil {
		opt.Location = jst
	}
	if opt.DayStart == 0 && opt.DayEnd == 0 {
		opt.DayStart, opt.DayEnd = 9*time.Hour, 18*time.Hour
	}
	if opt.DayStart < 0 || opt.DayEnd > 24*time.Hour || opt.DayStart >= opt.DayEnd {
		return nil, fmt.Errorf("new calendar: working hours %s-%s: want a start before the end within one day", clock(opt.DayStart), clock(opt.DayEnd))
	}
	if opt.Workdays == nil {
		opt.Workdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	return &Calendar{opt: opt}, nil
}

// WithClosed returns the calendar with closed days days ("2006-01-02"
// dates) instead of those opt.Closed reads: for a caller inside a
// transaction of the store, which reads them through that transaction
// (Closed would open another, nested in it).
func (c *Calendar) WithClosed(days []string) *Calendar {
	opt := c.opt
	days = slices.Clone(days)
	opt.Closed = func() ([]string, error) { return days, nil }
	return &Calendar{opt: opt}
}

// clock formats an offset from midnight as "9:00".
func clock(d time.Duration) string {
	return fmt.Sprintf("%d:%02d", int(d.Hours()), int(d.Minutes())%60)
}

// business builds the library calendar with the closed days of now.
func (c *Calendar) business() (*cal.BusinessCalendar, error) {
	closed := map[string]bool{}
	if c.opt.Closed != nil {
		days, err := c.opt.Closed()
		if err != nil {
			return nil, fmt.Errorf("business calendar: closed days: %w", err)
		}
		for _, d := range days {
			closed[d] = true
		}
	}
	workday := [7]bool{}
	for _, d := range c.opt.Workdays {
		workday[d] = true
	}
	b := cal.NewBusinessCalendar()
	b.AddHoliday(jp.Holidays...)
	b.SetWorkHours(c.opt.DayStart, c.opt.DayEnd)
	b.WorkdayFunc = func(t time.Time) bool {
		return workday[t.Weekday()] && !closed[t.Format("2006-01-02")]
	}
	return b, nil
}

// IsWorkday reports whether t's date is a working day.
func (c *Calendar) IsWorkday(t time.Time) (bool, error) {
	b, err := c.business()
	if err != nil {
		return false, err
	}
	holidays.Lock()
	defer holidays.Unlock()
	return b.IsWorkday(t.In(c.opt.Location)), nil
}

// WorkingHours returns the working time between from and to: zero when to
// is not after from.
func (c *Calendar) WorkingHours(from, to time.Time) (time.Duration, error) {
	if !to.After(from) {
		return 0, nil
	}
	b, err := c.business()
	if err != nil {
		return 0, err
	}
	holidays.Lock()
	defer holidays.Unlock()
	return b.WorkHoursInRange(from.In(c.opt.Location), to.In(c.opt.Location)), nil
}

// AddWorkingHours returns when d of working time after t has passed.
func (c *Calendar) AddWorkingHours(t time.Time, d time.Duration) (time.Time, error) {
	b, err := c.business()
	if err != nil {
		return time.Time{}, err
	}
	holidays.Lock()
	defer holidays.Unlock()
	return b.AddWorkHours(t.In(c.opt.Location), d), nil
}
