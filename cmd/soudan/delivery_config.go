package main

import (
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/reminders"
	"github.com/soudan/soudan/internal/outbox"
	"github.com/soudan/soudan/scheduler"
	"github.com/soudan/soudan/store"
)

// deliverySettings are the delivery and reminder settings, resolved.
type deliverySettings struct {
	dayStart, dayEnd time.Duration
	limits           map[string]outbox.Limit // nil: outbox.DefaultLimits
}

// deliveryFlags adds the delivery and reminder settings to fs.
func (cfg *Config) deliveryFlags(fs *flag.FlagSet) {
	fs.StringVar(&cfg.BusinessHours, "business-hours", "9:00-18:00", "working hours of weekdays that are not Japanese holidays or closed days (/soudan admin closed); reminders count only these")
	fs.IntVar(&cfg.RemindAfterHours, "remind-after-hours", 8, "remind the mentors of a question unanswered for this many working hours (a topic may set its own)")
	fs.IntVar(&cfg.EscalateAfterHours, "escalate-after-hours", 24, "after this many working hours unanswered, post the question in its topic's channel (or ask more mentors) and tell the admins")
	fs.IntVar(&cfg.ResolveAfterDays, "resolve-after-days", 7, "ask the asker to resolve an answered question quiet for this many days")
	fs.IntVar(&cfg.CloseAfterDays, "close-after-days", 14, "close an answered question quiet for this many days")
	fs.StringVar(&cfg.DeliveryLimits, "delivery-limits", "", "sending rates, platform=perSecond[/perConversation], comma-separated, e.g. slack=20/1,teams=50/1 (default: the platforms' published limits)")
}

// validateDelivery checks and resolves the delivery and reminder settings.
func validateDelivery(c *Config) []settingError {
	var errs []settingError
	start, end, err := parseHours(c.BusinessHours)
	if err != nil {
		errs = append(errs, settingError{"business-hours", err.Error()})
	}
	c.delivery.dayStart, c.delivery.dayEnd = start, end
	for _, n := range []struct {
		flag string
		v    int
	}{{"remind-after-hours", c.RemindAfterHours}, {"escalate-after-hours", c.EscalateAfterHours}, {"resolve-after-days", c.ResolveAfterDays}, {"close-after-days", c.CloseAfterDays}} {
		if n.v < 1 {
			errs = append(errs, settingError{n.flag, fmt.Sprintf("%d; want at least 1", n.v)})
		}
	}
	if c.EscalateAfterHours > 0 && c.EscalateAfterHours < c.RemindAfterHours {
		errs = append(errs, settingError{"escalate-after-hours", fmt.Sprintf("%d is before the reminder (%d); want at least -remind-after-hours", c.EscalateAfterHours, c.RemindAfterHours)})
	}
	if c.CloseAfterDays > 0 && c.CloseAfterDays <= c.ResolveAfterDays {
		errs = append(errs, settingError{"close-after-days", fmt.Sprintf("%d; want more than -resolve-after-days (%d), so the asker is asked first", c.CloseAfterDays, c.ResolveAfterDays)})
	}
	limits, err := parseLimits(c.DeliveryLimits)
	if err != nil {
		errs = append(errs, settingError{"delivery-limits", err.Error()})
	}
	c.delivery.limits = limits
	return errs
}

// parseHours reads "9:00-18:00" as offsets from midnight.
func parseHours(s string) (time.Duration, time.Duration, error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	start, err1 := parseClock(from)
	end, err2 := parseClock(to)
	if !ok || err1 != nil || err2 != nil || start >= end {
		return 0, 0, fmt.Errorf("%q; want HH:MM-HH:MM within one day, such as 9:00-18:00", s)
	}
	return start, end, nil
}

// parseClock reads "9:00" or "18:30".
func parseClock(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || hh == 24 && mm > 0 {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// parseLimits reads "slack=20/1,teams=50/1"; platforms not named keep
// their default. Empty means the defaults (nil).
func parseLimits(s string) (map[string]outbox.Limit, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	out := map[string]outbox.Limit{}
	for p, l := range outbox.DefaultLimits {
		out[p] = l
	}
	for _, part := range strings.Split(s, ",") {
		name, rates, ok := strings.Cut(strings.TrimSpace(part), "=")
		global, conv, hasConv := strings.Cut(rates, "/")
		g, err := parseRate(global)
		l := out[name]
		if !ok || name == "" || err != nil {
			return nil, fmt.Errorf("%q; want platform=perSecond[/perConversation], such as slack=20/1", part)
		}
		l.PerSecond = g
		if hasConv {
			cv, err := parseRate(conv)
			if err != nil {
				return nil, fmt.Errorf("%q; want platform=perSecond[/perConversation], such as slack=20/1", part)
			}
			l.PerConversation = cv
		}
		out[name] = l
	}
	return out, nil
}

// parseRate reads a finite, non-negative rate per second.
func parseRate(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("bad rate %q", s)
	}
	return v, nil
}

// deliveryConfig adds the business calendar, reminder stages and sending
// rates to the bot's options. The store must be open.
func (m *Main) deliveryConfig(o *botOptions) {
	d := m.Config.delivery
	cal, err := scheduler.NewCalendar(scheduler.CalendarOptions{
		Location: m.Config.location, DayStart: d.dayStart, DayEnd: d.dayEnd,
		Closed: func() ([]string, error) { return closedDates(m.store) },
	})
	if err != nil {
		// Validate checked the hours; fall back to counting every hour.
		m.log.Error("business calendar", "err", err)
	} else {
		o.Kit.Calendar = kitCalendar{cal} // the one business calendar: reminders, statistics, survey schedules
	}
	o.Reminders.Stages = reminders.Stages{
		RemindAfter:     time.Duration(m.Config.RemindAfterHours) * time.Hour,
		EscalateAfter:   time.Duration(m.Config.EscalateAfterHours) * time.Hour,
		AskResolveAfter: time.Duration(m.Config.ResolveAfterDays) * 24 * time.Hour,
		CloseAfter:      time.Duration(m.Config.CloseAfterDays) * 24 * time.Hour,
	}
	o.Limits = d.limits
}

// closedDates lists the closed days an admin set, as dates.
func closedDates(st *store.Store) ([]string, error) {
	var days []store.ClosedDay
	err := st.View(func(tx *store.Tx) (err error) {
		days, err = tx.ClosedDays()
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = d.Date
	}
	return out, nil
}

// kitCalendar is the business calendar as the kit takes it: given the
// closed days a transaction read (handlers.Kit.CalendarIn), it answers
// without reading them itself.
type kitCalendar struct{ *scheduler.Calendar }

// WithClosedDays implements handlers.ClosedDaysCalendar.
func (c kitCalendar) WithClosedDays(days []string) handlers.Calendar {
	return kitCalendar{c.WithClosed(days)}
}
