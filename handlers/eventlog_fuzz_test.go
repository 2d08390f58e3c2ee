package handlers

import (
	"strings"
	"testing"
)

// FuzzSafeName: whatever a platform sends as an event id, action id or
// reaction name, what reaches the log is at most n identifier characters.
func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"Ev-log-1", "slack:cmd:trg-1", "consult.take", "上司との関係", "a\nb\x00c", "<@U123>", strings.Repeat("x", 200)} {
		f.Add(s, 64)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 1000 {
			return
		}
		got := safeName(s, n)
		if len(got) > n {
			t.Errorf("safeName(%q, %d) = %q: longer than %d", s, n, got, n)
		}
		for _, r := range got {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._:-/", r)) {
				t.Errorf("safeName(%q, %d) = %q: keeps %q", s, n, got, r)
			}
		}
	})
}
