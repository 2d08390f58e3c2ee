package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/soudan/soudan/bot/slack/slackfake"
	"github.com/soudan/soudan/store"
)

// The fake Teams tenant, team, channel and bot. Users are "29:" and the
// ids the Slack path uses ("29:UM01"); the fake connector records posts
// under the Slack path's names (the mapped channel as channel, a user's
// 1:1 chat as "D" and the id without "29:U"), so that the warm-up and the
// accounting read both platforms' posts alike.
const (
	teamsTenant  = "99999999-8888-7777-6666-555555555555"
	teamsTeam    = "19:intake-team@thread.tacv2"
	teamsChannel = "19:intake@thread.tacv2"
	teamsBotID   = "28:intake-bot"
	teamsBotName = "soudan"
	teamsPath    = "/api/messages"
)

// teamsUser is the Teams id of a user id of the Slack path.
func teamsUser(id string) string { return "29:" + id }

// teamsDMChannel is the name a post in a user's 1:1 chat is recorded
// under: the Slack path's DM name of the user.
func teamsDMChannel(teamsUserID string) string {
	return "D" + strings.TrimPrefix(strings.TrimPrefix(teamsUserID, "29:"), "U")
}

// teamsActivity builds a message activity. conv is "personal" for the
// user's 1:1 chat with the bot, else the channel: at top level when root
// is "" (the conversation id then names the post itself, as Teams does),
// else a reply in the thread of root.
func teamsActivity(serviceURL, id, user, conv, root, text string, mentionBot bool, now time.Time) map[string]any {
	act := map[string]any{
		"type": "message", "id": id, "timestamp": now.UTC().Format(time.RFC3339Nano),
		"serviceUrl": serviceURL, "channelId": "msteams", "locale": "ja-JP",
		"from":      map[string]any{"id": user, "name": user},
		"recipient": map[string]any{"id": teamsBotID, "name": teamsBotName},
		"text":      text,
	}
	if conv == "personal" {
		act["conversation"] = map[string]any{"id": "a:dm-" + user, "conversationType": "personal", "tenantId": teamsTenant}
		act["channelData"] = map[string]any{"tenant": map[string]any{"id": teamsTenant}}
	} else {
		cid := teamsChannel + ";messageid=" + id
		if root != "" {
			cid = teamsChannel + ";messageid=" + root
			act["replyToId"] = root
		}
		act["conversation"] = map[string]any{"id": cid, "conversationType": "channel", "tenantId": teamsTenant, "isGroup": true}
		act["channelData"] = map[string]any{"tenant": map[string]any{"id": teamsTenant}, "channel": map[string]any{"id": teamsChannel}, "team": map[string]any{"id": teamsTeam}}
	}
	if mentionBot {
		act["text"] = "<at>" + teamsBotName + "</at> " + text
		act["entities"] = []any{map[string]any{"type": "mention", "text": "<at>" + teamsBotName + "</at>",
			"mentioned": map[string]any{"id": teamsBotID, "name": teamsBotName}}}
	}
	return act
}

// teamsExecute is the adaptiveCard/action invoke of an Action.Execute
// pressed on the card cardID in the user's 1:1 chat, with data (the
// action's data with the inputs merged in, as Teams sends it).
func teamsExecute(serviceURL, id, user, cardID, verb string, data map[string]any, now time.Time) map[string]any {
	act := teamsActivity(serviceURL, id, user, "personal", "", "", false, now)
	delete(act, "text")
	act["type"], act["name"], act["replyToId"] = "invoke", "adaptiveCard/action", cardID
	act["value"] = map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
	return act
}

// teamsMessageBody is the activity of a load event: a question at top
// level in the channel, or a reply in its thread; the activity id is the
// message id (ev.TS), sent again unchanged on a retry.
func teamsMessageBody(serviceURL string, ev *event, now time.Time) []byte {
	b, _ := json.Marshal(teamsActivity(serviceURL, ev.TS, teamsUser(ev.User), "channel", ev.Thread, ev.Text, false, now))
	return b
}

// formCardData finds the Action.Execute of a form (data naming
// soudan_form) in a posted activity and returns its verb and data with
// values set, choice inputs chosen by title (byTitle: input id -> title).
func formCardData(activity []byte, values, byTitle map[string]string) (verb string, data map[string]any, ok bool) {
	var act struct {
		Attachments []struct {
			Content struct {
				Body    []map[string]any `json:"body"`
				Actions []map[string]any `json:"actions"`
			} `json:"content"`
		} `json:"attachments"`
	}
	if json.Unmarshal(activity, &act) != nil {
		return "", nil, false
	}
	for _, att := range act.Attachments {
		for _, a := range att.Content.Actions {
			d, _ := a["data"].(map[string]any)
			if d == nil || d["soudan_form"] == nil {
				continue
			}
			for k, v := range values {
				d[k] = v
			}
			for id, title := range byTitle {
				v, found := choiceValue(att.Content.Body, id, title)
				if !found {
					return "", nil, false
				}
				d[id] = v
			}
			verb, _ = a["verb"].(string)
			return verb, d, true
		}
	}
	return "", nil, false
}

