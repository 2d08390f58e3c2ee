package broadcast

import (
	"testing"

	"github.com/soudan/soudan/internal/testenv"
)

// FuzzBroadcastArgs feeds what admins type as join-year ranges and
// broadcast times to their parsers: none may panic, and what they accept
// must be well formed.
func FuzzBroadcastArgs(f *testing.F) {
	for _, s := range []string{"2015-2020", "２０１５", "2026-12-01 09:00", "明日の朝", "2026-02-30", "9999-12-31..0001-01-01"} {
		f.Add(s)
	}
	e := testenv.New(f, testenv.Options{})
	a := New(e.Kit)
	f.Fuzz(func(t *testing.T, s string) {
		if from, to, ok := parseYears(s); ok && (from > to || from < 1900 || to > 2200) {
			t.Fatalf("parseYears(%q) = %d, %d", s, from, to)
		}
		if at, ok := a.parseSchedule(s); ok && !at.IsZero() && !at.After(testenv.DefaultNow) {
			t.Fatalf("parseSchedule(%q) = %v, not after now", s, at)
		}
	})
}
