package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestConsoleConsultationPrivacy plays issue 18's consultation attacks in
// the console, end to end on a real data file: an anonymous question typed
// in a channel, a rating of a channel question, a closed consultation, and
// a forgotten person's old thread.
func TestConsoleConsultationPrivacy(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "trust.db")
	out := session(t, db, `:as admin
/soudan admin topic add キャリア career キャリアパス
/soudan admin topic map #career キャリア
:as 伊藤
/soudan mine
:as 佐藤
/soudan mentor register
:submit join_year=2010 job_type=事務 posting=hq topics=2 message="キャリアの悩みなら何でも"
:as 山田
:in #career
/soudan ask --anon 上司との関係に悩んでいます
@soudan ask --anon 上司との関係がつらい
:as 田中
:in #career
/soudan ask 来年の異動の時期はいつがいいですか
:as 佐藤
:thread 2
4月が一般的です。@伊藤 さんも詳しいです
:as 伊藤
:thread 2
人事課に聞くと早いです
:as 田中
:dm
/soudan resolve 2 3 あまり参考になりませんでした
:as 佐藤
:thread 2
解決後の追記です
:as admin
/soudan admin forget 伊藤 --yes
:as 伊藤
:thread 2
戻ってきました、まだ見ていますか
`)
	var afterForget bool
	for _, b := range blocks(out) {
		text := b.header + "\n" + b.body
		// 1. Nothing of the anonymous question in #career, and the asker
		// named to nobody else.
		if strings.HasPrefix(b.header, "[→ #career") && strings.Contains(b.body, "上司との関係") {
			t.Errorf("the anonymous question was posted in #career:\n%s", text)
		}
		if strings.Contains(text, "山田") && !strings.HasPrefix(b.header, "[山田 →") && !strings.HasPrefix(b.header, "[→ DM 山田") && !strings.HasPrefix(b.header, "[→ 山田 only") {
			t.Errorf("the anonymous asker is named to someone else:\n%s", text)
		}
		// 2. The rating stays out of the public thread.
		if strings.HasPrefix(b.header, "[→ #career") && (strings.Contains(b.body, "3 / 10") || strings.Contains(b.body, "参考になりませんでした")) {
			t.Errorf("the rating or comment was posted in #career:\n%s", text)
		}
		// 3. After the resolve, 佐藤's addition reaches nobody.
		if strings.Contains(b.body, "解決後の追記です") && !strings.HasPrefix(b.header, "[佐藤 →") {
			t.Errorf("a post after the resolve was relayed:\n%s", text)
		}
		// 4. The returning 伊藤's post in the old thread reaches nobody.
		if strings.HasPrefix(b.header, "[admin → DM] /soudan admin forget") {
			afterForget = true
		}
		if afterForget && strings.Contains(b.body, "まだ見ていますか") && !strings.HasPrefix(b.header, "[伊藤 →") {
			t.Errorf("the returning person's post in the forgotten thread was relayed:\n%s", text)
		}
	}
	wantContains(t, "transcript", out,
		"このチャンネルには何も投稿していません",       // the anonymous asker is told, alone
		"名前付きで見えているため、匿名の相談にはできません", // the visible --anon is refused
		"伊藤さんに声をかけました",              // 伊藤 was brought in by the mention
		"評価: 3 / 10",                // the mentor has the rating
		"相談者が再開すれば",                 // the mentor is told the asker can reopen
		"このスレッドへの返信は受け付けていません",      // the returning person is refused
	)
	if !afterForget {
		t.Fatal("the forget never ran")
	}
}
