package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/slack"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

// logLine is one JSON log line, loosely.
type logLine map[string]any

// eventLines are the "event handled" lines of a JSON log.
func eventLines(t *testing.T, log string) []logLine {
	t.Helper()
	var out []logLine
	for _, raw := range strings.Split(strings.TrimSpace(log), "\n") {
		var l logLine
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			t.Fatalf("a log line is not JSON: %v\n%s", err, raw)
		}
		if l["msg"] == "event handled" {
			out = append(out, l)
		}
	}
	return out
}

// TestEventLogsOverSignedSlackRequests: JSON logs name every handled
// event's id, platform and handler, and carry no secret, no form value,
// no anonymous question and no anonymous asker.
func TestEventLogsOverSignedSlackRequests(t *testing.T) {
	t.Parallel()
	f := slackfake.NewWithToken(t, testSlackBot)
	b, base := startListenBot(t, append(slackHTTPArgs(f), "-log-format", "json")...)
	waitReady(t, base)
	f.AddUser(slackTanaka, "田中", "ja-JP", "Asia/Tokyo")
	f.AddUser("UYAMADA", "山田", "ja-JP", "Asia/Tokyo")
	form := "application/x-www-form-urlencoded"

	if status, _ := slackPost(t, base, slack.PathEvents, "application/json", slackfake.EventBody("Ev-log-1", slackTanaka, "異動後の引き継ぎについて相談です"), 0); status != http.StatusOK {
		t.Fatalf("event: status %d", status)
	}
	f.WaitPostTo("DTANAKA", "異動後の引き継ぎについて相談です")
	const anon = "上司との関係に悩んでいます匿名"
	if status, _ := slackPost(t, base, slack.PathCommands, form, slackfake.SlashBody("UYAMADA", "DYAMADA", "ask --anon "+anon, "trg-log-1"), 0); status != http.StatusOK {
		t.Fatalf("anonymous ask: status %d", status)
	}
	slackPost(t, base, slack.PathCommands, form, slackfake.SlashBody(slackTanaka, "DTANAKA", "profile", "trg-log-2"), 0)
	view := f.WaitCalls("views.open", 1)[0].JSON["view"].(map[string]any)
	const secretDept = "極秘調査室ＸＹＺ"
	payload, _ := json.Marshal(slackfake.ViewSubmission(slackTanaka, view, map[string]any{"department": slackfake.TextValue(secretDept)}, "trg-log-3"))
	if status, _ := slackPost(t, base, slack.PathInteractive, form, url.Values{"payload": {string(payload)}}.Encode(), 0); status != http.StatusOK {
		t.Fatalf("form: status %d", status)
	}

	var lines []logLine
	waitUntil(t, "three handled events in the log", func() bool {
		lines = eventLines(t, b.log.String())
		return len(lines) >= 4
	})
	handlers := map[string]logLine{}
	for _, l := range lines {
		if l["platform"] != "slack" || l["event_id"] == "" || l["event_id"] == nil || l["kind"] == nil || l["result"] == nil {
			t.Errorf("event line without its fields: %v", l)
		}
		handlers[l["handler"].(string)] = l
	}
	if l, ok := handlers["post"]; !ok || l["event_id"] != "Ev-log-1" || l["result"] != "ok" {
		t.Errorf("the DM question's line: %v; want event_id Ev-log-1, result ok (all: %v)", l, handlers)
	}
	for _, h := range []string{"command:ask", "command:profile"} {
		if _, ok := handlers[h]; !ok {
			t.Errorf("no line for handler %s (all: %v)", h, handlers)
		}
	}
	formSeen := false
	for h := range handlers {
		formSeen = formSeen || strings.HasPrefix(h, "form:")
	}
	if !formSeen {
		t.Errorf("no line for the form submission (all: %v)", handlers)
	}

	all := b.log.String()
	for what, s := range map[string]string{
		"the bot token": testSlackBot, "the signing secret": testSlackSecret,
		"the anonymous question": anon, "the anonymous asker's id": "UYAMADA", "the anonymous asker's name": "山田",
		"a form value": secretDept,
	} {
		if strings.Contains(all, s) {
			for _, line := range strings.Split(all, "\n") {
				if strings.Contains(line, s) {
					t.Errorf("the log contains %s: %s", what, line)
				}
			}
		}
	}
}
