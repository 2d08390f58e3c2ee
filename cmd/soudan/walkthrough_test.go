package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// block is one delivery or echo in a console transcript: its header line
// ("[→ DM 佐藤] m9 (#1)") and the indented lines under it.
type block struct {
	header string
	body   string
}

// blocks splits a console transcript at its header lines.
func blocks(out string) []block {
	var bs []block
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "[") || len(bs) == 0 {
			bs = append(bs, block{header: line})
			continue
		}
		bs[len(bs)-1].body += line + "\n"
	}
	return bs
}

// readScript reads a walkthrough script from testdata.
func readScript(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWalkthrough plays the README's consultation end to end on a real
// data file, restarts, and carries on: mentor registration, a routed
// question, an answer in the thread, the asker's notification, a
// resolution with rating, an anonymous question whose asker never
// appears in what anyone else sees, and a restart with nothing lost.
func TestWalkthrough(t *testing.T) {
	t.Parallel()
	consoleStores(t, func(t *testing.T, db string) {
		out := session(t, db, readScript(t, "walkthrough-1.txt"))

		wantContains(t, "part 1", out,
			"メンターとして登録しました",
			"[→ DM 佐藤] ", "■ 相談 #1 · キャリア", "・相談者: 田中さん", "[1] 引き受ける  [2] 回答する",
			"@\u200bchannel", // the relayed @channel is defused
			"[佐藤 → DM › ",    // 佐藤 answers in the thread of the card they got
			"💬 相談 #1 に佐藤さんから回答がありました:\n  秋の面談で上司に伝えるのが一般的です。",
			"#1 [回答あり] キャリア",
			"相談 #1 を解決済みにしました",
			"評価: 9 / 10",
			"匿名の相談者",
			"💬 相談 #2 に佐藤さんから回答がありました:\n  まずは信頼できる先輩に話してみては",
		)
		var answerToTanaka, answerToYamada bool
		for _, b := range blocks(out) {
			if strings.HasPrefix(b.header, "[→ DM 田中") && strings.Contains(b.body, "相談 #1 に佐藤さんから回答") {
				answerToTanaka = true
			}
			if strings.HasPrefix(b.header, "[→ DM 山田") && strings.Contains(b.body, "相談 #2 に佐藤さんから回答") {
				answerToYamada = true
			}
			// Only 山田 themself, and their own typed lines, may name them.
			if strings.HasPrefix(b.header, "[山田 →") || strings.HasPrefix(b.header, "[→ DM 山田") || strings.HasPrefix(b.header, "[→ 山田 only") {
				continue
			}
			if strings.Contains(b.header+b.body, "山田") {
				t.Errorf("the anonymous asker is named in what someone else sees:\n%s\n%s", b.header, b.body)
			}
		}
		if !answerToTanaka || !answerToYamada {
			t.Errorf("answers reached 田中: %v, 山田 (anonymous, relayed by the bot): %v; want both", answerToTanaka, answerToYamada)
		}

		out = session(t, db, readScript(t, "walkthrough-2.txt"))
		wantContains(t, "part 2 (after restart)", out,
			"#1 [解決済み] キャリア — キャリアパスに悩んでいます",
			"#2 [回答あり] キャリア — 上司との関係に悩んでいます",
			"💬 相談 #2 に鈴木さんから回答がありました:\n  職場の相談窓口もありますよ。",
			"相談 #2 を解決済みにしました",
			"・キャリア: 別名: career、キャリアパス／チャンネル: #career",
			"■ 佐藤", "■ 鈴木",
		)
		for _, b := range blocks(out) {
			if strings.HasPrefix(b.header, "[→ DM 佐藤") && strings.Contains(b.body, "山田") {
				t.Errorf("after restart the anonymous asker is named to 佐藤:\n%s", b.body)
			}
		}
	})
}
