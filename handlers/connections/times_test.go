package connections

import (
	"testing"

	"github.com/soudan/soudan/store"
)

// TestSuggestTimesFitEveryonesDay: suggested times fall on the next
// business days, at 15:00 when it suits everyone, at another hour when a
// member's own time zone needs it, and at 15:00 with both clocks shown
// when no hour is in business hours for all.
func TestSuggestTimesFitEveryonesDay(t *testing.T) {
	e := newConnEnv(t)
	tokyo := store.User{Name: "佐藤"}
	for _, c := range []struct {
		tz   string
		want string
	}{
		{"", "12/1(火) 15:00、12/2(水) 15:00、12/3(木) 15:00"},
		{"Asia/Tokyo", "12/1(火) 15:00、12/2(水) 15:00、12/3(木) 15:00"},
		{"Pacific/Auckland", "12/1(火) 11:00（Pacific/Auckland 15:00）、12/2(水) 11:00（Pacific/Auckland 15:00）、12/3(木) 11:00（Pacific/Auckland 15:00）"},
		{"America/New_York", "12/1(火) 15:00（America/New_York 01:00）、12/2(水) 15:00（America/New_York 01:00）、12/3(木) 15:00（America/New_York 01:00）"},
	} {
		other := store.User{Name: "Smith", TZ: c.tz}
		s, err := e.f.suggestTimes(e.f.Calendar, monday, []store.User{tokyo, other})
		if err != nil {
			t.Fatal(err)
		}
		if got := e.f.slotText(tokyo, s); got != c.want {
			t.Errorf("with a member in %q: %s, want %s", c.tz, got, c.want)
		}
	}
}
