package handlers

import (
	"maps"
	"slices"
	"testing"
)

func hiddenKeys(counts map[string]int, k int) []string {
	return slices.Sorted(maps.Keys(HiddenGroups(counts, k)))
}

func TestHidden(t *testing.T) {
	for _, c := range []struct {
		name   string
		counts map[string]int
		k      int
		want   []string
	}{
		{"all large", map[string]int{"総務課": 6, "人事課": 9, "会計課": 12}, 5, nil},
		{"one small hides the next smallest", map[string]int{"総務課": 3, "人事課": 9, "会計課": 6}, 5, []string{"会計課", "総務課"}},
		{"two small reaching k together", map[string]int{"総務課": 3, "人事課": 9, "会計課": 2, "広報課": 7}, 5, []string{"会計課", "総務課"}},
		{"two small below k hide one more", map[string]int{"総務課": 2, "人事課": 9, "会計課": 1, "広報課": 7}, 5, []string{"会計課", "広報課", "総務課"}},
		{"empty group forces nothing", map[string]int{"総務課": 0, "人事課": 9, "会計課": 6}, 5, []string{"総務課"}},
		{"tie broken by key", map[string]int{"a": 1, "b": 6, "c": 6}, 5, []string{"a", "b"}},
		{"everything small", map[string]int{"a": 1, "b": 2}, 5, []string{"a", "b"}},
		{"only one group, small", map[string]int{"a": 3}, 5, []string{"a"}},
	} {
		got := hiddenKeys(c.counts, c.k)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: HiddenGroups(%v, %d) = %v, want %v", c.name, c.counts, c.k, got, c.want)
		}
	}
}

// TestHiddenNeverRecoverable checks the property differencing protection
// exists for, over many partitions: the respondents of hidden groups
// together are zero or at least k, so the total minus the visible groups
// never gives a group smaller than k.
func TestHiddenNeverRecoverable(t *testing.T) {
	for seed := range 5000 {
		counts := map[string]int{}
		x := seed*7919 + 13
		groups := 1 + x%6
		for g := range groups {
			x = (x*1103515245 + 12345) & 0x7fffffff
			counts[string(rune('a'+g))] = x % 12
		}
		k := 3 + seed%8
		hidden := HiddenGroups(counts, k)
		sum := 0
		for key, n := range counts {
			if hidden[key] {
				sum += n
			} else if n < k {
				t.Fatalf("HiddenGroups(%v, %d) shows %s with %d respondents", counts, k, key, n)
			}
		}
		total := 0
		for _, n := range counts {
			total += n
		}
		if sum > 0 && sum < k && total-sum > 0 {
			t.Fatalf("HiddenGroups(%v, %d) = %v: the hidden groups hold %d respondents, recoverable by differencing", counts, k, hidden, sum)
		}
	}
}
