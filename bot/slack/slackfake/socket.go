package slackfake

import (
	"encoding/json"
	"fmt"
	"strings"
)

// SendEnvelope sends a Socket Mode envelope of kind with payload and
// returns its id, without waiting for the acknowledgement.
func (f *Server) SendEnvelope(kind string, payload any, retry int) string {
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
	return id
}

// Envelope sends a Socket Mode envelope, waits for the client's
// acknowledgement and returns it.
func (f *Server) Envelope(kind string, payload any, retry int) map[string]any {
	f.t.Helper()
	return f.WaitAck(f.SendEnvelope(kind, payload, retry))
}

// Event sends an Events API event over Socket Mode and waits for its
// acknowledgement.
func (f *Server) Event(eventID string, inner map[string]any, retry int) {
	f.t.Helper()
	f.Envelope("events_api", map[string]any{"type": "event_callback", "team_id": Team, "event_id": eventID, "event_time": 1700000000, "event": inner}, retry)
}

// Post sends a message event from user in channel (a DM when it starts
// with "D"), in thread when set.
func (f *Server) Post(eventID, user, channel, ts, thread, text string) {
	f.t.Helper()
	typ := "channel"
	if strings.HasPrefix(channel, "D") {
		typ = "im"
	}
	ev := map[string]any{"type": "message", "user": user, "channel": channel, "ts": ts, "text": text, "channel_type": typ}
	if thread != "" {
		ev["thread_ts"] = thread
	}
	f.Event(eventID, ev, 0)
}

// Command sends "/soudan text" from user in channel over Socket Mode, with
// a trigger id and a response_url on a foreign host (which the adapter
// refuses, answering through the Web API instead), and waits for its
// acknowledgement.
func (f *Server) Command(user, channel, text, trigger string) {
	f.t.Helper()
	f.CommandVia(user, channel, text, trigger, "https://hooks.example/"+trigger)
}

// CommandVia is Command with the given response_url.
func (f *Server) CommandVia(user, channel, text, trigger, responseURL string) {
	f.t.Helper()
	name := "general"
	if strings.HasPrefix(channel, "D") {
		name = "directmessage"
	}
	f.Envelope("slash_commands", map[string]any{
		"command": "/soudan", "text": text, "team_id": Team, "user_id": user, "user_name": strings.ToLower(user),
		"channel_id": channel, "channel_name": name, "trigger_id": trigger, "response_url": responseURL,
	}, 0)
}

// Press sends a block_actions interaction: user pressed the button
// actionID (value) on the message ts in channel.
func (f *Server) Press(user, channel, ts, actionID, value, trigger string) {
	f.t.Helper()
	f.Envelope("interactive", map[string]any{
		"type": "block_actions", "trigger_id": trigger, "team": map[string]any{"id": Team},
		"user":      map[string]any{"id": user, "name": strings.ToLower(user)},
		"container": map[string]any{"type": "message", "channel_id": channel, "message_ts": ts},
		"channel":   map[string]any{"id": channel},
		"message":   map[string]any{"ts": ts},
		"actions":   []any{map[string]any{"type": "button", "action_id": actionID, "value": value, "block_id": "b", "action_ts": "1700000500.000001"}},
	}, 0)
}

// PressHome sends a block_actions interaction: user pressed the button
// actionID in their App Home.
func (f *Server) PressHome(user, actionID, trigger string) {
	f.t.Helper()
	f.Envelope("interactive", map[string]any{
		"type": "block_actions", "trigger_id": trigger, "team": map[string]any{"id": Team},
		"user":      map[string]any{"id": user},
		"container": map[string]any{"type": "view", "view_id": "VHOME"},
		"view":      map[string]any{"id": "VHOME", "type": "home"},
		"actions":   []any{map[string]any{"type": "button", "action_id": actionID, "block_id": "b", "action_ts": "1700000600.000001"}},
	}, 0)
}

// Submit sends the view_submission of the modal view (as views.open got
// it) with the given state values, and returns the acknowledgement's
// payload (nil when the modal closes).
func (f *Server) Submit(user string, view map[string]any, values map[string]any, trigger string) map[string]any {
	f.t.Helper()
	ack := f.Envelope("interactive", ViewSubmission(user, view, values, trigger), 0)
	p, _ := ack["payload"].(map[string]any)
	return p
}

// ViewSubmission is the payload of a view_submission of view (as
// views.open got it) with the given state values.
func ViewSubmission(user string, view map[string]any, values map[string]any, trigger string) map[string]any {
	return map[string]any{
		"type": "view_submission", "trigger_id": trigger, "team": map[string]any{"id": Team},
		"user": map[string]any{"id": user, "name": strings.ToLower(user)},
		"view": map[string]any{
			"id": "V-sub", "hash": "h1", "type": "modal", "callback_id": view["callback_id"],
			"private_metadata": view["private_metadata"], "state": map[string]any{"values": values},
		},
	}
}

// TextValue is a plain_text_input state value of a view submission.
func TextValue(v string) map[string]any {
	return map[string]any{"v": map[string]any{"type": "plain_text_input", "value": v}}
}

// RadioValue is a radio_buttons state value of a view submission.
func RadioValue(v string) map[string]any {
	return map[string]any{"v": map[string]any{"type": "radio_buttons", "selected_option": map[string]any{"value": v}}}
}

// MultiValue is a multi_static_select state value of a view submission.
func MultiValue(vs ...string) map[string]any {
	opts := []any{}
	for _, v := range vs {
		opts = append(opts, map[string]any{"value": v})
	}
	return map[string]any{"v": map[string]any{"type": "multi_static_select", "selected_options": opts}}
}

// AllText is a post's fallback text and every text in its blocks, with
// Slack's &amp; &lt; &gt; unescaped.
func AllText(c Call) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(RawText(c))
}

// RawText is a post's fallback text and every text in its blocks, as
// sent.
func RawText(c Call) string {
	var blocks any
	_ = json.Unmarshal([]byte(c.Form.Get("blocks")), &blocks)
	return c.Form.Get("text") + JSONText(blocks)
}

// JSONText is every "text" string in a decoded JSON value, each on a line
// of its own: what a reader sees of Slack blocks or a Teams card.
func JSONText(v any) string {
	var b strings.Builder
	collectText(v, &b)
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
