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
	t.Parallel()
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

// TestConsoleBooksReaction: a 📚 reaction on a post in a channel offers
// the one who reacted the tip form, drafted from the post and its thread
// (not the bot's messages), with the channel's topic; they edit and save.
func TestConsoleBooksReaction(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "books.db")
	out := session(t, db, strings.Join([]string{
		":as admin",
		"/soudan admin topic add IT・Teams it",
		"/soudan admin topic map #it IT・Teams",
		":as 田中",
		":in #it",
		"VPN がつながらないときはどうしますか",
		":as 佐藤",
		":thread m3",
		"VPN クライアントを更新してから再接続すると直ります",
		":as 鈴木",
		":in #it",
		":react 📚 m3",
		`:submit title="VPN がつながらないとき"`,
		"/soudan tip show 1",
	}, "\n")+"\n", "-console-user", "kim")
	wantContains(t, "output", out,
		"📚 このメッセージをナレッジに",
		"タイトル = VPN がつながらないときはどうしますか",
		"本文 = VPN がつながらないときはどうしますか VPN クライアントを更新してから再接続すると直ります",
		"テーマ = 2",
		"ヒント #1 を登録しました。",
		"💡 ヒント #1 VPN がつながらないとき",
		"・テーマ: IT・Teams",
		"・書いた人: 鈴木",
	)
	if i := strings.Index(out, "💡 ヒント #1"); i < 0 || strings.Contains(out[i:], "相談 #1") {
		t.Errorf("the tip holds the bot's messages:\n%s", out)
	}
}

// TestKnowledgeWalkthrough plays testdata/knowledge-walk.txt (the README's
// knowledge tour) on a fresh file.
func TestKnowledgeWalkthrough(t *testing.T) {
	t.Parallel()
	consoleStores(t, func(t *testing.T, db string) {
		out := session(t, db, readScript(t, "knowledge-walk.txt"))
		wantContains(t, "walkthrough", out,
			"📎 リンク集（テーマごと、役に立った順）\n  ■ IT・Teams\n  #1 VPN に接続できないとき（👍 0）",
			"📚 こちらが参考になるかもしれません\n  ・ヒント #1 VPN に接続できないとき",
			"[2] ✅ #1 で解決した",
			"相談 #1 をヒント #1 で解決済みにしました。",
			"[1] 📚 ナレッジとして保存",
			"【相談】\n  共有フォルダの容量が足りません\n  \n  【回答】\n  古いファイルをアーカイブに移してください",
			"・元の相談: #2",
			"ヒント #2 に相談者としてあなたの名前を載せました。",
			"📝 📚 このメッセージをナレッジに",
			"ヒント #3 を登録しました。",
		)
	})
}
