package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// The fake Teams tenant, channel and bot.
const (
	teamsTenant  = "99999999-8888-7777-6666-555555555555"
	teamsChannel = "19:career@thread.tacv2"
	teamsBotID   = "28:bot"
)

// teamsConnector is a fake Bot Framework connector: the service URL of
// the fake's activities. It records every call, creates conversations
// (a 1:1 chat "a:dm-" + the member's id, or a channel post) and accepts
// every activity.
type teamsConnector struct {
	srv *httptest.Server

	mu    sync.Mutex
	seq   int
	calls []teamsCall
}

// teamsCall is one recorded connector call.
type teamsCall struct {
	Method, Path string
	Body         map[string]any
}

func newTeamsConnector(t testing.TB) *teamsConnector {
	c := &teamsConnector{}
	c.srv = httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.srv.Close)
	return c
}

// URL is the service URL of the fake's activities.
func (c *teamsConnector) URL() string { return c.srv.URL + "/" }

func (c *teamsConnector) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	call := teamsCall{Method: r.Method, Path: r.URL.Path}
	_ = json.Unmarshal(body, &call.Body)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, call)
	c.seq++
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/v3/conversations"), "/")
	var answer map[string]any
	switch {
	case !strings.HasPrefix(r.URL.Path, "/v3/conversations"):
		http.NotFound(w, r)
		return
	case r.Method == http.MethodPost && len(parts) == 1: // create a conversation
		if ch, ok := call.Body["channelData"].(map[string]any)["channel"].(map[string]any); ok {
			id := fmt.Sprintf("p%d", c.seq)
			answer = map[string]any{"id": ch["id"].(string) + ";messageid=" + id, "activityId": id}
			break
		}
		members, _ := call.Body["members"].([]any)
		if len(members) != 1 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		answer = map[string]any{"id": "a:dm-" + members[0].(map[string]any)["id"].(string)}
	case r.Method == http.MethodPost && len(parts) == 3 && parts[2] == "activities":
		answer = map[string]any{"id": fmt.Sprintf("m%d", c.seq)}
	case r.Method == http.MethodPut:
		answer = map[string]any{"id": parts[len(parts)-1]}
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(answer)
}

// Calls returns the connector calls so far, oldest first.
func (c *teamsConnector) Calls() []teamsCall {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]teamsCall(nil), c.calls...)
}

// Activity builders.

func teamsFrom(id, name string) map[string]any { return map[string]any{"id": id, "name": name} }

// dmActivity is a message in the user's personal chat with the bot.
func (c *teamsConnector) dmActivity(id, userID, name, text string) map[string]any {
	return map[string]any{
		"type": "message", "id": id, "timestamp": "2026-11-20T01:00:00.000Z",
		"serviceUrl": c.URL(), "channelId": "msteams", "locale": "ja-JP",
		"from": teamsFrom(userID, name), "recipient": teamsFrom(teamsBotID, "soudan"),
		"conversation": map[string]any{"id": "a:dm-" + userID, "conversationType": "personal", "tenantId": teamsTenant},
		"channelData":  map[string]any{"tenant": map[string]any{"id": teamsTenant}},
		"text":         text,
	}
}

// channelActivity is a message in the channel: at top level when root is
// "" (its own id is then the root), else in the thread of root.
func (c *teamsConnector) channelActivity(id, root, userID, name, text string, entities ...any) map[string]any {
	if root == "" {
		root = id
	}
	act := map[string]any{
		"type": "message", "id": id, "timestamp": "2026-11-20T01:00:00.000Z",
		"serviceUrl": c.URL(), "channelId": "msteams", "locale": "en-US",
		"from": teamsFrom(userID, name), "recipient": teamsFrom(teamsBotID, "soudan"),
		"conversation": map[string]any{"id": teamsChannel + ";messageid=" + root, "conversationType": "channel", "tenantId": teamsTenant, "isGroup": true},
		"channelData":  map[string]any{"tenant": map[string]any{"id": teamsTenant}, "channel": map[string]any{"id": teamsChannel}, "team": map[string]any{"id": "19:team@thread.tacv2"}},
		"text":         text,
	}
	if len(entities) > 0 {
		act["entities"] = entities
	}
	return act
}

// executeActivity is an Action.Execute invoke of verb with data, from the
// card cardID in 田中's personal chat.
func (c *teamsConnector) executeActivity(id, cardID, verb string, data any) map[string]any {
	act := c.dmActivity(id, "29:tanaka", "田中", "")
	act["type"], act["name"], act["replyToId"] = "invoke", "adaptiveCard/action", cardID
	act["value"] = map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
	return act
}

// teamsMention is a mention entity.
func teamsMention(id, name string) map[string]any {
	return map[string]any{"type": "mention", "text": "<at>" + name + "</at>", "mentioned": map[string]any{"id": id, "name": name}}
}
