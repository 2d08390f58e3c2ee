package slack

import (
	"context"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

// TestReadThread reads the thread of a reacted reply: every message from
// the root, oldest first, mentions as @name, the bot's own marked.
func TestReadThread(t *testing.T) {
	const root, reply, botReply = "1700000000.000100", "1700000000.000200", "1700000000.000300"
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	f.AddUser("U1", "田中", "ja-JP", "Asia/Tokyo")
	f.AddUser("U2", "佐藤", "ja-JP", "Asia/Tokyo")
	f.AddThread("C1", root,
		map[string]any{"type": "message", "ts": root, "thread_ts": root, "user": "U1", "text": "VPN がつながりません &amp; 困っています"},
		map[string]any{"type": "message", "ts": reply, "thread_ts": root, "user": "U2", "text": "<@U1> クライアントを更新してください <https://intra.example.jp/vpn|手順書>"},
		map[string]any{"type": "message", "ts": botReply, "thread_ts": root, "bot_id": "B1", "text": "相談 #1 を受け付けました"},
	)
	got, err := a.ReadThread(context.Background(), bot.Address{Platform: "slack", Channel: "C1"}, reply)
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.Posted{
		{ID: root, User: "U1", Name: "田中", Text: "VPN がつながりません & 困っています"},
		{ID: reply, User: "U2", Name: "佐藤", Text: "@田中 クライアントを更新してください 手順書 (https://intra.example.jp/vpn)"},
		{ID: botReply, Text: "相談 #1 を受け付けました", Bot: true},
	}
	if len(got) != len(want) {
		t.Fatalf("ReadThread = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("message %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
