package main

import (
	"strings"
	"testing"
)

// TestBooksMessageActionOverTeams: the 📚 message action on a channel
// message brings the one who chose it the tip form drafted from that
// message, in their personal chat (Teams has no message only one member
// of a channel sees).
func TestBooksMessageActionOverTeams(t *testing.T) {
	t.Parallel()
	c := startTeamsBot(t)
	bf := c.bf
	before := len(bf.Calls())
	body := c.send(bf.MessageActionActivity("b1", "books", "1700000000001", "<p>VPN がつながらないときは</p><p>クライアントを更新してから再接続します</p>"))
	if strings.TrimSpace(body) != "{}" {
		t.Errorf("invoke answer = %q, want {}", body)
	}
	var form, to string
	for _, cl := range bf.Calls()[before:] {
		if s := mustJSON(cl.Body); strings.Contains(s, "Save this message as knowledge") {
			form, to = s, cl.Path
		}
	}
	if form == "" {
		t.Fatalf("no tip form sent; calls %+v", bf.Calls()[before:])
	}
	if !strings.Contains(to, "a:dm-29:tanaka") {
		t.Errorf("the form went to %s, want 田中's personal chat", to)
	}
	for _, w := range []string{"VPN がつながらないときは", "クライアントを更新してから再接続します"} {
		if !strings.Contains(form, w) {
			t.Errorf("the form lacks %q: %s", w, form)
		}
	}
}
