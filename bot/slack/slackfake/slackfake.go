// Package slackfake is a fake Slack for tests: slacktest's server (Web API
// and Socket Mode) with the Web API methods soudan's Slack adapter uses,
// recording every call, plus builders of the Socket Mode envelopes Slack
// sends. Both the adapter's tests and the whole bot's tests run on it.
//
// It imports only the standard library and slack-go: packages under bot/
// import nothing of soudan but bot.
package slackfake

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

// The fake workspace, its bot and the tokens the fake accepts by default.
const (
	// Team is the fake workspace's team id.
	Team = "T0TEST"
	// BotUser is the bot's user id, as auth.test answers it.
	BotUser = "UBOT"
	// BotToken is the bot token New's fake accepts.
	BotToken = "xoxb-test-token"
	// AppToken is an app-level token for Socket Mode (slacktest accepts
	// any).
	AppToken = "xapp-test-token"
)

// HookPath starts the path of the fake's response URLs: a response_url on
// the fake's host is HOST/hooks/…, its calls recorded as method
// "response_url".
const HookPath = "/hooks/"

// DropConnection as the status of Fail closes the connection unanswered.
const DropConnection = -1

// Server is slacktest's fake Slack with the Web API methods the adapter
// uses, recording every call. It answers chat.postMessage to a user id
// with that user's DM channel ("D" + the id without its "U"), gives every
// message a fresh ts, and can fail a method with queued errors.
type Server struct {
	t     testing.TB
	srv   *slacktest.Server
	token string

	mu      sync.Mutex
	seq     int // ts and view ids
	env     int // Socket Mode envelope ids
	calls   []Call
	fails   map[string][]failure
	users   map[string]slack.User
	acks    []string                    // Socket Mode messages the client sent (acknowledgements)
	roots   map[string]string           // channel/ts -> thread_ts of replies people posted
	threads map[string][]map[string]any // channel/root -> people's messages, for conversations.replies
}

// Call is one Web API call (or response_url post) the fake answered
// successfully.
type Call struct {
	Method string
	Form   url.Values     // form-encoded calls
	JSON   map[string]any // JSON calls (views.open, views.publish)
	Raw    []byte         // the request body
	TS     string         // the ts it answered, for posts
	Chan   string         // the channel it answered, for posts
	Path   string         // the URL path, for response_url posts
}

// failure is an error answer queued for a method: an HTTP status, or with
// status 200 a Slack error code.
type failure struct {
	status     int
	retryAfter string
	code       string
	landed     bool // the call is carried out before the failure is answered
}

// methods are the Web API methods the fake answers.
var methods = []string{"auth.test", "chat.postMessage", "chat.postEphemeral", "chat.update", "conversations.open",
	"views.open", "views.publish", "users.info", "chat.getPermalink", "conversations.history", "conversations.replies"}

// New starts a fake Slack that accepts BotToken, stopped when the test
// ends.
func New(t testing.TB) *Server { return NewWithToken(t, BotToken) }

// NewWithToken starts a fake Slack that accepts the bot token token,
// stopped when the test ends.
func NewWithToken(t testing.TB, token string) *Server {
	f := &Server{t: t, token: token, fails: map[string][]failure{}, users: map[string]slack.User{}, roots: map[string]string{}}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		for _, m := range methods {
			c.Handle("/"+m, f.handler(m))
		}
		c.Handle(HookPath, f.hook)
	})
	f.srv.Start()
	go f.drainSeen()
	t.Cleanup(f.srv.Stop)
	return f
}

// APIURL is the base URL of the fake's Web API, ending in "/".
func (f *Server) APIURL() string { return f.srv.GetAPIURL() }

// HookURL is a response_url on the fake's host: HOST/hooks/name.
func (f *Server) HookURL(name string) string {
	return strings.TrimSuffix(f.srv.GetAPIURL(), "/") + HookPath + name
}

// SendToWebsocket sends a raw message to the Socket Mode client.
func (f *Server) SendToWebsocket(msg string) { f.srv.SendToWebsocket(msg) }

// drainSeen keeps what the Socket Mode client writes: slacktest hands each
// message to an unbuffered feed that must be read.
func (f *Server) drainSeen() {
	for m := range f.srv.SeenFeed {
		f.mu.Lock()
		f.acks = append(f.acks, m)
		f.mu.Unlock()
	}
}

// AddUser makes users.info know a user.
func (f *Server) AddUser(id, name, locale, tz string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[id] = slack.User{ID: id, Name: strings.ToLower(id), RealName: name, Locale: locale, TZ: tz, Profile: slack.UserProfile{DisplayName: name}}
}

// AddThread makes conversations.replies answer for the thread rooted at
// root in channel with msgs (Slack message objects: ts, user, text, …),
// as people posted them.
func (f *Server) AddThread(channel, root string, msgs ...map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.threads == nil {
		f.threads = map[string][]map[string]any{}
	}
	f.threads[channel+"/"+root] = msgs
	for _, m := range msgs {
		if ts, _ := m["ts"].(string); ts != "" && ts != root {
			f.roots[channel+"/"+ts] = root
		}
	}
}

// AddReply makes conversations.replies know a reply someone posted at ts
// in the thread rooted at root.
func (f *Server) AddReply(channel, ts, root string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roots[channel+"/"+ts] = root
}

// Refuse queues n Slack errors (ok false, error code) for method; for
// "response_url" the code is the body of a 200 answer.
func (f *Server) Refuse(method string, n int, code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.fails[method] = append(f.fails[method], failure{status: http.StatusOK, code: code})
	}
}

