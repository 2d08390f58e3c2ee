package connections

import (
	"context"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
)

// TestDailyRunsOncePerPeriodAndChecksIn: the daily job forms a scheduled
// programme's round on the first business day of its period (not in the
// period it was created in, not twice), sends the midway check-in on
// the second business day after and the final one on the fourth, each
// once, and the next week's round closes the last.
func TestDailyRunsOncePerPeriodAndChecksIn(t *testing.T) {
	e := newConnEnv(t)
	e.joined("佐藤 総務課 2024", "鈴木 人事課 2010")
	e.OK(bottest.Command("admin", "/soudan admin coffee add 毎週 cadence=weekly"))
	ctx := context.Background()
	day := func(d int) {
		e.T.Helper()
		e.clock.Set(monday.AddDate(0, 0, d))
		if err := e.f.Daily(ctx, e.Now()); err != nil {
			t.Fatal(err)
		}
		e.Flush()
	}
	day(0) // created this week: no round yet
	if n, _ := handlers_rounds(e); n != 0 {
		t.Fatalf("rounds in the creation week = %d, want 0", n)
	}
	day(5) // Saturday: not a business day
	if n, _ := handlers_rounds(e); n != 0 {
		t.Fatalf("rounds on a Saturday = %d, want 0", n)
	}
	day(7) // Monday 12/7
	day(7) // the job again the same day
	if n, _ := handlers_rounds(e); n != 1 {
		t.Fatalf("rounds = %d, want 1", n)
	}
	rd := e.round("毎週")
	if rd.MidOn != "2026-12-09" || rd.EndOn != "2026-12-11" {
		t.Errorf("check-ins due %s and %s, want 2026-12-09 and 2026-12-11", rd.MidOn, rd.EndOn)
	}
	count := func(stage string) int {
		n := 0
		for _, d := range e.Ad.Sent() {
			if strings.Contains(d.Reply.Key, ":"+stage+":") {
				n++
			}
		}
		return n
	}
	day(8)
	if count("mid") != 0 {
		t.Error("the midway check-in went out a day early")
	}
	day(9)
	day(9)
	if count("mid") != 2 {
		t.Errorf("midway check-ins = %d, want one to each of the two", count("mid"))
	}
	day(11)
	if count("end") != 2 {
		t.Errorf("final check-ins = %d, want 2", count("end"))
	}
	day(14) // the next Monday: a new round, and the last one closed
	if n, _ := handlers_rounds(e); n != 2 {
		t.Errorf("rounds = %d, want 2", n)
	}
	if m := e.member("佐藤"); m.Ignored != 1 {
		t.Errorf("佐藤's ignored rounds = %d, want 1 (the first round, unanswered)", m.Ignored)
	}
}

// TestCafeGroupsHaveASenior: a café of three or four per group, each with
// a member of eight years or more where the seniors suffice.
func TestCafeGroupsHaveASenior(t *testing.T) {
	e := newConnEnv(t)
	e.joined("若手1 総務課 2024", "若手2 人事課 2023", "若手3 経理課 2025", "若手4 総務課 2022",
		"若手5 人事課 2024", "若手6 経理課 2021", "先輩1 総務課 2010", "先輩2 人事課 2005")
	e.OK(bottest.Command("admin", "/soudan admin coffee add ジュニアカフェ kind=cafe senior=8"))
	e.OK(bottest.Command("admin", "/soudan admin coffee run ジュニアカフェ"))
	rd := e.round("ジュニアカフェ")
	if len(rd.Groups) != 2 {
		t.Fatalf("groups = %d, want 2 of four", len(rd.Groups))
	}
	for _, g := range rd.Groups {
		if len(g.Members) < 3 || len(g.Members) > 4 {
			t.Errorf("a group of %d", len(g.Members))
		}
		senior := false
		for _, id := range g.Members {
			u, _ := e.userByID(id)
			senior = senior || 2026-u.JoinYear >= 8
		}
		if !senior {
			t.Errorf("group %v has no member of 8+ years", g.Members)
		}
	}
}
