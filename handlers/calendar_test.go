package handlers

import (
	"testing"
	"time"
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
