package survey

import (
	"context"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
)

// TestExportKeepsFiguresNumbers: the CSV export's formula guard is for
// text people typed (a department named "=1+1"), not for soudan's own
// figures: a negative eNPS is the number -100.00, not the text '-100.00.
func TestExportKeepsFiguresNumbers(t *testing.T) {
	t.Parallel()
	e, f, _ := newRoundEnv(t)
	e.OK(bottest.Command("admin", "/soudan admin department add =1+1"))
	for _, n := range org["人事課"] {
		withDepartment(t, e, n, "=1+1")
	}
	round, _ := openAs(t, e, "/soudan survey send engagement dept=総務課,=1+1 k=3")
	for _, n := range org["総務課"] {
		answerAs(t, e, n, round, 0, 1, "")
	}
	for _, n := range org["人事課"] {
		answerAs(t, e, n, round, 0, 1, "")
	}
	if _, _, err := f.closeRound(context.Background(), mustID(t, round), store.User{}); err != nil {
		t.Fatal(err)
	}
	csv := e.OK(bottest.Command("admin", "/soudan survey export engagement")).Text()
	if !strings.Contains(csv, ",-100.00") {
		t.Errorf("export = %q, want the eNPS -100.00 as a number", csv)
	}
	if strings.Contains(csv, "'-") {
		t.Errorf("export = %q: a figure of soudan's was guarded as text", csv)
	}
	if !strings.Contains(csv, ",'=1+1,") || strings.Contains(csv, ",=1+1,") {
		t.Errorf("export = %q, want the department =1+1 guarded", csv)
	}
}
