package slack

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

	"github.com/soudan/soudan/bot/slack/slackfake"
)

// tanaka is the user of the test requests.
const tanaka = "UTANAKA"

// sign returns Slack's signature of body at ts with secret.
func sign(secret string, ts int64, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%d:%s", ts, body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// request is one HTTP request to the adapter, signed unless told
// otherwise.
type request struct {
	path, contentType, body string
	ts                      time.Time // signing time; zero: now
	secret                  string    // signing secret; "": the right one
	unsigned                bool
	retry                   int // X-Slack-Retry-Num
}

// do sends req to the adapter at base and returns the status and body.
func do(t *testing.T, base string, req request) (int, string) {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, base+req.path, strings.NewReader(req.body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", req.contentType)
	if !req.unsigned {
		ts := req.ts
		if ts.IsZero() {
			ts = time.Now()
		}
		secret := req.secret
		if secret == "" {
			secret = testSecret
		}
		r.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts.Unix(), 10))
		r.Header.Set("X-Slack-Signature", sign(secret, ts.Unix(), req.body))
	}
	if req.retry > 0 {
		r.Header.Set("X-Slack-Retry-Num", strconv.Itoa(req.retry))
		r.Header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatalf("POST %s: %v", req.path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// eventBody is an Events API request body for a DM from user.
func eventBody(eventID, user, text string) string {
	b, _ := json.Marshal(map[string]any{
		"type": "event_callback", "team_id": slackfake.Team, "event_id": eventID, "event_time": 1700000000,
		"event": map[string]any{"type": "message", "user": user, "channel": "D" + user[1:], "channel_type": "im", "ts": "1700000100.000100", "text": text},
	})
	return string(b)
}

// slashBody is a slash command request body.
func slashBody(user, channel, text, trigger string) string {
	return url.Values{
		"command": {"/soudan"}, "text": {text}, "team_id": {slackfake.Team}, "user_id": {user}, "user_name": {"x"},
		"channel_id": {channel}, "channel_name": {"directmessage"}, "trigger_id": {trigger},
	}.Encode()
}

// TestHTTPModeVerification: only requests signed with the secret within
// five minutes are read; forged, stale and unsigned ones are refused and
// reach no handler.
func TestHTTPModeVerification(t *testing.T) {
	h, base := newHTTPHarness(t, nil)
	challenge := `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`

	tests := []struct {
		name       string
		req        request
		wantStatus int
		wantBody   string
	}{
		{"challenge", request{path: PathEvents, contentType: "application/json", body: challenge}, 200, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"},
		{"forged", request{path: PathEvents, contentType: "application/json", body: challenge, secret: "not-the-secret"}, 401, ""},
		{"stale", request{path: PathEvents, contentType: "application/json", body: challenge, ts: time.Now().Add(-6 * time.Minute)}, 401, ""},
		{"future", request{path: PathEvents, contentType: "application/json", body: challenge, ts: time.Now().Add(6 * time.Minute)}, 401, ""},
		{"unsigned", request{path: PathEvents, contentType: "application/json", body: challenge, unsigned: true}, 401, ""},
		{"forged command", request{path: PathCommands, contentType: "application/x-www-form-urlencoded", body: slashBody(tanaka, "DTANAKA", "help", "trg-f"), secret: "x"}, 401, ""},
		{"forged event", request{path: PathEvents, contentType: "application/json", body: eventBody("Ev-forged", tanaka, "偽の相談"), secret: "x"}, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := do(t, base, tt.req)
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %q)", status, tt.wantStatus, body)
			}
			if tt.wantBody != "" && body != tt.wantBody {
				t.Errorf("body = %q, want %q", body, tt.wantBody)
			}
		})
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(h.fake.CallsOf("chat.postMessage")) + len(h.fake.CallsOf("chat.postEphemeral")); n != 0 {
		t.Errorf("refused requests made %d posts, want 0", n)
	}
	if got := h.rec.messages(); len(got) != 0 {
		t.Errorf("refused requests dispatched %d messages, want 0: %+v", len(got), got)
	}
	if !h.logs.has("rejected a request") || !h.logs.has("stale timestamp") {
		t.Errorf("refusals not logged:\n%s", h.logs)
	}
}
