package stats

import (
	"testing"
	"time"
)

func TestParseMonth(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11": "2026-11", "2026/1": "2026-01", "2026.09": "2026-09", "2026年11月": "2026-11",
		"２０２６年１１月": "2026-11", "２０２６－１１": "2026-11", " 2026 年 3 月 ": "2026-03",
		"2026-13": "", "2026-0": "", "26-11": "", "1999-12": "", "2026-11-01": "", "november": "", "": "",
	} {
		got, ok := parseMonth(in)
		if got != want || ok != (want != "") {
			t.Errorf("parseMonth(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
}

func TestMonthRangeAndPrevious(t *testing.T) {
	from, to, err := monthRange("2026-12", jst)
	if err != nil || !from.Equal(at(time.December, 1, 0, 0)) || !to.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, jst)) {
		t.Errorf("monthRange(2026-12) = %v %v %v", from, to, err)
	}
	// 1 January 00:30 in Tokyo is still 31 December in UTC.
	if got := previousMonth(time.Date(2026, 12, 31, 15, 30, 0, 0, time.UTC), jst); got != "2026-12" {
		t.Errorf("previousMonth(1 Jan 00:30 JST) = %q, want 2026-12", got)
	}
}

// FuzzParseMonth feeds what admins type as a month to its parser: it may
// not panic, and what it accepts is a month that reads back as itself.
func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"2026-11", "２０２６年１１月", "2026/1", "2026-13", "令和8年11月", "2026-11-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, ok := parseMonth(s)
		if !ok {
			return
		}
		p, err := time.Parse("2006-01", m)
		if err != nil || p.Format("2006-01") != m || p.Year() < 2000 {
			t.Fatalf("parseMonth(%q) = %q: not a month", s, m)
		}
		if again, ok := parseMonth(m); !ok || again != m {
			t.Fatalf("parseMonth(%q) = %q, which reads back as %q %v", s, m, again, ok)
		}
	})
}
