package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestConsoleTips plays tips through the whole bot in the console: add
// with the form, search in full width, the helpful button once per
// person, a refused edit, the 京都 trap, and the tip still found after a
// restart.
func TestConsoleTips(t *testing.T) {
	db := filepath.Join(t.TempDir(), "tips.db")
	out := session(t, db, strings.Join([]string{
		":as admin",
		"/soudan admin topic add IT・Teams it",
		":as 佐藤",
		"/soudan tip add",
		`:submit title="Teams で画面共有できない" body="Teams を再起動して @channel 権限を確認" topic=2 tags="Teams、画面共有" links="https://example.com/manual"`,
		"/soudan ヒント 検索 ＴＥＡＭＳ",
		":as 田中",
		"/soudan tip show 1",
		":press 1",
		":press 1",
		"/soudan tip edit 1",
		"/soudan 検索 京都",
	}, "\n")+"\n", "-console-user", "kim")
	wantContains(t, "output", out,
		"ヒント #1 を登録しました。",
		"「ＴＥＡＭＳ」の検索結果（1件）\n  #1 Teams で画面共有できない（IT・Teams）\n      *Teams* を再起動して",
		"・役に立った: 0\n  [1] 👍 役に立った",
		"ヒント #1 の「役に立った」は 1 になりました。",
		"⚠️ ヒント #1 にはもう「役に立った」を押しています（1人1回）。",
		"⚠️ ヒント #1 を変更できるのは、書いた人と管理者だけです。",
		"「京都」に合うヒントは見つかりませんでした。",
	)
	if strings.Contains(out, "@channel") {
		t.Errorf("a mass mention reached the output:\n%s", out)
	}
	out = session(t, db, ":as 田中\n/soudan tip vpn\n/soudan tip 画面共有\n", "-console-user", "kim")
	wantContains(t, "output after a restart", out, "「vpn」に合うヒントは見つかりませんでした。", "「画面共有」の検索結果（1件）")
}