// Fail queues n error answers with the HTTP status (or DropConnection)
// for method, with a Retry-After header when retryAfter is set.
func (f *Server) Fail(method string, n, status int, retryAfter string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.fails[method] = append(f.fails[method], failure{status: status, retryAfter: retryAfter})
	}
}

// FailAfterDoing queues n failures for method that happen after the call
// was carried out (a message posted, say): the answer is the HTTP status,
// or DropConnection, as when Slack fails or the connection breaks after
// doing the work.
func (f *Server) FailAfterDoing(method string, n, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.fails[method] = append(f.fails[method], failure{status: status, landed: true})
	}
}

// hook answers a post to a response_url: "ok", or a queued failure's
// status (Slack answers 404 "used_url" or "expired_url").
func (f *Server) hook(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	if q := f.fails["response_url"]; len(q) > 0 {
		f.fails["response_url"] = q[1:]
		f.mu.Unlock()
		w.WriteHeader(q[0].status)
		_, _ = io.WriteString(w, q[0].code)
		return
	}
	call := Call{Method: "response_url", Raw: body, Path: r.URL.Path}
	_ = json.Unmarshal(body, &call.JSON)
	f.calls = append(f.calls, call)
	f.mu.Unlock()
	_, _ = io.WriteString(w, "ok")
}

func (f *Server) handler(method string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		if r.Header.Get("Authorization") != "Bearer "+f.token && form.Get("token") != f.token {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ok":false,"error":"invalid_auth"}`)
			return
		}
		f.mu.Lock()
		if q := f.fails[method]; len(q) > 0 {
			f.fails[method] = q[1:]
			if q[0].landed {
				call := Call{Method: method, Raw: body, Form: form}
				f.answerLocked(&call)
				f.calls = append(f.calls, call)
			}
			f.mu.Unlock()
			if q[0].status == DropConnection {
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
		call := Call{Method: method, Raw: body}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			_ = json.Unmarshal(body, &call.JSON)
		} else {
			call.Form = form
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
func (f *Server) answerLocked(c *Call) map[string]any {
	ok := map[string]any{"ok": true}
	switch c.Method {
	case "auth.test":
		return map[string]any{"ok": true, "url": "https://soudan-test.slack.com/", "team": "Test", "user": "soudan", "team_id": Team, "user_id": BotUser, "bot_id": "BBOT"}
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
		if users := c.Form.Get("users"); strings.Contains(users, ",") {
			// A multi-person DM: the same people get the same channel.
			ok["channel"] = map[string]any{"id": "G" + strings.NewReplacer("U", "", ",", "").Replace(users)}
		} else {
			ok["channel"] = map[string]any{"id": "D" + strings.TrimPrefix(users, "U")}
		}
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
		// A reply AddReply made known, or the bot's own posts in the
		// channel: top-level ones, or the thread of ts.
		ch, root := c.Form.Get("channel"), c.Form.Get("ts")
		if msgs, ok := f.threads[ch+"/"+root]; ok && c.Method == "conversations.replies" {
			if c.Form.Get("limit") == "1" {
				msgs = msgs[:1]
			}
			return map[string]any{"ok": true, "messages": msgs}
		}
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
		// A page of at most limit messages (100 when not given, as Slack
		// answers), newest first; the cursor is the offset of the next.
		limit, err := strconv.Atoi(c.Form.Get("limit"))
		if err != nil || limit <= 0 {
			limit = 100
		}
		from, _ := strconv.Atoi(c.Form.Get("cursor"))
		from = min(max(from, 0), len(msgs))
		to := min(from+limit, len(msgs))
		ok["messages"], ok["has_more"] = msgs[from:to], to < len(msgs)
		if to < len(msgs) {
			ok["response_metadata"] = map[string]any{"next_cursor": strconv.Itoa(to)}
		}
	case "chat.getPermalink":
		ok["permalink"] = "https://soudan-test.slack.com/archives/" + c.Form.Get("channel") + "/p" + strings.ReplaceAll(c.Form.Get("message_ts"), ".", "")
	}
	return ok
}

// CallsOf returns the recorded calls of method, oldest first.
func (f *Server) CallsOf(method string) []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Call
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// WaitCalls waits until method has been called n times and returns the
// calls.
func (f *Server) WaitCalls(method string, n int) []Call {
	f.t.Helper()
	var got []Call
	WaitUntil(f.t, fmt.Sprintf("%d %s calls", n, method), func() bool {
		got = f.CallsOf(method)
		return len(got) >= n
	})
	return got
}

// WaitPostTo waits for a chat.postMessage that landed in channel and
// whose AllText contains want, and returns it.
func (f *Server) WaitPostTo(channel, want string) Call {
	f.t.Helper()
	var found Call
	WaitUntil(f.t, "a post in "+channel+" with "+want, func() bool {
		for _, c := range f.CallsOf("chat.postMessage") {
			if c.Chan == channel && strings.Contains(AllText(c), want) {
				found = c
				return true
			}
		}
		return false
	})
	return found
}

// AckOf returns the acknowledgement of the envelope, if the client sent
// it.
func (f *Server) AckOf(envelope string) (map[string]any, bool) {
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

// WaitAck waits for the acknowledgement of the envelope and returns it.
func (f *Server) WaitAck(envelope string) map[string]any {
	f.t.Helper()
	var a map[string]any
	WaitUntil(f.t, "ack of "+envelope, func() bool {
		var ok bool
		a, ok = f.AckOf(envelope)
		return ok
	})
	return a
}

// WaitUntil polls cond for up to 10 s and fails the test when it never
// holds.
func WaitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
