package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"
)

// The fake Slack's workspace and bot.
const (
	testSlackTeam = "T0TEST"
	testSlackUser = "UBOT"
)

// slackFake is slacktest's fake Slack (Web API and Socket Mode) with the
// Web API methods the bot uses, recording every call. It answers
// chat.postMessage to a user id with that user's DM channel ("D" + the
// id without its "U") and gives every message a fresh ts.
type slackFake struct {
	t   testing.TB
	srv *slacktest.Server

	mu    sync.Mutex
	seq   int // ts and view ids
	env   int // Socket Mode envelope ids
	calls []slackCall
	users map[string]slack.User
	acks  []string // Socket Mode messages the bot sent (acknowledgements)
}

// slackCall is one Web API call the fake answered.
type slackCall struct {
	Method string
	Form   url.Values     // form-encoded calls
	JSON   map[string]any // JSON calls (views.open, views.publish)
	TS     string         // the ts it answered, for posts
	Chan   string         // the channel it answered, for posts
}

func newSlackFake(t testing.TB) *slackFake {
	f := &slackFake{t: t, users: map[string]slack.User{}}
	methods := []string{"auth.test", "chat.postMessage", "chat.postEphemeral", "chat.update", "conversations.open",
		"views.open", "views.publish", "users.info", "chat.getPermalink", "conversations.history", "conversations.replies"}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		for _, m := range methods {
			c.Handle("/"+m, f.handler(m))
		}
	})
	f.srv.Start()
	go func() {
		for m := range f.srv.SeenFeed { // unbuffered: must be read
			f.mu.Lock()
			f.acks = append(f.acks, m)
			f.mu.Unlock()
		}
	}()
	t.Cleanup(f.srv.Stop)
	return f
}

// socketArgs are serve's settings for Socket Mode on the fake.
func (f *slackFake) socketArgs() []string {
	return []string{"-slack-bot-token", testSlackBot, "-slack-app-token", testSlackApp, "-slack-api-url", f.srv.GetAPIURL()}
}

// httpArgs are serve's settings for HTTP mode on a free loopback port,
// with the fake's Web API.
func (f *slackFake) httpArgs() []string {
	return []string{"-slack-bot-token", testSlackBot, "-slack-signing-secret", testSlackSecret, "-http-addr", "127.0.0.1:0", "-slack-api-url", f.srv.GetAPIURL()}
}

// addUser makes users.info know a user.
func (f *slackFake) addUser(id, name, locale, tz string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[id] = slack.User{ID: id, Name: strings.ToLower(id), RealName: name, Locale: locale, TZ: tz, Profile: slack.UserProfile{DisplayName: name}}
}

func (f *slackFake) handler(method string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		call := slackCall{Method: method}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			_ = json.Unmarshal(body, &call.JSON)
		} else {
			call.Form, _ = url.ParseQuery(string(body))
			if q := r.URL.Query(); len(q) > 0 && len(call.Form) == 0 {
				call.Form = q
			}
		}
		f.mu.Lock()
		resp := f.answerLocked(&call)
		f.calls = append(f.calls, call)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(resp)
	}
}

