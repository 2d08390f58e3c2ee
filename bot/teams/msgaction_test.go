package teams

import (
	"net/http"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
)

// TestMessageActionIsAReaction: the "books" message action on a channel
// message is dispatched as a books reaction on it, with its plain text,
// and the invoke is answered at once with an empty body (the dialog
// closes).
func TestMessageActionIsAReaction(t *testing.T) {
	rc := &recorder{}
	e := newEnv(t, rc)
	status, body := e.post(e.bf.MessageActionActivity("ma1", "books", "1700000000001", "<p>VPN が&nbsp;つながらないときは</p><p>クライアントを<b>更新</b>します</p>"), e.bf.ValidToken())
	if status != http.StatusOK || strings.TrimSpace(body) != "{}" {
		t.Fatalf("answer: %d %q, want 200 {}", status, body)
	}
	ms := rc.messages()
	if len(ms) != 1 {
		t.Fatalf("dispatched %d, want 1", len(ms))
	}
	m := ms[0]
	if m.Kind != bot.KindReaction || m.Reaction != "books" || m.Action.Value != "1700000000001" || m.User.ID != "29:tanaka" {
		t.Errorf("got %s %q %+v from %q, want the books reaction on the message by 田中", m.Kind, m.Reaction, m.Action, m.User.ID)
	}
	if m.Text != "VPN が つながらないときは\nクライアントを更新します" {
		t.Errorf("text = %q", m.Text)
	}
	// Another command context is not ours.
	act := e.bf.MessageActionActivity("ma2", "books", "1700000000002", "x")
	act["value"].(map[string]any)["commandContext"] = "compose"
	if status, _ := e.post(act, e.bf.ValidToken()); status != http.StatusNotImplemented {
		t.Errorf("compose context: status %d, want 501", status)
	}
}
