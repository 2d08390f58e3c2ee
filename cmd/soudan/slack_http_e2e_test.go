package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/slack"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

// startSlackHTTPBot runs the bot on the fake Slack's Web API in HTTP mode
// on a free loopback port, and returns the base URL of its listener.
func startSlackHTTPBot(t *testing.T) (*slackfake.Server, *testBot, string) {
	t.Helper()
	f := slackfake.NewWithToken(t, testSlackBot)
	b := startBot(t, []string{"-slack-bot-token", testSlackBot, "-slack-signing-secret", testSlackSecret, "-http-addr", "127.0.0.1:0", "-slack-api-url", f.APIURL()}...)
	line := b.waitLog("(HTTP mode)")
	_, rest, _ := strings.Cut(line, " addr=")
	addr, _, _ := strings.Cut(rest, " ")
	if addr == "" {
		t.Fatalf("no address in the log line %q", line)
	}
	return f, b, "http://" + addr
}

// slackPost sends body to the bot at base+path, signed with the signing
// secret now, as Slack's retry number retry when it is above 0, and
// returns the status and body of the answer.
func slackPost(t *testing.T, base, path, contentType, body string, retry int) (int, string) {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(testSlackSecret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	r.Header.Set("Content-Type", contentType)
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	if retry > 0 {
		r.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		r.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// slackEventBody is an Events API request body for a DM from user.
func slackEventBody(eventID, user, text string) string {
	b, _ := json.Marshal(map[string]any{
		"type": "event_callback", "team_id": slackfake.Team, "event_id": eventID, "event_time": 1700000000,
		"event": map[string]any{"type": "message", "user": user, "channel": "D" + user[1:], "channel_type": "im", "ts": "1700000100.000100", "text": text},
	})
	return string(b)
}

// slackSlashBody is a slash command request body.
func slackSlashBody(user, channel, text, trigger string) string {
	return url.Values{
		"command": {"/soudan"}, "text": {text}, "team_id": {slackfake.Team}, "user_id": {user}, "user_name": {"x"},
		"channel_id": {channel}, "channel_name": {"directmessage"}, "trigger_id": {trigger},
	}.Encode()
}

// TestHTTPModeRetriedEvent: Slack's retry of an event (X-Slack-Retry-Num)
// is acknowledged and creates nothing new.
func TestHTTPModeRetriedEvent(t *testing.T) {
	f, b, base := startSlackHTTPBot(t)
	f.AddUser(slackTanaka, "田中", "ja-JP", "Asia/Tokyo")
	body := slackEventBody("Ev-1", slackTanaka, "異動後の引き継ぎについて相談です")
	if status, _ := slackPost(t, base, slack.PathEvents, "application/json", body, 0); status != 200 {
		t.Fatalf("event: status %d, want 200", status)
	}
	f.WaitPostTo("DTANAKA", "異動後の引き継ぎについて相談です")
	posts := len(f.CallsOf("chat.postMessage"))
	for retry := 1; retry <= 2; retry++ {
		if status, _ := slackPost(t, base, slack.PathEvents, "application/json", body, retry); status != 200 {
			t.Errorf("retry %d: status %d, want 200", retry, status)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(f.CallsOf("chat.postMessage")); n != posts {
		t.Errorf("retries posted %d more messages, want 0", n-posts)
	}
	if cs, _ := b.st().ConsultationsByAsker(b.slackUserID(slackTanaka)); len(cs) != 1 {
		t.Errorf("consultations = %d, want 1", len(cs))
	}
}

// TestHTTPModeCommandAndModal: a slash command over HTTP opens a modal;
// its rejected submission is answered in the HTTP response with the
// errors, and Japanese aliases work.
func TestHTTPModeCommandAndModal(t *testing.T) {
	f, _, base := startSlackHTTPBot(t)
	f.AddUser(slackTanaka, "田中", "en-US", "America/New_York")
	form := "application/x-www-form-urlencoded"
	if status, body := slackPost(t, base, slack.PathCommands, form, slackSlashBody(slackTanaka, "DTANAKA", "ヘルプ", "trg-1"), 0); status != 200 || body != "" {
		t.Fatalf("command: status %d body %q, want 200 and an empty body", status, body)
	}
	help := f.WaitPostTo("DTANAKA", "/soudan ask")
	if !strings.Contains(slackfake.AllText(help), "mine") {
		t.Errorf("help does not list the commands: %s", slackfake.AllText(help))
	}

	slackPost(t, base, slack.PathCommands, form, slackSlashBody(slackTanaka, "DTANAKA", "プロフィール", "trg-2"), 0)
	view := f.WaitCalls("views.open", 1)[0].JSON["view"].(map[string]any)
	payload, _ := json.Marshal(slackfake.ViewSubmission(slackTanaka, view, map[string]any{"join_year": slackfake.TextValue("nineteen"), "department": slackfake.TextValue("人事課")}, "trg-3"))
	status, body := slackPost(t, base, slack.PathInteractive, form, url.Values{"payload": {string(payload)}}.Encode(), 0)
	if status != 200 {
		t.Fatalf("submission: status %d", status)
	}
	var ack struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
	}
	if err := json.Unmarshal([]byte(body), &ack); err != nil || ack.ResponseAction != "errors" || ack.Errors["join_year"] == "" {
		t.Errorf("submission answer = %s (%v), want response_action errors for join_year", body, err)
	}
}