// answerLocked is the fake's answer to a call.
func (f *slackFake) answerLocked(c *slackCall) map[string]any {
	ok := map[string]any{"ok": true}
	switch c.Method {
	case "auth.test":
		return map[string]any{"ok": true, "url": "https://soudan-test.slack.com/", "team": "Test", "user": "soudan", "team_id": testSlackTeam, "user_id": testSlackUser, "bot_id": "BBOT"}
	case "chat.postMessage", "chat.postEphemeral", "chat.update":
		f.seq++
		c.TS = fmt.Sprintf("1700000000.%06d", f.seq)
		c.Chan = c.Form.Get("channel")
		if c.Method == "chat.postMessage" && strings.HasPrefix(c.Chan, "U") {
			c.Chan = "D" + c.Chan[1:]
		}
		if c.Method == "chat.update" {
			c.TS = c.Form.Get("ts")
		}
		ok["channel"], ok["ts"], ok["message_ts"] = c.Chan, c.TS, c.TS
	case "conversations.open":
		ok["channel"] = map[string]any{"id": "D" + strings.TrimPrefix(c.Form.Get("users"), "U")}
	case "views.open", "views.publish":
		f.seq++
		ok["view"] = map[string]any{"id": "V" + strconv.Itoa(f.seq)}
	case "users.info":
		u, found := f.users[c.Form.Get("user")]
		if !found {
			return map[string]any{"ok": false, "error": "user_not_found"}
		}
		ok["user"] = u
	case "conversations.history", "conversations.replies":
		// The bot's own posts in the channel: top-level ones, or the
		// thread of ts.
		ch, root := c.Form.Get("channel"), c.Form.Get("ts")
		msgs := []map[string]any{}
		for i := len(f.calls) - 1; i >= 0; i-- {
			p := f.calls[i]
			if p.Method != "chat.postMessage" || p.Chan != ch {
				continue
			}
			thread := p.Form.Get("thread_ts")
			if c.Method == "conversations.history" && thread != "" || c.Method == "conversations.replies" && p.TS != root && thread != root {
				continue
			}
			msgs = append(msgs, map[string]any{"type": "message", "ts": p.TS, "text": p.Form.Get("text")})
		}
		ok["messages"] = msgs
	case "chat.getPermalink":
		ok["permalink"] = "https://soudan-test.slack.com/archives/" + c.Form.Get("channel") + "/p" + strings.ReplaceAll(c.Form.Get("message_ts"), ".", "")
	}
	return ok
}

// callsOf returns the recorded calls of method, oldest first.
func (f *slackFake) callsOf(method string) []slackCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []slackCall
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// waitCalls waits until method has been called n times and returns the
// calls.
func (f *slackFake) waitCalls(method string, n int) []slackCall {
	f.t.Helper()
	var got []slackCall
	waitUntil(f.t, fmt.Sprintf("%d %s calls", n, method), func() bool {
		got = f.callsOf(method)
		return len(got) >= n
	})
	return got
}

// waitPostTo waits for a chat.postMessage that landed in channel and
// contains want, and returns it.
func (f *slackFake) waitPostTo(channel, want string) slackCall {
	f.t.Helper()
	var found slackCall
	waitUntil(f.t, "a post in "+channel+" with "+want, func() bool {
		for _, c := range f.callsOf("chat.postMessage") {
			if c.Chan == channel && strings.Contains(allText(c), want) {
				found = c
				return true
			}
		}
		return false
	})
	return found
}

// envelope sends a Socket Mode envelope, waits for the bot's
// acknowledgement and returns it.
func (f *slackFake) envelope(kind string, payload any, retry int) map[string]any {
	f.t.Helper()
	f.mu.Lock()
	f.env++
	id := fmt.Sprintf("env-%d", f.env)
	f.mu.Unlock()
	b, err := json.Marshal(map[string]any{"type": kind, "envelope_id": id, "payload": payload, "retry_attempt": retry, "accepts_response_payload": kind != "events_api"})
	if err != nil {
		f.t.Fatal(err)
	}
	f.srv.SendToWebsocket(string(b))
	var ack map[string]any
	waitUntil(f.t, "ack of "+id, func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, m := range f.acks {
			var a map[string]any
			if json.Unmarshal([]byte(m), &a) == nil && a["envelope_id"] == id {
				ack = a
				return true
			}
		}
		return false
	})
	return ack
}

// event sends an Events API event over Socket Mode.
func (f *slackFake) event(eventID string, inner map[string]any, retry int) {
	f.t.Helper()
	f.envelope("events_api", map[string]any{"type": "event_callback", "team_id": testSlackTeam, "event_id": eventID, "event_time": 1700000000, "event": inner}, retry)
}

// post sends a message event from user in channel (in thread when set).
func (f *slackFake) post(eventID, user, channel, ts, thread, text string) {
	f.t.Helper()
	typ := "channel"
	if strings.HasPrefix(channel, "D") {
		typ = "im"
	}
	ev := map[string]any{"type": "message", "user": user, "channel": channel, "ts": ts, "text": text, "channel_type": typ}
	if thread != "" {
		ev["thread_ts"] = thread
	}
	f.event(eventID, ev, 0)
}

