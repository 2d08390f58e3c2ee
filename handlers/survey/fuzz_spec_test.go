package survey

import (
	"slices"
	"strings"
	"testing"
)

// FuzzSendSpec feeds what admins type after /soudan survey send (and what
// a confirmation button carries back) to parseSpec: it must not panic,
// what it accepts must be in range, and its String form must read back
// to the same spec, so that the button opens exactly the round shown.
func FuzzSendSpec(f *testing.F) {
	for _, s := range []string{
		"engagement",
		"engagement 全員 mode=confidential k=10 deadline=2026-12-15",
		"engagement dept=総務課,人事課 匿名",
		"pulse years=３ 締切=2026/12/01",
		"engagement role=メンター k=2",
		"engagement ｄｅｐｔ＝総務　課、会計課",
		"x deadline=2026-02-30",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		sp, err := parseSpec(strings.Fields(line))
		if err != nil {
			return
		}
		if sp.survey == "" || sp.k != 0 && (sp.k < minK || sp.k > maxK) || (sp.mode != "" && sp.mode != "anonymous" && sp.mode != "confidential") {
			t.Fatalf("parseSpec(%q) = %+v", line, sp)
		}
		if sp.audience == audYears && (sp.years < 1 || sp.years > 60) || sp.audience == audDept && (len(sp.depts) == 0 || len(sp.depts) > maxSpecDepts) {
			t.Fatalf("parseSpec(%q) = %+v", line, sp)
		}
		again, err := parseSpec(splitSpec(sp.String()))
		if err != nil {
			t.Fatalf("parseSpec(String of %q = %q): %v", line, sp.String(), err)
		}
		if again.survey != sp.survey || again.audience != sp.audience || again.years != sp.years || !slices.Equal(again.depts, sp.depts) ||
			again.role != sp.role || again.mode != sp.mode || again.k != sp.k || again.deadline != sp.deadline {
			t.Fatalf("spec of %q = %+v, read back from %q as %+v", line, sp, sp.String(), again)
		}
	})
}

// TestSpecOneAudience: a spec that names two audiences is refused, not
// read as one of them (the fuzzer's "dept=000 YeArs=01" read back without
// its department).
func TestSpecOneAudience(t *testing.T) {
	t.Parallel()
	for _, line := range []string{
		"engagement dept=000 years=01",
		"engagement years=3 dept=総務課",
		"engagement 全員 role=mentor",
		"engagement role=hr everyone",
	} {
		if sp, err := parseSpec(strings.Fields(line)); err == nil || err.MsgKey != "survey.error.two_audiences" {
			t.Errorf("parseSpec(%q) = %+v, %v; want survey.error.two_audiences", line, sp, err)
		}
	}
	for _, line := range []string{"engagement dept=総務課 dept=人事課", "engagement years=3 years=5"} {
		if _, err := parseSpec(strings.Fields(line)); err != nil {
			t.Errorf("parseSpec(%q): %v; the same audience twice is the last one", line, err)
		}
	}
}
