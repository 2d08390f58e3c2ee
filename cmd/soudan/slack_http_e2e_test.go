package main

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/slack"
	"github.com/soudan/soudan/bot/slack/slackfake"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
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
	return slackfake.Do(t, base, slackfake.Request{Path: path, ContentType: contentType, Body: body, Secret: testSlackSecret, Retry: retry})
}

// TestHTTPModeRetriedEvent: Slack's retry of an event (X-Slack-Retry-Num)
// is acknowledged and creates nothing new.
func TestHTTPModeRetriedEvent(t *testing.T) {
	t.Parallel()
	f, b, base := startSlackHTTPBot(t)
	f.AddUser(slackTanaka, "田中", "ja-JP", "Asia/Tokyo")
	body := slackfake.EventBody("Ev-1", slackTanaka, "異動後の引き継ぎについて相談です")
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
	uid := b.slackUserID(slackTanaka)
	if cs, _ := storetest.Read(b.st(), func(tx *store.Tx) ([]store.Consultation, error) {
		return tx.Consultations().ByAsker(uid)
	}); len(cs) != 1 {
		t.Errorf("consultations = %d, want 1", len(cs))
	}
}

// TestHTTPModeCommandAndModal: a slash command over HTTP opens a modal;
// its rejected submission is answered in the HTTP response with the
// errors, and Japanese aliases work.
func TestHTTPModeCommandAndModal(t *testing.T) {
	t.Parallel()
	f, _, base := startSlackHTTPBot(t)
	f.AddUser(slackTanaka, "田中", "en-US", "America/New_York")
	form := "application/x-www-form-urlencoded"
	if status, body := slackPost(t, base, slack.PathCommands, form, slackfake.SlashBody(slackTanaka, "DTANAKA", "ヘルプ", "trg-1"), 0); status != 200 || body != "" {
		t.Fatalf("command: status %d body %q, want 200 and an empty body", status, body)
	}
	help := f.WaitPostTo("DTANAKA", "/soudan ask")
	if !strings.Contains(slackfake.AllText(help), "mine") {
		t.Errorf("help does not list the commands: %s", slackfake.AllText(help))
	}

	slackPost(t, base, slack.PathCommands, form, slackfake.SlashBody(slackTanaka, "DTANAKA", "プロフィール", "trg-2"), 0)
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

// TestHTTPModeAnonymousAskInAChannel is issue 18's attack over the real
// listener: a signed slash command `/soudan ask --anon …` typed in a
// channel posts nothing in that channel (its timing and place would name
// the asker in a small team); the asker alone hears of it, and the
// question is kept without a public post.
func TestHTTPModeAnonymousAskInAChannel(t *testing.T) {
	t.Parallel()
	f, b, base := startSlackHTTPBot(t)
	f.AddUser(slackTanaka, "田中", "ja-JP", "Asia/Tokyo")
	const channel = "CSMALLTEAM"
	question := "上司との関係で悩んでいます"
	form := "application/x-www-form-urlencoded"
	body := url.Values{
		"command": {"/soudan"}, "text": {"ask --anon " + question}, "team_id": {slackfake.Team}, "user_id": {slackTanaka},
		"user_name": {"tanaka"}, "channel_id": {channel}, "channel_name": {"smallteam"}, "trigger_id": {"trg-anon"},
	}.Encode()
	if status, _ := slackPost(t, base, slack.PathCommands, form, body, 0); status != 200 {
		t.Fatalf("command: status %d, want 200", status)
	}
	slackfake.WaitUntil(t, "the question is kept", func() bool {
		uid := b.slackUserID(slackTanaka)
		cs, _ := storetest.Read(b.st(), func(tx *store.Tx) ([]store.Consultation, error) {
			return tx.Consultations().ByAsker(uid)
		})
		return len(cs) == 1
	})
	time.Sleep(300 * time.Millisecond) // anything the outbox would post has gone out by now
	for _, c := range f.CallsOf("chat.postMessage") {
		if c.Chan == channel || c.Form.Get("channel") == channel {
			t.Errorf("a message was posted in the channel the anonymous question was typed in: %s", c.Form.Get("text"))
		}
	}
	// The asker hears of it alone: ephemerally there, and in their DM.
	told := false
	for _, c := range append(f.CallsOf("chat.postEphemeral"), f.CallsOf("response_url")...) {
		told = told || strings.Contains(string(c.Raw), "%E5%8C%BF%E5%90%8D") || strings.Contains(string(c.Raw), "匿名")
	}
	dm := f.WaitPostTo("DTANAKA", question)
	if !told && !strings.Contains(slackfake.AllText(dm), "匿名") {
		t.Errorf("the asker was not told the question is anonymous")
	}
	uid := b.slackUserID(slackTanaka)
	cs, _ := storetest.Read(b.st(), func(tx *store.Tx) ([]store.Consultation, error) {
		return tx.Consultations().ByAsker(uid)
	})
	if !cs[0].Anonymous {
		t.Errorf("the consultation is not anonymous: %+v", cs[0])
	}
}
