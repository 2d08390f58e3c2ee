package slack

import (
	"os"
	"strings"
	"testing"
)

// TestManifest checks deploy/slack/manifest.yaml against what the adapter
// needs: every event it decodes, every Web API method's scope, the slash
// command with escaping, interactivity, the App Home and Socket Mode.
func TestManifest(t *testing.T) {
	b, err := os.ReadFile("../../deploy/slack/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	items := map[string]bool{}
	settings := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		line, _, _ = strings.Cut(line, "#")
		line = strings.TrimSpace(line)
		if item, ok := strings.CutPrefix(line, "- "); ok {
			items[strings.TrimSpace(item)] = true
		} else if k, v, ok := strings.Cut(line, ":"); ok {
			settings[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	for _, want := range []string{
		// events the decoder handles
		"message.channels", "message.groups", "message.im", "app_mention", "reaction_added", "app_home_opened",
		// scopes of the calls the adapter makes and the events it gets
		"chat:write", "chat:write.public", "commands", "users:read", "im:write", "im:history",
		"channels:history", "groups:history", "app_mentions:read", "reactions:read",
	} {
		if !items[want] {
			t.Errorf("manifest lacks %q", want)
		}
	}
	for k, want := range map[string]string{
		"command": "/soudan", "should_escape": "true", "socket_mode_enabled": "true", "is_enabled": "true",
		"home_tab_enabled": "true", "messages_tab_enabled": "true", "messages_tab_read_only_enabled": "false",
	} {
		if got := settings[k]; got != want && !items[k+": "+want] {
			t.Errorf("manifest %s = %q, want %q", k, got, want)
		}
	}
}