// choiceValue is the value of the choice titled title of the input id,
// searched anywhere in a card's body.
func choiceValue(v any, id, title string) (string, bool) {
	switch v := v.(type) {
	case map[string]any:
		if v["id"] == id {
			chs, _ := v["choices"].([]any)
			for _, c := range chs {
				if c, _ := c.(map[string]any); c != nil && c["title"] == title {
					s, ok := c["value"].(string)
					return s, ok
				}
			}
		}
		for _, x := range v {
			if s, ok := choiceValue(x, id, title); ok {
				return s, true
			}
		}
	case []map[string]any:
		for _, x := range v {
			if s, ok := choiceValue(x, id, title); ok {
				return s, true
			}
		}
	case []any:
		for _, x := range v {
			if s, ok := choiceValue(x, id, title); ok {
				return s, true
			}
		}
	}
	return "", false
}

// fakeTeams is a fake Bot Framework connector on loopback, the service
// URL of the load's activities, and the bot's HTTP proxy (see serve). It records every activity the bot posts
// (POST /v3/conversations/{id}/activities[/{replyTo}]: a reply in a
// channel thread or a message in a chat) and every conversation it
// creates (POST /v3/conversations: a 1:1 chat, "a:dm-" and the member's
// id, or a new post in the channel), answers member look-ups, and
// accepts updates (PUT). The adapter carries no delivery key and has no
// in-doubt check (it implements no bot.DeliveryChecker), so posts have no
// Key of their own: a mentor DM post with a question's marker gets the
// key "teams:card:" + chat + marker, so that a card posted twice to one
// mentor counts as a duplicated delivery.
type fakeTeams struct {
	srv *http.Server
	url string // the service URL, ending in "/"

	postLog // posts, and the threads answered; its mu guards the fields below too
	seq     int
	created int               // conversations created (chats and channel posts)
	forms   map[string][]byte // chat -> the last form card posted there
	formIDs map[string]string // chat -> that card's activity id
	calls   map[string]int    // "METHOD kind" -> count
	// outside counts the calls the bot tried to make beyond loopback (this
	// server is its HTTP proxy), outsideHost names the first one's host.
	outside     int
	outsideHost string
}

// outsideCalls is how many calls the bot tried beyond loopback, and the
// first one's host.
func (f *fakeTeams) outsideCalls() (int, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.outside, f.outsideHost
}

func newFakeTeams() (*fakeTeams, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f := &fakeTeams{forms: map[string][]byte{}, formIDs: map[string]string{}, calls: map[string]int{}}
	f.srv = &http.Server{Handler: http.HandlerFunc(f.serve), ReadHeaderTimeout: 5 * time.Second}
	f.url = "http://" + ln.Addr().String() + "/"
	go f.srv.Serve(ln)
	return f, nil
}

func (f *fakeTeams) close() { f.srv.Close() }

