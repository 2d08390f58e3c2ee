package scheduler

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

func TestActivation(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*60*60)
	day := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, tokyo) }
	now := day(2026, 11, 21, 10, 30)
	tests := []struct {
		spec string
		now  time.Time
		want time.Time
	}{
		{"*/5 * * * *", now, day(2026, 11, 21, 10, 30)},
		{"0 4 * * *", now, day(2026, 11, 21, 4, 0)},
		{"0 4 * * *", day(2026, 11, 21, 3, 59), day(2026, 11, 20, 4, 0)},
		{"0 4 * * *", day(2026, 11, 21, 4, 0), day(2026, 11, 21, 4, 0)},
		{"0 9 * * 1", now, day(2026, 11, 16, 9, 0)}, // Monday
		{"0 9 1 * *", now, day(2026, 11, 1, 9, 0)},
		{"0 9 1 * *", day(2026, 11, 1, 8, 0), day(2026, 10, 1, 9, 0)},
		{"0 0 1 1 *", now, day(2026, 1, 1, 0, 0)},
		{"0 0 29 2 *", now, day(2024, 2, 29, 0, 0)},
		{"@every 1h", now, now},
	}
	for _, tt := range tests {
		sched, err := cron.ParseStandard(tt.spec)
		if err != nil {
			t.Fatalf("ParseStandard(%q): %v", tt.spec, err)
		}
		if got := activation(sched, tt.now); !got.Equal(tt.want) {
			t.Errorf("activation(%q, %v) = %v, want %v", tt.spec, tt.now, got, tt.want)
		}
	}
}
