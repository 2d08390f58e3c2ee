package slackfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Request is one HTTP request Slack sends to an app in HTTP mode.
type Request struct {
	Path, ContentType, Body string
	Secret                  string    // the signing secret it is signed with
	TS                      time.Time // signing time; zero: now
	Unsigned                bool      // sent without a signature
	Retry                   int       // X-Slack-Retry-Num, when above 0
}

// Sign returns Slack's signature of body at ts with the signing secret.
func Sign(secret string, ts int64, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%d:%s", ts, body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// Do sends req to the app at base and returns the status and body of the
// answer.
func Do(t testing.TB, base string, req Request) (int, string) {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, base+req.Path, strings.NewReader(req.Body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", req.ContentType)
	if !req.Unsigned {
		ts := req.TS
		if ts.IsZero() {
			ts = time.Now()
		}
		r.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts.Unix(), 10))
		r.Header.Set("X-Slack-Signature", Sign(req.Secret, ts.Unix(), req.Body))
	}
	if req.Retry > 0 {
		r.Header.Set("X-Slack-Retry-Num", strconv.Itoa(req.Retry))
		r.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatalf("POST %s: %v", req.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// EventBody is an Events API request body for a DM from user.
func EventBody(eventID, user, text string) string {
	b, _ := json.Marshal(map[string]any{
		"type": "event_callback", "team_id": Team, "event_id": eventID, "event_time": 1700000000,
		"event": map[string]any{"type": "message", "user": user, "channel": "D" + user[1:], "channel_type": "im", "ts": "1700000100.000100", "text": text},
	})
	return string(b)
}

// SlashBody is a slash command request body: "/soudan text" from user in
// channel.
func SlashBody(user, channel, text, trigger string) string {
	return url.Values{
		"command": {"/soudan"}, "text": {text}, "team_id": {Team}, "user_id": {user}, "user_name": {"x"},
		"channel_id": {channel}, "channel_name": {"directmessage"}, "trigger_id": {trigger},
	}.Encode()
}
