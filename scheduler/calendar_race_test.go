package scheduler_test

import (
	"sync"
	"testing"
	"time"
)

// TestCalendarsMeasureConcurrently: two calendars (the reminders' and
// the statistics') measure across the equinox holidays at once. Under
// -race this fails if the holiday library's shared state is not guarded.
func TestCalendarsMeasureConcurrently(t *testing.T) {
	a, b := newCalendar(t), newCalendar(t)
	// 20 March 2026 (Vernal Equinox Day) is a Friday: 16-23 March holds 4
	// working days of 9 hours.
	from, to := jst(2026, 3, 16, 9, 0), jst(2026, 3, 23, 9, 0)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		c := a
		if i%2 == 1 {
			c = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := c.WorkingHours(from, to)
			if err != nil || got != 36*time.Hour {
				t.Errorf("working hours over the equinox week = %v %v, want 36h", got, err)
			}
		}()
	}
	wg.Wait()
}
