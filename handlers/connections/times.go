package connections

import (
	"fmt"
	"slices"
	"time"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Business hours the suggested times fall in, in each person's own time
// zone, and how many days are suggested.
const (
	dayStartHour = 9
	dayEndHour   = 18 // a slot starts at least an hour before
	suggestDays  = 3
)

// preferredHours are the hours tried for a slot, the usual quiet ones
// first: mid-afternoon, late morning, then the rest of the day.
var preferredHours = []int{15, 11, 16, 10, 14, 13, 9, 17}

// slots are suggested meeting times, in the bot's location.
type slots struct {
	times []time.Time
	// zones is set when some member lives in another time zone: their
	// local times are then shown too.
	zones []*time.Location
}

// suggestTimes proposes a time on each of the next business days after
// day that falls within business hours for every member (each in their
// own time zone, where the platform told it), the quiet hours first. When
// no hour suits everyone (time zones too far apart), the slot falls in
// the bot's business hours and the members settle it between them. cal
// is the kit's calendar (CalendarIn inside a transaction).
func (a *Feature) suggestTimes(cal handlers.Calendar, day time.Time, members []store.User) (slots, error) {
	var s slots
	home := a.Config.Location
	for _, m := range members {
		if m.TZ == "" {
			continue
		}
		// A zone that keeps the bot's clock on that day (Asia/Tokyo for a
		// bot on JST) is no other zone.
		loc, err := time.LoadLocation(m.TZ)
		if err != nil {
			continue
		}
		_, off := day.In(loc).Zone()
		if _, homeOff := day.In(home).Zone(); off != homeOff && !slices.ContainsFunc(s.zones, func(z *time.Location) bool { return z.String() == loc.String() }) {
			s.zones = append(s.zones, loc)
		}
	}
	d := day
	for len(s.times) < suggestDays {
		var err error
		if d, err = addWorkdays(cal, d, 1); err != nil {
			return s, err
		}
		at := time.Date(d.Year(), d.Month(), d.Day(), preferredHours[0], 0, 0, 0, home)
		for _, h := range preferredHours {
			t := time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, home)
			if s.suitsAll(t) {
				at = t
				break
			}
		}
		s.times = append(s.times, at)
	}
	return s, nil
}

// suitsAll reports whether t is within business hours in every member's
// time zone.
func (s slots) suitsAll(t time.Time) bool {
	for _, z := range s.zones {
		l := t.In(z)
		if l.Hour() < dayStartHour || l.Hour() >= dayEndHour || l.Weekday() == time.Saturday || l.Weekday() == time.Sunday {
			return false
		}
	}
	return true
}

// weekdaysJa are the weekdays' one-character Japanese names.
var weekdaysJa = [...]string{"日", "月", "火", "水", "木", "金", "土"}

// slotText shows the suggested times to u, in the bot's location and,
// for members elsewhere, in theirs.
func (a *Feature) slotText(u store.User, s slots) string {
	out := ""
	for i, t := range s.times {
		if i > 0 {
			out += a.T(u, "people.list_sep")
		}
		out += a.when(u, t)
		for _, z := range s.zones {
			out += a.T(u, "conn.paren", "Text", fmt.Sprintf("%s %s", z.String(), t.In(z).Format("15:04")))
		}
	}
	return out
}

// when is a time as u reads it: "12/8(火) 15:00" or "Tue 12/8 15:00".
func (a *Feature) when(u store.User, t time.Time) string {
	t = t.In(a.Config.Location)
	if a.Lang(u) == "en" {
		return t.Format("Mon 1/2 15:04")
	}
	return fmt.Sprintf("%d/%d(%s) %s", t.Month(), t.Day(), weekdaysJa[t.Weekday()], t.Format("15:04"))
}
