package scheduler_test

import (
	"errors"
	"testing"
	"time"

	"github.com/soudan/soudan/scheduler"
)

func jst(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.FixedZone("JST", 9*60*60))
}

func newCalendar(t *testing.T, closed ...string) *scheduler.Calendar {
	t.Helper()
	c, err := scheduler.NewCalendar(scheduler.CalendarOptions{Closed: func() ([]string, error) { return closed, nil }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWorkingHoursSkipNightsWeekendsAndHolidays(t *testing.T) {
	c := newCalendar(t)
	tests := []struct {
		name     string
		from, to time.Time
		want     time.Duration
	}{
		{"within a day", jst(2026, 11, 20, 10, 0), jst(2026, 11, 20, 12, 30), 150 * time.Minute},
		{"evening to next morning", jst(2026, 11, 19, 17, 0), jst(2026, 11, 20, 10, 0), 2 * time.Hour},
		// 11-23 (Mon) is Labor Thanksgiving Day.
		{"over a weekend and a holiday", jst(2026, 11, 20, 17, 0), jst(2026, 11, 24, 10, 0), 2 * time.Hour},
		{"asked at night", jst(2026, 11, 24, 22, 0), jst(2026, 11, 25, 9, 30), 30 * time.Minute},
		// 5-3 (Sun) Constitution Day moves to 5-6; 5-4 and 5-5 are holidays.
		{"golden week", jst(2026, 5, 1, 17, 0), jst(2026, 5, 7, 10, 0), 2 * time.Hour},
		{"the same time given in UTC", jst(2026, 11, 20, 17, 0).UTC(), jst(2026, 11, 24, 10, 0).UTC(), 2 * time.Hour},
		{"backwards", jst(2026, 11, 24, 10, 0), jst(2026, 11, 20, 17, 0), 0},
	}
	for _, tt := range tests {
		got, err := c.WorkingHours(tt.from, tt.to)
		if err != nil || got != tt.want {
			t.Errorf("%s: WorkingHours(%v, %v) = %v, %v; want %v", tt.name, tt.from, tt.to, got, err, tt.want)
		}
	}
}

func TestClosedDaysAreNotWorkdays(t *testing.T) {
	c := newCalendar(t, "2026-11-24")
	if got, _ := c.WorkingHours(jst(2026, 11, 20, 17, 0), jst(2026, 11, 25, 10, 0)); got != 2*time.Hour {
		t.Errorf("WorkingHours over a closed Tuesday = %v, want 2h (Fri 17-18, Wed 9-10)", got)
	}
	for _, tt := range []struct {
		day  time.Time
		want bool
	}{
		{jst(2026, 11, 24, 12, 0), false}, // closed by an admin
		{jst(2026, 11, 23, 12, 0), false}, // national holiday
		{jst(2026, 11, 22, 12, 0), false}, // Sunday
		{jst(2026, 11, 25, 12, 0), true},
		{jst(2027, 1, 1, 12, 0), false}, // New Year's Day
	} {
		if got, err := c.IsWorkday(tt.day); err != nil || got != tt.want {
			t.Errorf("IsWorkday(%v) = %v, %v; want %v", tt.day.Format("2006-01-02 Mon"), got, err, tt.want)
		}
	}
	next, err := c.AddWorkingHours(jst(2026, 11, 20, 17, 0), 8*time.Hour)
	if want := jst(2026, 11, 25, 16, 0); err != nil || !next.Equal(want) {
		t.Errorf("AddWorkingHours(Fri 17:00, 8h) = %v, %v; want %v", next, err, want)
	}
}

func TestCalendarOptions(t *testing.T) {
	c, err := scheduler.NewCalendar(scheduler.CalendarOptions{DayStart: 10 * time.Hour, DayEnd: 16 * time.Hour, Workdays: []time.Weekday{time.Saturday}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := c.WorkingHours(jst(2026, 11, 20, 0, 0), jst(2026, 11, 23, 0, 0)); got != 6*time.Hour {
		t.Errorf("Saturday-only 10-16 over Fri-Sun = %v, want 6h", got)
	}
	if _, err := scheduler.NewCalendar(scheduler.CalendarOptions{DayStart: 18 * time.Hour, DayEnd: 9 * time.Hour}); err == nil {
		t.Errorf("NewCalendar(18:00-9:00): got nil error, want one")
	}
	broken, _ := scheduler.NewCalendar(scheduler.CalendarOptions{Closed: func() ([]string, error) { return nil, errors.New("disk") }})
	if _, err := broken.WorkingHours(jst(2026, 11, 20, 0, 0), jst(2026, 11, 23, 0, 0)); err == nil {
		t.Errorf("WorkingHours with a failing closed-days source: got nil error, want one")
	}
}

// TestWithClosedReadsNothing: a calendar given the closed days (read in
// the caller's transaction) uses them and never calls its own source,
// which would open a transaction inside the caller's.
func TestWithClosedReadsNothing(t *testing.T) {
	c, err := scheduler.NewCalendar(scheduler.CalendarOptions{Closed: func() ([]string, error) {
		t.Error("WithClosed's calendar read the closed days itself")
		return nil, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	w := c.WithClosed([]string{"2026-11-24"})
	if got, err := w.IsWorkday(jst(2026, 11, 24, 12, 0)); err != nil || got {
		t.Errorf("IsWorkday(closed Tuesday) = %v, %v; want false", got, err)
	}
	if got, err := w.WorkingHours(jst(2026, 11, 20, 17, 0), jst(2026, 11, 25, 10, 0)); err != nil || got != 2*time.Hour {
		t.Errorf("WorkingHours over the closed Tuesday = %v, %v; want 2h", got, err)
	}
}
