package knowledge

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
)

func TestTipOfTheWeek(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	chans := []bot.Address{{Platform: bottest.Platform, Workspace: bottest.Workspace, Channel: "#general"}, {Platform: bottest.Platform, Workspace: bottest.Workspace, Channel: "#new-staff"}}
	f := NewWith(e.Kit, Options{TipOfWeek: chans})
	e.Register(f)
	if jobs := f.Jobs(); len(jobs) != 1 || jobs[0].Name != tipWeekJob {
		t.Fatalf("jobs = %+v", jobs)
	}
	if jobs := New(e.Kit).Jobs(); len(jobs) != 0 {
		t.Errorf("without channels: jobs = %+v, want none", jobs)
	}
	best := addTip(t, e, "佐藤", "VPN 手順", "更新して再接続。", "", "")
	second := addTip(t, e, "佐藤", "年休の取り方", "前日までに申請。", "", "")
	addTip(t, e, "佐藤", "誰も押していないヒント", "本文。", "", "")
	for _, u := range []string{"田中", "山田"} {
		e.Press(u, actionHelpful, strconv.FormatUint(best, 10))
	}
	e.Press("田中", actionHelpful, strconv.FormatUint(second, 10))

	week := func(now time.Time) []bottest.Delivery {
		t.Helper()
		before := len(e.Ad.Sent())
		if err := f.TipOfWeek(t.Context(), now); err != nil {
			t.Fatal(err)
		}
		e.Flush()
		return e.Ad.Sent()[before:]
	}
	mon := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // Monday 10:00 in Tokyo
	sent := week(mon)
	if got := testenv.Recipients(sent); strings.Join(got, " ") != "#general #new-staff" {
		t.Fatalf("sent to %v, want both channels", got)
	}
	if r := sent[0].Reply; !strings.HasPrefix(r.Title, "🌟 今週のヒント — 💡 ヒント #1 VPN 手順") || len(r.Buttons) != 1 {
		t.Errorf("post = %q %+v, want the most helpful tip with its button", r.Title, r.Buttons)
	}
	if again := week(mon.Add(time.Hour)); len(again) != 0 {
		t.Errorf("the same week again sent %v", testenv.Recipients(again))
	}
	// The next weeks: the other voted tip, then nothing (the first rests
	// twelve weeks; a tip nobody found helpful is never posted).
	if sent := week(mon.AddDate(0, 0, 7)); len(sent) != 2 || !strings.Contains(sent[0].Reply.Title, "年休の取り方") {
		t.Errorf("next week = %+v, want the second tip", sent)
	}
	if sent := week(mon.AddDate(0, 0, 14)); len(sent) != 0 {
		t.Errorf("third week sent %+v, want nothing", sent)
	}
	if sent := week(mon.AddDate(0, 0, 7*13)); len(sent) != 2 || !strings.Contains(sent[0].Reply.Title, "VPN 手順") {
		t.Errorf("after its rest = %+v, want the first tip again", sent)
	}
}
