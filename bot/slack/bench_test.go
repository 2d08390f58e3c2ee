package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/slackevents"
	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

var benchEvent = []byte(`{"type":"event_callback","team_id":"T1","event_id":"Ev1","event":{"type":"message","user":"U1","channel":"C1","channel_type":"channel","ts":"1700000000.000100","text":"キャリアパスに悩んでいます。<@U2> さん、異動希望は &lt;いつ&gt; 出すべき？ <https://example.com|手順書>"}}`)

// BenchmarkDecodeEvent: an Events API payload to a bot.Message.
func BenchmarkDecodeEvent(b *testing.B) {
	for b.Loop() {
		ev, err := slackevents.ParseEvent(benchEvent, slackevents.OptionNoVerifyToken())
		if err != nil {
			b.Fatal(err)
		}
		if _, _, ok := testDecoder.event(ev); !ok {
			b.Fatal("dropped")
		}
	}
}

// BenchmarkRenderCard: a consultation card to Block Kit JSON.
func BenchmarkRenderCard(b *testing.B) {
	r := bot.Reply{
		Title: "相談 #12 · キャリア", Text: strings.Repeat("キャリアパスに悩んでいます。<@U1> ", 20),
		Fields:  []bot.Field{{Label: "相談者", Value: "田中さん"}, {Label: "回答方法", Value: "スレッドに返信"}},
		Buttons: []bot.Button{{ID: "consult.take", Label: "引き受ける", Value: "12"}, {ID: "consult.answer", Label: "回答する", Value: "12"}},
	}
	for b.Loop() {
		if _, err := json.Marshal(blocks(r, "")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHTTPEvent: one signed Events API request through verification,
// parsing, deduplication and the acknowledgement (the handler is a no-op).
func BenchmarkHTTPEvent(b *testing.B) {
	a, err := New(Options{BotToken: "xoxb-x", SigningSecret: testSecret, Addr: ":0"})
	if err != nil {
		b.Fatal(err)
	}
	a.self = identity{UserID: slackfake.BotUser, TeamID: slackfake.Team}
	h := a.httpHandler(context.Background(), dispatcherFunc(func(context.Context, *bot.Message, bot.Responder) error { return nil }))
	a.users.put(bot.User{ID: "U1", Name: "田中"})
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	i := 0
	for b.Loop() {
		i++
		body := strings.Replace(string(benchEvent), `"Ev1"`, `"Ev`+strconv.Itoa(i)+`"`, 1)
		req := httptest.NewRequest(http.MethodPost, PathEvents, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", slackfake.Sign(testSecret, mustInt(ts), body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
	a.inflight.Wait()
}

func mustInt(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
