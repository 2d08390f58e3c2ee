package main

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
)

func TestCloseNoteReachesAskerAndMentorsAndAnAdminsCloseIsAudited(t *testing.T) {
	t.Parallel()
	e := newFlowEnv(t, 3, nil)
	e.Mentor("佐藤", "キャリア")
	e.OK(bottest.DM("田中", "キャリアの相談です"))
	e.OK(bottest.DM("田中", "キャリアの相談その2"))

	// The asker closes their own: the mentor reads the note, nothing is audited.
	turn := e.OK(bottest.Command("田中", "/soudan close 1 自己解決"))
	if !strings.Contains(turn.Text(), "メモ: 自己解決") {
		t.Errorf("asker's reply = %q, want the note", turn.Text())
	}
	var toMentor string
	for _, d := range turn.Sent {
		if d.At.Channel == "dm:佐藤" {
			toMentor += d.Reply.Text
		}
	}
	if !strings.Contains(toMentor, "相談 #1 は終了しました") || !strings.Contains(toMentor, "メモ: 自己解決") {
		t.Errorf("mentor was told %q, want the close with its note", toMentor)
	}
	if s := e.Cmd("admin", "/soudan admin audit").Text(); strings.Contains(s, "相談の終了") {
		t.Errorf("audit = %q, want no line for an asker closing their own", s)
	}

	// An admin closes someone else's: asker and mentor read the note, and
	// the audit log shows it.
	turn = e.OK(bottest.Command("admin", "/soudan close 2 重複のため"))
	var toAsker, toMentor2 string
	for _, d := range turn.Sent {
		switch d.At.Channel {
		case "dm:田中":
			toAsker += d.Reply.Text
		case "dm:佐藤":
			toMentor2 += d.Reply.Text
		}
	}
	if !strings.Contains(toAsker, "管理者によって終了") || !strings.Contains(toAsker, "メモ: 重複のため") {
		t.Errorf("asker was told %q, want the admin's close with its note", toAsker)
	}
	if !strings.Contains(toMentor2, "メモ: 重複のため") {
		t.Errorf("mentor was told %q, want the note", toMentor2)
	}
	audit := e.Cmd("admin", "/soudan admin audit").Text()
	if !strings.Contains(audit, "相談の終了") || !strings.Contains(audit, "#2 重複のため") {
		t.Errorf("audit = %q, want the admin's close of #2 with its note", audit)
	}
	// One close, one audit line.
	if n := strings.Count(audit, "相談の終了"); n != 1 {
		t.Errorf("audit has %d close lines, want 1", n)
	}
}

func TestCloseUsageListsTheNoteInBothLanguages(t *testing.T) {
	t.Parallel()
	e := newFlowEnv(t, 3, nil)
	for _, lang := range []string{"ja", "en"} {
		usage := e.Kit.TL(lang, "usage.close")
		if !strings.Contains(usage, "[メモ]") && !strings.Contains(usage, "[note]") {
			t.Errorf("%s usage.close = %q, want the note", lang, usage)
		}
	}
	if help := testenv.ReplyTexts(e.Cmd("山田", "/soudan help")); !strings.Contains(strings.Join(help, "\n"), "close 番号 [メモ]") {
		t.Errorf("help = %q, want close with its note", help)
	}
}
