package connections

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
)

// TestPreviewRunIntroduceCheckin is a round from start to end: four
// people of two departments join, the admin previews (nothing sent),
// runs (one introduction each, naming the other with their profile),
// cannot run twice in one week, sends the check-in, and a "met" answer
// is recorded and shown in history.
func TestPreviewRunIntroduceCheckin(t *testing.T) {
	e := newConnEnv(t)
	e.joined("佐藤 総務課 2024", "鈴木 総務課 2010", "高橋 人事課 2023", "田中 人事課 2008")
	e.OK(bottest.Command("admin", "/soudan admin coffee add 横断コーヒー cadence=weekly cross=on"))

	prev := e.OK(bottest.Command("admin", "/soudan admin coffee preview 横断コーヒー"))
	if len(prev.Sent) != 0 {
		t.Errorf("the preview sent %d messages", len(prev.Sent))
	}
	if txt := prev.Text(); !strings.Contains(txt, "プレビュー") || !strings.Contains(txt, "部署横断 ✓") || strings.Contains(txt, "部署横断 ✗") {
		t.Errorf("preview = %q, want two cross-department groups", txt)
	}
	if rs, _ := handlers_rounds(e); rs != 0 {
		t.Errorf("the preview stored %d rounds", rs)
	}

	run := e.OK(bottest.Command("admin", "/soudan admin coffee run 横断コーヒー"))
	if !strings.Contains(run.Text(), "2組") {
		t.Errorf("run = %q, want 2 groups", run.Text())
	}
	rd := e.round("横断コーヒー")
	for _, name := range []string{"佐藤", "鈴木", "高橋", "田中"} {
		in := introsTo(run.Sent, name)
		if len(in) != 1 {
			t.Fatalf("%s got %d introductions, want 1", name, len(in))
		}
		g := rd.Groups[rd.GroupOf(e.Known(name).ID)]
		for _, id := range g.Members {
			other, _ := e.userByID(id)
			if id != e.Known(name).ID && !strings.Contains(in[0].Reply.Text, other.Name+"（"+other.Department) {
				t.Errorf("%s's introduction does not name %s with their department:\n%s", name, other.Name, in[0].Reply.Text)
			}
		}
		if !strings.Contains(in[0].Reply.Text, "候補の時間: 12/1(火) 15:00") {
			t.Errorf("%s's introduction suggests no time within business hours:\n%s", name, in[0].Reply.Text)
		}
	}
	for _, g := range rd.Groups {
		a, _ := e.userByID(g.Members[0])
		b, _ := e.userByID(g.Members[1])
		if a.Department == b.Department {
			t.Errorf("group %s × %s is one department", a.Name, b.Name)
		}
	}

	again := e.Refused(bottest.Command("admin", "/soudan admin coffee run 横断コーヒー"))
	if !strings.Contains(again, "実行済み") {
		t.Errorf("second run = %q, want refused as done this period", again)
	}

	ci := e.OK(bottest.Command("admin", "/soudan admin coffee checkin 横断コーヒー"))
	var btn *bottest.Delivery
	for i, d := range ci.Sent {
		if d.To.User == "佐藤" {
			btn = &ci.Sent[i]
		}
	}
	if btn == nil || len(btn.Reply.Buttons) != 3 || btn.Reply.Buttons[0].Label != "会えた" {
		t.Fatalf("check-in to 佐藤 = %+v, want the three buttons", btn)
	}
	e.OK(bottest.Press("佐藤", btn.To, btn.Reply.Buttons[0].ID, btn.Reply.Buttons[0].Value))
	rd = e.round("横断コーヒー")
	if g := rd.Groups[rd.GroupOf(e.Known("佐藤").ID)]; !g.Met() {
		t.Errorf("佐藤's group did not record the meeting: %+v", g)
	}
	if h := e.OK(bottest.Command("佐藤", "/soudan coffee history")).Text(); !strings.Contains(h, "横断コーヒー") || !strings.Contains(h, "会えた") {
		t.Errorf("history = %q, want the group and 会えた", h)
	}
}

// handlers_rounds counts every stored round.
func handlers_rounds(e *connEnv) (int, error) {
	n := 0
	err := e.St.View(func(tx *store.Tx) error {
		ps, err := tx.Connections().Programmes()
		for _, p := range ps {
			rs, _ := tx.Connections().Rounds(p.ID, 0)
			n += len(rs)
		}
		return err
	})
	return n, err
}

// TestRoundSurvivesCrash: the round commits with its introductions queued
// and the process dies before sending. On restart the schedule runs the
// job again (its day claim was never written) and an admin presses run:
// neither forms a second round nor queues anything again, and the outbox
// delivers exactly one introduction per person.
func TestRoundSurvivesCrash(t *testing.T) {
	e := newConnEnv(t)
	e.joined("佐藤 総務課 2024", "鈴木 人事課 2010", "高橋 経理課 2023")
	e.OK(bottest.Command("admin", "/soudan admin coffee add 週コーヒー cadence=weekly"))
	// Created this week: the schedule starts next week.
	e.clock.Advance(7 * 24 * time.Hour)
	if err := e.f.Daily(context.Background(), e.Now()); err != nil {
		t.Fatal(err)
	}
	// The crash: nothing flushed. The restart runs the job again.
	if err := e.f.Daily(context.Background(), e.Now()); err != nil {
		t.Fatal(err)
	}
	e.Refused(bottest.Command("admin", "/soudan admin coffee run 週コーヒー"))
	e.Flush()
	if n, _ := handlers_rounds(e); n != 1 {
		t.Errorf("rounds = %d, want 1", n)
	}
	sent := e.Ad.Sent()
	for _, name := range []string{"佐藤", "鈴木", "高橋"} {
		if n := len(introsTo(sent, name)); n != 1 {
			t.Errorf("%s got %d introductions, want exactly 1", name, n)
		}
	}
	rd := e.round("週コーヒー")
	if len(rd.Groups) != 1 || len(rd.Groups[0].Members) != 3 {
		t.Errorf("groups = %+v, want the odd person as a third", rd.Groups)
	}
}
