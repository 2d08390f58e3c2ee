package main

import (
	"strings"
	"testing"
)

// TestRun runs a small organisation through every strategy and reads
// the table: the matcher must repeat nobody within the cooldown and
// leave at most the odd person out, silently never.
func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run([]string{"-sizes", "40", "-rounds", "6", "-cooldown", "3"}, &out); err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "| 40 |") {
			rows = append(rows, line)
		}
	}
	if len(rows) != len(strategies) {
		t.Fatalf("got %d rows, want one per strategy:\n%s", len(rows), out.String())
	}
	cells := strings.Split(rows[len(rows)-1], "|")
	// | people | strategy | repeats | across | left mean / max | silent | most ...
	if got := strings.TrimSpace(cells[3]); got != "0" {
		t.Errorf("blossom repeats within the cooldown: %s, want 0", got)
	}
	if got := strings.TrimSpace(cells[5]); !strings.HasSuffix(got, "/ 0") && !strings.HasSuffix(got, "/ 1") {
		t.Errorf("blossom left out per round %s, want at most 1", got)
	}
	if got := strings.TrimSpace(cells[6]); got != "0" {
		t.Errorf("blossom left out silently: %s, want 0", got)
	}
}

func TestRunRejectsBadSizes(t *testing.T) {
	var out strings.Builder
	if err := run([]string{"-sizes", "1"}, &out); err == nil {
		t.Fatal("a size of 1 was accepted")
	}
}

func TestCompareSparse(t *testing.T) {
	if testing.Short() {
		t.Skip("matches ten dense rounds")
	}
	var out strings.Builder
	if err := compareSparse(&out, 200, 1, 0); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n| "); n != 11 {
		t.Fatalf("got %d table lines, want a header and ten rounds:\n%s", n, out.String())
	}
}

// TestCafes runs junior cafés on a small organisation: the matcher's
// groups are all of three or four and repeat nobody within the cooldown.
func TestCafes(t *testing.T) {
	var out strings.Builder
	if err := run([]string{"-cafes", "40", "-rounds", "3", "-cooldown", "2", "-depts", "8"}, &out); err != nil {
		t.Fatal(err)
	}
	var row string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "| blossom") {
			row = line
		}
	}
	cells := strings.Split(row, "|")
	if len(cells) < 9 {
		t.Fatalf("no matcher row:\n%s", out.String())
	}
	// | strategy | groups | without a senior | within a department | repeated | outside 3-4 | left out | relaxed |
	if got := strings.TrimSpace(cells[5]); got != "0" {
		t.Errorf("pairs repeated within the cooldown: %s, want 0", got)
	}
	if got := strings.TrimSpace(cells[6]); got != "0" {
		t.Errorf("groups outside 3-4: %s, want 0", got)
	}
}
