package handlers

import (
	"slices"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestPlainCalendar: with no business calendar configured, Monday to
// Friday are working days and every hour counts (never a negative span).
func TestPlainCalendar(t *testing.T) {
	var c Calendar = PlainCalendar{}
	fri := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	for d, want := range map[int]bool{0: true, 1: false, 2: false, 3: true} {
		if got, _ := c.IsWorkday(fri.AddDate(0, 0, d)); got != want {
			t.Errorf("IsWorkday(%s) = %t, want %t", fri.AddDate(0, 0, d).Weekday(), got, want)
		}
	}
	if got, _ := c.WorkingHours(fri, fri.Add(60*time.Hour)); got != 60*time.Hour {
		t.Errorf("WorkingHours over a weekend = %s, want 60h", got)
	}
	if got, _ := c.WorkingHours(fri, fri.Add(-time.Hour)); got != 0 {
		t.Errorf("WorkingHours backwards = %s, want 0", got)
	}
}

// closedCal is a ClosedDaysCalendar that tells what it was given.
type closedCal struct {
	PlainCalendar
	days []string
}

func (c closedCal) WithClosedDays(days []string) Calendar { return closedCal{days: days} }

// TestCalendarIn: inside a transaction the kit's calendar gets the
// closed days read through it (the calendar's own read would be a second
// transaction nested in the first); a calendar without closed days is
// returned as it is.
func TestCalendarIn(t *testing.T) {
	st := storetest.MustOpen(t)
	storetest.MustUpdate(t, st, func(tx *store.Tx) error {
		for _, d := range []string{"2026-12-28", "2026-12-29"} {
			if _, err := tx.AddClosedDay(store.ClosedDay{Date: d, Note: "年末休業"}); err != nil {
				return err
			}
		}
		return nil
	})
	k := &Kit{Calendar: closedCal{}}
	got := storetest.View(t, st, func(tx *store.Tx) (Calendar, error) { return k.CalendarIn(tx) })
	if c, ok := got.(closedCal); !ok || !slices.Equal(c.days, []string{"2026-12-28", "2026-12-29"}) {
		t.Errorf("CalendarIn = %#v, want the calendar with the two closed days", got)
	}
	k = &Kit{Calendar: PlainCalendar{}}
	if got := storetest.View(t, st, func(tx *store.Tx) (Calendar, error) { return k.CalendarIn(tx) }); got != (PlainCalendar{}) {
		t.Errorf("CalendarIn of PlainCalendar = %#v, want it as it is", got)
	}
}
