package slack

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
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"
)

// Test identities: the fake workspace and its bot.
const (
	testTeam     = "T0TEST"
	testBotUser  = "UBOT"
	testBotToken = "xoxb-test-token"
	testAppToken = "xapp-test-token"
)

// fakeSlack is slacktest's fake Slack with the Web API methods the adapter
// uses, recording every call. It answers chat.postMessage to a user id
// with that user's DM channel ("D" + the id without its "U"), gives every
// message a fresh ts, and can fail a method with queued errors.
type fakeSlack struct {
	t   testing.TB
	srv *slacktest.Server

	mu    sync.Mutex
	seq   int
	calls []apiCall
	fails map[string][]failure
	users map[string]slack.User
	acks  []string          // Socket Mode messages the client sent (acknowledgements)
	roots map[string]string // channel/ts -> thread_ts of replies people posted
}

// apiCall is one Web API call the fake answered successfully.
type apiCall struct {
	Method string
	Form   url.Values     // form-encoded calls
	JSON   map[string]any // JSON calls (views.open, views.publish)
	Raw    []byte
	TS     string // the ts it answered, for posts
	Chan   string // the channel it answered, for posts
	Path   string // the URL path, for response_url posts
}

// hookPath starts the path of the fake's response URLs: a slash command's
// response_url on the fake's host is HOST/hooks/…, its calls recorded as
// method "response_url".
const hookPath = "/hooks/"

// dropConnection as a failure's status closes the connection unanswered.
const dropConnection = -1

// failure is an error answer queued for a method: an HTTP status, or with
// status 200 a Slack error code.
type failure struct {
	status     int
	retryAfter string
	code       string
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{t: t, fails: map[string][]failure{}, users: map[string]slack.User{}, roots: map[string]string{}}
	methods := []string{"auth.test", "chat.postMessage", "chat.postEphemeral", "chat.update", "conversations.open", "views.open", "views.publish", "users.info", "chat.getPermalink", "conversations.history", "conversations.replies"}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		for _, m := range methods {
			c.Handle("/"+m, f.handler(m))
		}
		c.Handle(hookPath, f.hook)
	})
	f.srv.Start()
	go f.drainSeen()
	t.Cleanup(f.srv.Stop)
	return f
}

// drainSeen keeps what the Socket Mode client writes: slacktest hands each
// message to an unbuffered feed that must be read.
func (f *fakeSlack) drainSeen() {
	for m := range f.srv.SeenFeed {
		f.mu.Lock()
		f.acks = append(f.acks, m)
		f.mu.Unlock()
	}
}

// addUser makes users.info know a user.
func (f *fakeSlack) addUser(id, name, locale, tz string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[id] = slack.User{ID: id, Name: strings.ToLower(id), RealName: name, Locale: locale, TZ: tz, Profile: slack.UserProfile{DisplayName: name}}
}

// addReply makes conversations.replies know a reply someone posted at ts
// in the thread rooted at root.
func (f *fakeSlack) addReply(channel, ts, root string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roots[channel+"/"+ts] = root
}

// hook answers a post to a response_url: "ok", or a queued failure's
// status (Slack answers 404 "used_url" or "expired_url").
func (f *fakeSlack) hook(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	if q := f.fails["response_url"]; len(q) > 0 {
		f.fails["response_url"] = q[1:]
		f.mu.Unlock()
		w.WriteHeader(q[0].status)
		_, _ = io.WriteString(w, q[0].code)
		return
	}
	call := apiCall{Method: "response_url", Raw: body, Path: r.URL.Path}
	_ = json.Unmarshal(body, &call.JSON)
	f.calls = append(f.calls, call)
	f.mu.Unlock()
	_, _ = io.WriteString(w, "ok")
}

// refuse queues n Slack errors (ok false, error code) for method.
func (f *fakeSlack) refuse(method string, n int, code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.fails[method] = append(f.fails[method], failure{status: http.StatusOK, code: code})
	}
}

// fail queues n error answers for method.
func (f *fakeSlack) fail(method string, n, status int, retryAfter string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.fails[method] = append(f.fails[method], failure{status: status, retryAfter: retryAfter})
	}
}

