package handlers

import (
	"regexp"
	"strconv"
	"time"

	"github.com/soudan/soudan/store/text"
)

// MonthLayout is how a month is written: "2006-01".
const MonthLayout = "2006-01"

// Month is the month of t in the configured location, "2006-01": the key
// of the monthly counters (store.Tx.AddMonthly) and of /soudan stats.
func (k *Kit) Month(t time.Time) string { return t.In(k.Config.Location).Format(MonthLayout) }

// monthPattern is a year and a month: 2026-11, 2026/11, 2026.11,
// 2026年11月 (after NFKC, so full-width digits are read too).
var monthPattern = regexp.MustCompile(`^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$`)

// ParseMonth reads a month as a person types it (2026-11, 2026/11,
// 2026年11月, full width too) and returns it as "2006-01"; ok is false for
// anything else: a month outside 1-12 or a year outside 2000-2999. Every
// place that takes a month (stats, the stats page, survey reports) uses
// this one rule.
func ParseMonth(s string) (month string, ok bool) {
	m := monthPattern.FindStringSubmatch(text.Normalize(s))
	if m == nil {
		return "", false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	if y < 2000 || mo < 1 || mo > 12 {
		return "", false
	}
	return time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC).Format(MonthLayout), true
}
