package admin

import (
	"testing"
	"time"
)

// FuzzDateArgs feeds what admins type as closed days to their parser: it
// may not panic, and what it accepts must be well formed.
func FuzzDateArgs(f *testing.F) {
	for _, s := range []string{"2026-12-29", "２０２６/１２/２９..2027-01-03", "2015-2020", "２０１５", "2026-12-01 09:00", "明日の朝", "2026-02-30", "9999-12-31..0001-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if days, ok := parseDays(s); ok {
			if len(days) == 0 || len(days) > maxClosedSpan {
				t.Fatalf("parseDays(%q) = %d days, want 1..%d", s, len(days), maxClosedSpan)
			}
			for i, d := range days {
				if _, err := time.Parse("2006-01-02", d); err != nil || i > 0 && d <= days[i-1] {
					t.Fatalf("parseDays(%q) = %v: bad or unsorted date %q", s, days, d)
				}
			}
		}
	})
}
