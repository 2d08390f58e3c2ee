package slack

import (
	"testing"
	"time"

	"github.com/soudan/soudan/bot/slack/slackfake"
)

// tanaka is the user of the test requests.
const tanaka = "UTANAKA"

// TestHTTPModeVerification: only requests signed with the secret within
// five minutes are read; forged, stale and unsigned ones are refused and
// reach no handler.
func TestHTTPModeVerification(t *testing.T) {
	h, base := newHTTPHarness(t, nil)
	challenge := `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`

	tests := []struct {
		name       string
		req        slackfake.Request
		wantStatus int
		wantBody   string
	}{
		{"challenge", slackfake.Request{Path: PathEvents, ContentType: "application/json", Body: challenge, Secret: testSecret}, 200, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"},
		{"forged", slackfake.Request{Path: PathEvents, ContentType: "application/json", Body: challenge, Secret: "not-the-secret"}, 401, ""},
		{"stale", slackfake.Request{Path: PathEvents, ContentType: "application/json", Body: challenge, TS: time.Now().Add(-6 * time.Minute), Secret: testSecret}, 401, ""},
		{"future", slackfake.Request{Path: PathEvents, ContentType: "application/json", Body: challenge, TS: time.Now().Add(6 * time.Minute), Secret: testSecret}, 401, ""},
		{"unsigned", slackfake.Request{Path: PathEvents, ContentType: "application/json", Body: challenge, Unsigned: true}, 401, ""},
		{"forged command", slackfake.Request{Path: PathCommands, ContentType: "application/x-www-form-urlencoded", Body: slackfake.SlashBody(tanaka, "DTANAKA", "help", "trg-f"), Secret: "x"}, 401, ""},
		{"forged event", slackfake.Request{Path: PathEvents, ContentType: "application/json", Body: slackfake.EventBody("Ev-forged", tanaka, "偽の相談"), Secret: "x"}, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := slackfake.Do(t, base, tt.req)
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
