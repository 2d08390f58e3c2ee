package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/soudan/soudan/bot/slack/slackfake"
)

// post is one chat.postMessage the fake answered.
type post struct {
	At      time.Time
	Channel string // as answered: a user id becomes their DM "D…"
	TS      string
	Thread  string // thread_ts, if any
	Text    string // fallback text and every text in the blocks
	Key     string // delivery key from the message metadata, if any
	Meta    string // the metadata as sent
}

// fakeSlack serves the part of Slack's Web API the adapter calls, on
// loopback, and records every post. Posts to a user id land in their DM,
// "D" + the id without its "U". conversations.history and .replies answer
// with the recorded posts and their metadata, so the adapter's check of
// an in-doubt send (Delivered) finds what landed.
type fakeSlack struct {
	srv *http.Server
	url string // Web API base URL, ending in "/"

	postLog   // posts, and the threads answered; its mu guards the fields below too
	seq       int
	byChannel map[string][]int // channel -> indexes of its posts
	ephemeral []url.Values
	views     map[string]map[string]any // trigger id -> the view views.open got
	calls     map[string]int
}

func newFakeSlack() (*fakeSlack, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &fakeSlack{byChannel: map[string][]int{}, views: map[string]map[string]any{}, calls: map[string]int{}}
	f.srv = &http.Server{Handler: http.HandlerFunc(f.serve), ReadHeaderTimeout: 5 * time.Second}
	f.url = "http://" + ln.Addr().String() + "/api/"
	go f.srv.Serve(ln)
	return f, nil
}

func (f *fakeSlack) close() { f.srv.Close() }

func (f *fakeSlack) serve(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	var form url.Values
	var js map[string]any
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(body, &js)
	} else {
		form, _ = url.ParseQuery(string(body))
	}
	if len(form) == 0 {
		form = r.URL.Query()
	}
	f.mu.Lock()
	resp := f.answerLocked(method, form, js)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// answerLocked answers one Web API call.
func (f *fakeSlack) answerLocked(method string, form url.Values, js map[string]any) map[string]any {
	f.calls[method]++
	ok := map[string]any{"ok": true}
	switch method {
	case "auth.test":
		return map[string]any{"ok": true, "url": "https://intake.slack.example/", "team": "Intake", "user": "soudan", "team_id": team, "user_id": botUser, "bot_id": "BBOT"}
	case "chat.postMessage":
		f.seq++
		p := post{At: time.Now(), Channel: form.Get("channel"), TS: fmt.Sprintf("1600000000.%06d", f.seq), Thread: form.Get("thread_ts"), Text: postText(form), Meta: form.Get("metadata")}
		if strings.HasPrefix(p.Channel, "U") {
			p.Channel = "D" + p.Channel[1:]
		}
		p.Key = metadataKey(p.Meta)
		f.byChannel[p.Channel] = append(f.byChannel[p.Channel], len(f.posts))
		f.addLocked(p)
		ok["channel"], ok["ts"] = p.Channel, p.TS
	case "chat.postEphemeral":
		f.ephemeral = append(f.ephemeral, form)
		f.seq++
		ok["message_ts"] = fmt.Sprintf("1600000000.%06d", f.seq)
	case "chat.update":
		ok["channel"], ok["ts"] = form.Get("channel"), form.Get("ts")
	case "conversations.open":
		ok["channel"] = map[string]any{"id": "D" + strings.TrimPrefix(form.Get("users"), "U")}
	case "views.open", "views.publish", "views.update":
		f.seq++
		if method == "views.open" && js != nil {
			if v, _ := js["view"].(map[string]any); v != nil {
				f.views[fmt.Sprint(js["trigger_id"])] = v
			}
		}
		ok["view"] = map[string]any{"id": fmt.Sprintf("V%d", f.seq)}
	case "users.info":
		id := form.Get("user")
		ok["user"] = map[string]any{"id": id, "name": strings.ToLower(id), "real_name": id, "tz": "Asia/Tokyo", "locale": "ja-JP",
			"profile": map[string]any{"display_name": id, "real_name": id}}
	case "conversations.history", "conversations.replies":
		// A page of at most limit messages (100 when not given, as Slack
		// answers), newest first; the cursor is the offset of the next.
		msgs := f.historyLocked(method, form.Get("channel"), form.Get("ts"))
		limit, err := strconv.Atoi(form.Get("limit"))
		if err != nil || limit <= 0 {
			limit = 100
		}
		from, _ := strconv.Atoi(form.Get("cursor"))
		from = min(max(from, 0), len(msgs))
		to := min(from+limit, len(msgs))
		ok["messages"], ok["has_more"] = msgs[from:to], to < len(msgs)
		if to < len(msgs) {
			ok["response_metadata"] = map[string]any{"next_cursor": strconv.Itoa(to)}
		}
	case "chat.getPermalink":
		ok["permalink"] = "https://intake.slack.example/archives/" + form.Get("channel") + "/p" + strings.ReplaceAll(form.Get("message_ts"), ".", "")
	}
	return ok
}

// historyLocked is the posts of a channel (top-level ones for history,
// the thread rooted at root for replies), newest first, with their
// metadata.
func (f *fakeSlack) historyLocked(method, ch, root string) []map[string]any {
	msgs := []map[string]any{}
	idx := f.byChannel[ch]
	for i := len(idx) - 1; i >= 0; i-- {
		p := f.posts[idx[i]]
		if method == "conversations.history" && p.Thread != "" || method == "conversations.replies" && p.TS != root && p.Thread != root {
			continue
		}
		m := map[string]any{"type": "message", "ts": p.TS, "text": p.Text, "user": botUser, "bot_id": "BBOT"}
		if p.Thread != "" {
			m["thread_ts"] = p.Thread
		}
		if p.Meta != "" {
			var md any
			if json.Unmarshal([]byte(p.Meta), &md) == nil {
				m["metadata"] = md
			}
		}
		msgs = append(msgs, m)
	}
	return msgs
}

// metadataKey is the delivery key in a post's metadata, "" for none.
func metadataKey(meta string) string {
	var md struct {
		EventPayload map[string]any `json:"event_payload"`
	}
	if meta == "" || json.Unmarshal([]byte(meta), &md) != nil || md.EventPayload["key"] == nil {
		return ""
	}
	return fmt.Sprint(md.EventPayload["key"])
}

// postText is a post's fallback text and every "text" string in its
// blocks.
func postText(form url.Values) string {
	return slackfake.RawText(slackfake.Call{Form: form})
}

// ephemeralCount is the number of ephemeral messages so far.
func (f *fakeSlack) ephemeralCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.ephemeral)
}

// lastEphemeral is the text of the newest ephemeral message.
func (f *fakeSlack) lastEphemeral() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.ephemeral) == 0 {
		return ""
	}
	return postText(f.ephemeral[len(f.ephemeral)-1])
}

// view returns the view views.open got with trigger, if it did.
func (f *fakeSlack) view(trigger string) (map[string]any, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.views[trigger]
	return v, ok
}

// markerRE finds the question markers the load puts in texts.
var markerRE = regexp.MustCompile(`q-[0-9]{6}`)
