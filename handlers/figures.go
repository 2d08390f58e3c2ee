// Survey figures: what survey reports may show, per group of people (a
// department, a tenure band) and per item: the average, the favourable
// share, the distribution and eNPS, with every figure of a group too small
// to stay anonymous suppressed, and suppressed groups protected against
// differencing. It knows nothing of chat or storage: every output (chat
// report, status, export, monthly message, web page) goes through
// ComputeFigures, in the kit so that the survey feature, which computes,
// and the web pages, which draw, share it without importing each other.

package handlers

import (
	"cmp"
	"slices"
)

// HiddenGroups returns which groups of a partition must not be shown, given
// each group's respondent count and the minimum group size k:
//
//   - a group with fewer than k respondents is hidden;
//   - differencing: while the hidden groups together hold more than zero
//     but fewer than k respondents (so that the total minus the visible
//     groups would give a small group's figure), the smallest visible
//     group is hidden too (ties: the first key in order).
//
// The partition's groups must add up to the total that is shown beside
// them. A group with no respondents is hidden and never forces another to
// hide; outputs say "too few" for it as for any hidden group, never "no
// answers": that would tell whether the one person of a small group
// answered. When the whole partition holds fewer than k respondents every
// group is hidden.
func HiddenGroups(counts map[string]int, k int) map[string]bool {
	hidden := map[string]bool{}
	sum := 0
	var visible []string
	for key, n := range counts {
		if n < k {
			hidden[key] = true
			sum += n
		} else {
			visible = append(visible, key)
		}
	}
	slices.SortFunc(visible, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[a], counts[b]), cmp.Compare(a, b))
	})
	for sum > 0 && sum < k && len(visible) > 0 {
		hidden[visible[0]] = true
		sum += counts[visible[0]]
		visible = visible[1:]
	}
	return hidden
}