func (f *fakeTeams) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect || r.URL.IsAbs() {
		// The bot's HTTP proxy is this server: a call to anywhere but
		// loopback (Go does not proxy those) is counted and refused.
		f.mu.Lock()
		f.outside++
		if f.outsideHost == "" {
			f.outsideHost = r.Host
		}
		f.mu.Unlock()
		http.Error(w, "intake: loopback only", http.StatusForbidden)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if !strings.HasPrefix(r.URL.Path, "/v3/conversations") {
		http.NotFound(w, r)
		return
	}
	// Ids are path-escaped ("19:x%3Bmessageid=1"); r.URL.Path has them
	// unescaped, and none of ours has a "/".
	parts := strings.Split(strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/v3/conversations"), "/"), "/")
	f.mu.Lock()
	answer, status := f.answerLocked(r.Method, parts, body)
	f.mu.Unlock()
	if status != http.StatusOK {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(answer)
}

// answerLocked answers one connector call: parts is the path after
// /v3/conversations, split at "/" ([""] for the collection itself).
func (f *fakeTeams) answerLocked(method string, parts []string, body []byte) (map[string]any, int) {
	f.seq++
	switch {
	case method == http.MethodPost && len(parts) == 1 && parts[0] == "":
		f.calls["create"]++
		var p struct {
			Members     []struct{ ID string } `json:"members"`
			ChannelData struct {
				Channel struct{ ID string } `json:"channel"`
			} `json:"channelData"`
			Activity json.RawMessage `json:"activity"`
		}
		if json.Unmarshal(body, &p) != nil {
			return nil, http.StatusBadRequest
		}
		f.created++
		if ch := p.ChannelData.Channel.ID; ch != "" {
			id := fmt.Sprintf("%d", 1900000000000+f.seq)
			f.recordLocked(ch, id, p.Activity)
			return map[string]any{"id": ch + ";messageid=" + id, "activityId": id}, http.StatusOK
		}
		if len(p.Members) != 1 || p.Members[0].ID == "" {
			return nil, http.StatusBadRequest
		}
		return map[string]any{"id": "a:dm-" + p.Members[0].ID}, http.StatusOK
	case method == http.MethodPost && len(parts) >= 2 && parts[1] == "activities":
		f.calls["send"]++
		id := fmt.Sprintf("%d", 1900000000000+f.seq)
		f.recordLocked(parts[0], id, body)
		return map[string]any{"id": id}, http.StatusOK
	case method == http.MethodPut && len(parts) == 3 && parts[1] == "activities":
		f.calls["update"]++
		return map[string]any{"id": parts[2]}, http.StatusOK
	case method == http.MethodGet && len(parts) == 3 && parts[1] == "members":
		f.calls["member"]++
		return map[string]any{"id": parts[2], "name": parts[2]}, http.StatusOK
	}
	f.calls["other"]++
	return nil, http.StatusNotFound
}

// recordLocked records a posted activity in the conversation conv (a
// channel thread "19:…;messageid=root", the channel itself for a new
// post, or a 1:1 chat "a:dm-29:…").
func (f *fakeTeams) recordLocked(conv, id string, activity []byte) {
	base, root, _ := strings.Cut(conv, ";messageid=")
	p := post{At: time.Now(), TS: id, Thread: root, Channel: base}
	switch {
	case base == teamsChannel:
		p.Channel = channel
	case strings.HasPrefix(base, "a:dm-"):
		p.Channel = teamsDMChannel(strings.TrimPrefix(base, "a:dm-"))
	}
	var act any
	_ = json.Unmarshal(activity, &act)
	p.Text = slackfake.JSONText(act)
	if strings.HasPrefix(p.Channel, "DM") {
		if m := markerRE.FindString(p.Text); m != "" {
			p.Key = "teams:card:" + p.Channel + ":" + m
		}
	}
	if bytes.Contains(activity, []byte(`"soudan_form"`)) {
		f.forms[p.Channel] = append([]byte(nil), activity...)
		f.formIDs[p.Channel] = id
	}
	f.addLocked(p)
}

// form returns the last form card posted in a chat (recorded name) and
// its activity id.
func (f *fakeTeams) form(ch string) ([]byte, string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b, ok := f.forms[ch]
	return b, f.formIDs[ch], ok
}

// postActivity posts an activity to the bot unauthenticated and returns
// the status and body.
func postActivity(client *http.Client, base string, act any) (int, string, error) {
	b, err := json.Marshal(act)
	if err != nil {
		return 0, "", err
	}
	resp, err := client.Post(base+teamsPath, "application/json", bytes.NewReader(b))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out), nil
}

// setupTeams prepares a new data file through the bot, as people would
// in Teams: the admin adds the topic in their 1:1 chat with the bot and
// maps the channel by mentioning the bot there, and each mentor asks for
// the profile form in their chat and submits it (Action.Execute).
func setupTeams(base string, f *fakeTeams) error {
	client := &http.Client{Timeout: 10 * time.Second}
	admin := teamsUser(adminUser)
	n := 0
	send := func(act map[string]any, what string) error {
		before := f.postCount()
		n++
		status, _, err := postActivity(client, base, act)
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("%s: status %d: %v", what, status, err)
		}
		if !waitFor(10*time.Second, func() bool { return f.postCount() > before }) {
			return fmt.Errorf("%s: no answer", what)
		}
		return nil
	}
	id := func() string { return fmt.Sprintf("setup-%d-%d", time.Now().UnixNano(), n) }
	if err := send(teamsActivity(f.url, id(), admin, "personal", "", "/soudan admin topic add "+topicName, false, time.Now()), "admin topic add"); err != nil {
		return err
	}
	if err := send(teamsActivity(f.url, id(), admin, "channel", "", "admin topic map here "+topicName, true, time.Now()), "admin topic map"); err != nil {
		return err
	}
	values := map[string]string{"join_year": "2012", "job_type": "事務", "message": "何でもどうぞ", "posting": store.PostingHQ}
	for i := range mentorCount {
		user := teamsUser(mentorID(i))
		ch := teamsDMChannel(user)
		if err := send(teamsActivity(f.url, id(), user, "personal", "", "/soudan mentor register", false, time.Now()), "mentor register "+user); err != nil {
			return err
		}
		var card []byte
		var cardID string
		if !waitFor(10*time.Second, func() bool { var ok bool; card, cardID, ok = f.form(ch); return ok }) {
			return fmt.Errorf("mentor register %s: no form card", user)
		}
		verb, data, ok := formCardData(card, values, map[string]string{"topics": topicName})
		if !ok {
			return fmt.Errorf("mentor register %s: no form with topic %q in the card", user, topicName)
		}
		n++
		status, body, err := postActivity(client, base, teamsExecute(f.url, id(), user, cardID, verb, data, time.Now()))
		if err != nil || status != http.StatusOK || strings.Contains(body, "⚠") {
			return fmt.Errorf("mentor register %s: submission: status %d %s: %v", user, status, body, err)
		}
	}
	return nil
}