// command sends "/soudan text" from user in channel over Socket Mode,
// with a trigger id and a response_url on a foreign host (which the bot
// refuses, answering through the Web API instead).
func (f *slackFake) command(user, channel, text, trigger string) {
	f.t.Helper()
	name := "general"
	if strings.HasPrefix(channel, "D") {
		name = "directmessage"
	}
	f.envelope("slash_commands", map[string]any{
		"command": "/soudan", "text": text, "team_id": testSlackTeam, "user_id": user, "user_name": strings.ToLower(user),
		"channel_id": channel, "channel_name": name, "trigger_id": trigger, "response_url": "https://hooks.example/" + trigger,
	}, 0)
}

// press sends a block_actions interaction: user pressed the button
// actionID (value) on the message ts in channel.
func (f *slackFake) press(user, channel, ts, actionID, value, trigger string) {
	f.t.Helper()
	f.envelope("interactive", map[string]any{
		"type": "block_actions", "trigger_id": trigger, "team": map[string]any{"id": testSlackTeam},
		"user":      map[string]any{"id": user, "name": strings.ToLower(user)},
		"container": map[string]any{"type": "message", "channel_id": channel, "message_ts": ts},
		"channel":   map[string]any{"id": channel},
		"message":   map[string]any{"ts": ts},
		"actions":   []any{map[string]any{"type": "button", "action_id": actionID, "value": value, "block_id": "b", "action_ts": "1700000500.000001"}},
	}, 0)
}

// pressHome sends a block_actions interaction: user pressed the button
// actionID in their App Home.
func (f *slackFake) pressHome(user, actionID, trigger string) {
	f.t.Helper()
	f.envelope("interactive", map[string]any{
		"type": "block_actions", "trigger_id": trigger, "team": map[string]any{"id": testSlackTeam},
		"user":      map[string]any{"id": user},
		"container": map[string]any{"type": "view", "view_id": "VHOME"},
		"view":      map[string]any{"id": "VHOME", "type": "home"},
		"actions":   []any{map[string]any{"type": "button", "action_id": actionID, "block_id": "b", "action_ts": "1700000600.000001"}},
	}, 0)
}

// submit sends the view_submission of the modal view (as views.open got
// it) with the given state values, and returns the acknowledgement's
// payload (nil when the modal closes).
func (f *slackFake) submit(user string, view map[string]any, values map[string]any, trigger string) map[string]any {
	f.t.Helper()
	ack := f.envelope("interactive", viewSubmission(user, view, values, trigger), 0)
	p, _ := ack["payload"].(map[string]any)
	return p
}

// viewSubmission is the payload of a view_submission of view.
func viewSubmission(user string, view map[string]any, values map[string]any, trigger string) map[string]any {
	return map[string]any{
		"type": "view_submission", "trigger_id": trigger, "team": map[string]any{"id": testSlackTeam},
		"user": map[string]any{"id": user, "name": strings.ToLower(user)},
		"view": map[string]any{
			"id": "V-sub", "hash": "h1", "type": "modal", "callback_id": view["callback_id"],
			"private_metadata": view["private_metadata"], "state": map[string]any{"values": values},
		},
	}
}

// Block Kit state values of a view submission.

func slackText(v string) map[string]any {
	return map[string]any{"v": map[string]any{"type": "plain_text_input", "value": v}}
}

func slackRadio(v string) map[string]any {
	return map[string]any{"v": map[string]any{"type": "radio_buttons", "selected_option": map[string]any{"value": v}}}
}

func slackMulti(vs ...string) map[string]any {
	opts := []any{}
	for _, v := range vs {
		opts = append(opts, map[string]any{"value": v})
	}
	return map[string]any{"v": map[string]any{"type": "multi_static_select", "selected_options": opts}}
}

// allText is a post's fallback text and every text in its blocks, with
// Slack's &amp; &lt; &gt; unescaped.
func allText(c slackCall) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(rawText(c))
}

// rawText is a post's fallback text and every text in its blocks, as
// sent.
func rawText(c slackCall) string {
	var b strings.Builder
	b.WriteString(c.Form.Get("text"))
	var blocks any
	_ = json.Unmarshal([]byte(c.Form.Get("blocks")), &blocks)
	collectText(blocks, &b)
	return b.String()
}

func collectText(v any, b *strings.Builder) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "text" {
				b.WriteString("\n" + s)
			} else {
				collectText(x, b)
			}
		}
	case []any:
		for _, x := range v {
			collectText(x, b)
		}
	}
}
