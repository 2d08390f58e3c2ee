package stats

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
)

// fakeConnections answers a quarter as the connections feature would:
// the organisation and 総務課 shown, 会計課 hidden by the k rule.
type fakeConnections struct {
	asked []string
	err   error
}

func (f *fakeConnections) ConnectionsQuarter(_ context.Context, q string) (ConnQuarter, error) {
	f.asked = append(f.asked, q)
	return ConnQuarter{Quarter: q, K: 5,
		Org:         ConnRow{Shown: true, OneOnOnes: 1349, Groups: 37, Met: 29, MentorsShown: true, NewHires: 9, Mentored: 7},
		Departments: []ConnRow{{Name: "会計課"}, {Name: "総務課", Shown: true, OneOnOnes: 700, Groups: 20, Met: 15, NewHires: 5, Mentored: 3}},
	}, f.err
}

// TestConnectionsInStats: /soudan stats shows the quarter holding the
// month, a hidden department in words only; a failing source says so
// and the rest of the report stands.
func TestConnectionsInStats(t *testing.T) {
	e := fixture(t)
	fc := &fakeConnections{}
	e.f.opt.Connections = fc
	s := e.OK(bottest.Command("admin", "/soudan stats 2026-11")).Text()
	for _, want := range []string{"つながり 2026-Q4（5人未満の部署は非表示）", "・全体: 1on1 1349件、グループ 37組（会えた 29組）、メンター 7/9人",
		"・総務課: 1on1 700件、グループ 20組（会えた 15組）、メンターは非表示（新人5人未満", "・会計課: 非表示"} {
		if !strings.Contains(s, want) {
			t.Errorf("stats = %q, want %q in it", s, want)
		}
	}
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "会計課") && strings.ContainsAny(l, "0123456789") && !strings.Contains(l, "5人未満") {
			t.Errorf("the hidden department shows a number: %q", l)
		}
	}
	if len(fc.asked) != 1 || fc.asked[0] != "2026-Q4" {
		t.Errorf("asked for quarters %v, want [2026-Q4]", fc.asked)
	}
	fc.err = errors.New("store closed")
	s = e.OK(bottest.Command("admin", "/soudan stats 2026-02")).Text()
	if !strings.Contains(s, "つながり 2026-Q1:\n・いまは取得できません") || !strings.Contains(s, "相談窓口の統計（2026-02）") {
		t.Errorf("stats with the connections failing = %q", s)
	}
}
