package main

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/internal/outbox"
)

func TestDeliverySettings(t *testing.T) {
	t.Parallel()
	m, err := parse(t, "console", "-business-hours", "8:30-17:15", "-remind-after-hours", "4", "-delivery-limits", "teams=10/2")
	if err != nil {
		t.Fatal(err)
	}
	d := m.Config.delivery
	if d.dayStart != 8*time.Hour+30*time.Minute || d.dayEnd != 17*time.Hour+15*time.Minute {
		t.Errorf("business hours = %v-%v, want 8:30-17:15", d.dayStart, d.dayEnd)
	}
	if got := d.limits["teams"]; got.PerSecond != 10 || got.PerConversation != 2 || got.ConversationBurst != outbox.DefaultLimits["teams"].ConversationBurst {
		t.Errorf("teams limit = %+v, want 10/s, 2/s per conversation, the default burst", got)
	}
	if got := d.limits["slack"]; got != outbox.DefaultLimits["slack"] {
		t.Errorf("slack limit = %+v, want the default %+v", got, outbox.DefaultLimits["slack"])
	}
	if m, _ := parse(t, "console"); m.Config.delivery.limits != nil || m.Config.RemindAfterHours != 8 || m.Config.CloseAfterDays != 14 {
		t.Errorf("defaults: limits %v, remind %d, close %d; want nil (outbox defaults), 8, 14", m.Config.delivery.limits, m.Config.RemindAfterHours, m.Config.CloseAfterDays)
	}
}

func TestDeliverySettingsRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-business-hours", "18:00-9:00"}, "-business-hours (SOUDAN_BUSINESS_HOURS): \"18:00-9:00\"; want HH:MM-HH:MM"},
		{[]string{"-business-hours", "9時-18時"}, "want HH:MM-HH:MM"},
		{[]string{"-remind-after-hours", "0"}, "-remind-after-hours (SOUDAN_REMIND_AFTER_HOURS): 0; want at least 1"},
		{[]string{"-remind-after-hours", "30"}, "-escalate-after-hours (SOUDAN_ESCALATE_AFTER_HOURS): 24 is before the reminder (30)"},
		{[]string{"-close-after-days", "7"}, "want more than -resolve-after-days (7)"},
		{[]string{"-delivery-limits", "slack=fast"}, "-delivery-limits (SOUDAN_DELIVERY_LIMITS): \"slack=fast\"; want platform=perSecond"},
		{[]string{"-delivery-limits", "slack=20/-1"}, "want platform=perSecond"},
		{[]string{"-delivery-limits", "slack=NaN"}, "want platform=perSecond"},
		{[]string{"-delivery-limits", "teams=+Inf/1"}, "want platform=perSecond"},
	} {
		_, err := parse(t, append([]string{"console"}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want an error containing %q", tt.args, err, tt.want)
		}
	}
}

// FuzzDeliverySettings feeds business hours and delivery limits as an
// operator might type them: no panic, and what is accepted is usable.
func FuzzDeliverySettings(f *testing.F) {
	for _, s := range []string{"9:00-18:00", "８:３０-１７:１５", "slack=20/1,teams=50/1", "teams=0.5", "=", "24:00-24:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if start, end, err := parseHours(s); err == nil && (start < 0 || end > 24*time.Hour || start >= end) {
			t.Fatalf("parseHours(%q) = %v-%v", s, start, end)
		}
		if limits, err := parseLimits(s); err == nil {
			for p, l := range limits {
				if p == "" || !(l.PerSecond >= 0) || !(l.PerConversation >= 0) || math.IsInf(l.PerSecond, 0) || math.IsInf(l.PerConversation, 0) {
					t.Fatalf("parseLimits(%q): %q = %+v", s, p, l)
				}
			}
		}
	})
}
