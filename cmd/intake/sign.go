package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The fake workspace, its people and channel, and the secrets the bot
// is started with (none of them real).
const (
	team          = "T0INTAKE"
	botUser       = "UBOT"
	adminUser     = "UADMIN"
	channel       = "C0INTAKE"
	topicName     = "intake"
	signingSecret = "intake-signing-secret"
	botToken      = "xoxb-intake-fake"
)

// signature is Slack's request signature of body at the unix time ts:
// "v0=" + hex(HMAC-SHA256(secret, "v0:ts:body")).
func signature(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// signRequest sets the headers Slack sends: content type, timestamp,
// signature of body signed now, and on a retry (retry > 0) its number.
func signRequest(r *http.Request, contentType string, body []byte, now time.Time, retry int) {
	ts := strconv.FormatInt(now.Unix(), 10)
	r.Header.Set("Content-Type", contentType)
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", signature(signingSecret, ts, body))
	if retry > 0 {
		r.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		r.Header.Set("X-Slack-Retry-Reason", "http_error")
	}
}

// messageEventBody is the Events API body of a message event: a post by
// user in the channel at ts, in the thread rooted at thread when set.
func messageEventBody(eventID, user, ts, thread, text string, at time.Time) []byte {
	ev := map[string]any{"type": "message", "user": user, "channel": channel, "channel_type": "channel", "ts": ts, "text": text}
	if thread != "" {
		ev["thread_ts"] = thread
	}
	b, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": team, "api_app_id": "AINTAKE", "event_id": eventID, "event_time": at.Unix(), "event": ev})
	return b
}

// slashBody is the form of "/soudan text" from user in the channel.
func slashBody(user, text, trigger string) []byte {
	return []byte(url.Values{
		"command": {"/soudan"}, "text": {text}, "team_id": {team}, "user_id": {user}, "user_name": {user},
		"channel_id": {channel}, "channel_name": {topicName}, "trigger_id": {trigger},
	}.Encode())
}

// submissionBody is the form of a view_submission of view (as views.open
// got it) by user with the given Block Kit state values.
func submissionBody(user string, view map[string]any, values map[string]any, trigger string) []byte {
	p, _ := json.Marshal(map[string]any{
		"type": "view_submission", "trigger_id": trigger, "team": map[string]any{"id": team},
		"user": map[string]any{"id": user, "name": user},
		"view": map[string]any{
			"id": "V-" + trigger, "hash": "h", "type": "modal", "callback_id": view["callback_id"],
			"private_metadata": view["private_metadata"], "state": map[string]any{"values": values},
		},
	})
	return []byte(url.Values{"payload": {string(p)}}.Encode())
}