func (f *fakeSlack) handler(method string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		if r.Header.Get("Authorization") != "Bearer "+testBotToken && form.Get("token") != testBotToken {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ok":false,"error":"invalid_auth"}`)
			return
		}
		f.mu.Lock()
		if q := f.fails[method]; len(q) > 0 {
			f.fails[method] = q[1:]
			f.mu.Unlock()
			if q[0].status == dropConnection {
				if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
					_ = conn.Close()
				}
				return
			}
			if q[0].code != "" {
				w.Header().Set("Content-Type", "application/json")
				_, _ = fmt.Fprintf(w, `{"ok":false,"error":%q}`, q[0].code)
				return
			}
			if q[0].retryAfter != "" {
				w.Header().Set("Retry-After", q[0].retryAfter)
			}
			w.WriteHeader(q[0].status)
			return
		}
		call := apiCall{Method: method, Raw: body}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			_ = json.Unmarshal(body, &call.JSON)
		} else {
			call.Form, _ = url.ParseQuery(string(body))
			if q := r.URL.Query(); len(q) > 0 && len(call.Form) == 0 {
				call.Form = q
			}
		}
		resp := f.answerLocked(&call)
		f.calls = append(f.calls, call)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(resp)
	}
}

// answerLocked is the fake's answer to a call.
func (f *fakeSlack) answerLocked(c *apiCall) map[string]any {
	ok := map[string]any{"ok": true}
	switch c.Method {
	case "auth.test":
		return map[string]any{"ok": true, "url": "https://soudan-test.slack.com/", "team": "Test", "user": "soudan", "team_id": testTeam, "user_id": testBotUser, "bot_id": "BBOT"}
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
		id := c.Form.Get("user")
		u, found := f.users[id]
		if !found {
			return map[string]any{"ok": false, "error": "user_not_found"}
		}
		ok["user"] = u
	case "conversations.history", "conversations.replies":
		ch, root := c.Form.Get("channel"), c.Form.Get("ts")
		if thread, ok := f.roots[ch+"/"+root]; ok && c.Method == "conversations.replies" {
			return map[string]any{"ok": true, "messages": []map[string]any{{"type": "message", "ts": root, "thread_ts": thread, "text": "返信"}}}
		}
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
			m := map[string]any{"type": "message", "ts": p.TS, "text": p.Form.Get("text")}
			if meta := p.Form.Get("metadata"); meta != "" && c.Form.Get("include_all_metadata") == "1" {
				var v any
				_ = json.Unmarshal([]byte(meta), &v)
				m["metadata"] = v
			}
			msgs = append(msgs, m)
		}
		ok["messages"] = msgs
	case "chat.getPermalink":
		ok["permalink"] = "https://soudan-test.slack.com/archives/" + c.Form.Get("channel") + "/p" + strings.ReplaceAll(c.Form.Get("message_ts"), ".", "")
	}
	return ok
}

// callsOf returns the recorded calls of method, oldest first.
func (f *fakeSlack) callsOf(method string) []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// waitCalls waits until method has been called n times and returns the
// calls.
func (f *fakeSlack) waitCalls(method string, n int) []apiCall {
	f.t.Helper()
	var got []apiCall
	waitUntil(f.t, fmt.Sprintf("%d %s calls", n, method), func() bool {
		got = f.callsOf(method)
		return len(got) >= n
	})
	return got
}

// ackOf returns the acknowledgement of the envelope, if the client sent
// it.
func (f *fakeSlack) ackOf(envelope string) (map[string]any, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range f.acks {
		var a map[string]any
		if json.Unmarshal([]byte(m), &a) == nil && a["envelope_id"] == envelope {
			return a, true
		}
	}
	return nil, false
}

// waitAck waits for the acknowledgement of the envelope.
func (f *fakeSlack) waitAck(envelope string) map[string]any {
	f.t.Helper()
	var a map[string]any
	waitUntil(f.t, "ack of "+envelope, func() bool {
		var ok bool
		a, ok = f.ackOf(envelope)
		return ok
	})
	return a
}

// waitUntil polls cond for up to 10 s.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
