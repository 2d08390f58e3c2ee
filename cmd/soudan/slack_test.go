package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

const (
	testSlackBot    = "xoxb-1111-secret-bot"
	testSlackApp    = "xapp-1-secret-app"
	testSlackSecret = "8f742231b10e8888abcd99yyyzzz85a5"
)

func TestSlackSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string // "" for valid
	}{
		{[]string{"-slack-bot-token", testSlackBot, "-slack-app-token", testSlackApp}, ""},
		{[]string{"-slack-bot-token", testSlackBot, "-slack-signing-secret", testSlackSecret}, ""},
		{[]string{"-slack-bot-token", testSlackBot}, "-slack-app-token (SOUDAN_SLACK_APP_TOKEN): missing"},
		{[]string{"-slack-app-token", testSlackApp}, "-slack-bot-token (SOUDAN_SLACK_BOT_TOKEN): missing"},
		{[]string{"-slack-bot-token", "xoxp-user-" + testSlackSecret, "-slack-app-token", testSlackApp}, "not a bot token"},
		{[]string{"-slack-bot-token", testSlackBot, "-slack-app-token", "xoxb-" + testSlackSecret}, "not an app-level token"},
		{[]string{"-slack-api-url", "slack.com"}, "-slack-api-url (SOUDAN_SLACK_API_URL)"},
		{[]string{"-slack-bot-token", testSlackBot, "-slack-signing-secret", testSlackSecret, "-http-addr", ""}, "-http-addr (SOUDAN_HTTP_ADDR)"},
	} {
		_, err := parse(t, append([]string{"version"}, tc.args...)...)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.args, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: got %v, want %q", tc.args, err, tc.want)
		}
		for _, secret := range []string{testSlackBot, testSlackApp, testSlackSecret} {
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("%q: the error quotes a token: %v", tc.args, err)
			}
		}
	}
}

// TestSlackSecretsNotInHelp: -h lists the Slack settings and prints no
// token or secret, even when they are set in the environment.
func TestSlackSecretsNotInHelp(t *testing.T) {
	t.Setenv("SOUDAN_SLACK_BOT_TOKEN", testSlackBot)
	t.Setenv("SOUDAN_SLACK_APP_TOKEN", testSlackApp)
	t.Setenv("SOUDAN_SLACK_SIGNING_SECRET", testSlackSecret)
	m, stdout, _ := newMain("")
	_ = m.ParseFlags(t.Context(), []string{"-h"})
	help := stdout.String()
	wantContains(t, "help", help, "SOUDAN_SLACK_BOT_TOKEN", "SOUDAN_SLACK_APP_TOKEN", "SOUDAN_SLACK_SIGNING_SECRET", "SOUDAN_HTTP_ADDR", "SOUDAN_SLACK_API_URL", ":3000")
	for _, s := range []string{testSlackBot, testSlackApp, testSlackSecret} {
		if strings.Contains(help, s) {
			t.Errorf("help prints %q", s)
		}
	}
}

// TestServeSlack runs serve with Slack in Socket Mode against slacktest's
// fake Slack: it authenticates, connects, and logs no token.
func TestServeSlack(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []string
	fake := slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/auth.test", func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			seen = append(seen, r.Header.Get("Authorization")+" "+string(b))
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ok":true,"url":"https://t.slack.com/","team_id":"T1","user_id":"UBOT","bot_id":"B1"}`)
		})
	})
	fake.Start()
	t.Cleanup(fake.Stop)
	go func() {
		for range fake.SeenFeed {
		}
	}()

	m, _, stderr := newMain("")
	args := []string{"-db", filepath.Join(t.TempDir(), "s.db"), "-slack-bot-token", testSlackBot, "-slack-app-token", testSlackApp, "-slack-api-url", fake.GetAPIURL()}
	if err := m.ParseFlags(t.Context(), args); err != nil {
		t.Fatal(err)
	}
	if m.Command != "serve" {
		t.Fatalf("command: got %q, want serve (Slack is configured)", m.Command)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "slack: connected (Socket Mode)") {
		if time.Now().After(deadline) {
			t.Fatalf("not connected; log:\n%s", stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if err := m.Close(); err != nil {
		t.Error(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 || !strings.Contains(seen[0], testSlackBot) {
		t.Errorf("auth.test did not get the bot token: %q", seen)
	}
	log := stderr.String()
	wantContains(t, "log", log, "slack: authenticated", "team=T1")
	for _, s := range []string{testSlackBot, testSlackApp} {
		if strings.Contains(log, s) {
			t.Errorf("the log contains the token %q", s)
		}
	}
}

// TestSlackKeepsPostedForms: the Slack adapter serve opens saves the
// forms it posts as messages in the data file, so that their buttons
// still open them after a restart.
func TestSlackKeepsPostedForms(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var posted url.Values
	fake := slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			mu.Lock()
			posted = r.PostForm
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ok":true,"channel":"D1","ts":"1700000000.000100"}`)
		})
	})
	fake.Start()
	t.Cleanup(fake.Stop)

	m, _, _ := newMain("")
	args := []string{"-db", filepath.Join(t.TempDir(), "s.db"), "-slack-bot-token", testSlackBot, "-slack-app-token", testSlackApp, "-slack-api-url", fake.GetAPIURL()}
	if err := m.ParseFlags(t.Context(), args); err != nil {
		t.Fatal(err)
	}
	m.log = newLogger(m.Stderr, &m.Config, m.Command) // as Run sets it
	if err := m.openStore(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	a, err := slackPlatform.open(m)
	if err != nil {
		t.Fatal(err)
	}
	form := bot.Form{ID: "profile.edit", Title: "プロフィール", Inputs: []bot.Input{{Name: "dept", Label: "部署", Kind: bot.InputText}}}
	if _, err := a.Send(t.Context(), bot.Address{Platform: bot.PlatformSlack, Workspace: "T1", User: "U1"}, bot.Reply{Text: "入力してください", Form: &form}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	mu.Lock()
	blocks := posted.Get("blocks")
	mu.Unlock()
	var parsed []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if err := json.Unmarshal([]byte(blocks), &parsed); err != nil {
		t.Fatalf("posted blocks %q: %v", blocks, err)
	}
	key := ""
	for _, b := range parsed {
		for _, e := range b.Elements {
			if e.ActionID == "soudan.form.open" {
				key = e.Value
			}
		}
	}
	saved, ok, err := storetest.Read2(m.store, func(tx *store.Tx) ([]byte, bool, error) { return tx.AdapterState(bot.PlatformSlack, "form:"+key) })
	if err != nil || !ok || !strings.Contains(string(saved), form.ID) {
		t.Errorf("saved form %q: got %s, %v, %v; want the form %s", key, saved, ok, err, form.ID)
	}
}
