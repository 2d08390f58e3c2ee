package main

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/internal/testenv"
)

// TestStatsCountWhatTheBotDid: a question asked anonymously, answered in
// the mentor's card thread and resolved with a rating, another left
// unanswered, and a tip search that finds nothing, all through the whole
// bot, show in an admin's /soudan stats; the anonymous asker is never
// named; a member may not see the statistics.
func TestStatsCountWhatTheBotDid(t *testing.T) {
	t.Parallel()
	e := newFlowEnv(t, 3, withBusinessCalendar(t))
	e.Mentor("佐藤", "キャリア")
	turn := e.OK(bottest.Command("秘密の人", "/soudan ask --anon キャリア 上司との関係に悩んでいます"))
	card := testenv.CardTo(t, turn, "佐藤")
	e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "まずは信頼できる先輩に話してみては"))
	e.OK(bottest.Command("秘密の人", "/soudan resolve 1 9"))
	e.OK(bottest.DM("田中", "パソコンが起動しません"))
	e.OK(bottest.Command("田中", "/soudan tip search 量子コンピュータ"))

	got := e.OK(bottest.Command("admin", "/soudan stats")).Text()
	for _, want := range []string{
		"相談窓口の統計（2026-11）", "受付 2 件 / 初回回答 1 件 / 解決 1 件 / 未回答のまま終了 0 件",
		"回答率: 50.0%", "平均 9.0 / 10、8 以上 100.0%（評価 1 件）", "・佐藤: 回答 1 件",
		"・#2 IT: 0 日経過", "検索 1 回（該当なし 1 回）",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("stats = %q, want %q in it", got, want)
		}
	}
	for _, banned := range []string{"秘密の人", "田中"} {
		if strings.Contains(got, banned) {
			t.Errorf("stats = %q names the asker %s", got, banned)
		}
	}
	e.Refused(bottest.Command("田中", "/soudan stats"))
	if jobs := e.bot.jobs(); !hasJob(jobs, "stats:monthly") {
		t.Error("the monthly statistics job is not scheduled")
	}
}

// hasJob reports whether jobs holds one named name.
func hasJob(jobs []handlers.Job, name string) bool {
	for _, j := range jobs {
		if j.Name == name {
			return true
		}
	}
	return false
}
