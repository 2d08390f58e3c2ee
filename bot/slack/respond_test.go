package slack

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

// commandTurn decodes "/soudan help" typed by U1 in channel with the
// response_url, and returns its turn.
func commandTurn(a *Adapter, channel, responseURL string) *turn {
	_, o := a.decoder().command(slack.SlashCommand{
		TeamID: slackfake.Team, ChannelID: channel, ChannelName: "privategroup", UserID: "U1", UserName: "tanaka",
		Command: "/soudan", Text: "help", TriggerID: "trg-" + channel, ResponseURL: responseURL,
	})
	return &turn{a: a, o: o}
}

// dmPosts returns the chat.postMessage calls to U1's DM.
func dmPosts(f *slackfake.Server) int {
	n := 0
	for _, c := range f.CallsOf("chat.postMessage") {
		if c.Form.Get("channel") == "U1" {
			n++
		}
	}
	return n
}

// TestCommandReplyThroughResponseURL: a command typed in a channel the bot
// is not in gets its replies through the response_url, ephemeral or in
// the channel as asked, rendered as Block Kit, and no DM.
func TestCommandReplyThroughResponseURL(t *testing.T) {
	tests := []struct {
		name      string
		reply     bot.Reply
		refused   string // the chat method Slack refuses
		code      string
		wantType  string
		wantUser  string
		wantInDMs int
	}{
		{"ephemeral", bot.Reply{Text: "あなただけに", Ephemeral: true}, "chat.postEphemeral", "not_in_channel", "ephemeral", "U1", 0},
		{"in channel", bot.Reply{Title: "お知らせ", Text: "みなさんへ"}, "chat.postMessage", "channel_not_found", "in_channel", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := slackfake.New(t)
			a, _ := newTestAdapter(t, f)
			f.Refuse(tt.refused, 1, tt.code)
			at, err := commandTurn(a, "CPRIV", f.HookURL("T0TEST/1/secret")).Reply(context.Background(), tt.reply)
			if err != nil {
				t.Fatalf("Reply: %v", err)
			}
			hooks := f.CallsOf("response_url")
			if len(hooks) != 1 {
				t.Fatalf("response_url posts: got %d, want 1", len(hooks))
			}
			h := hooks[0]
			if got := h.JSON["response_type"]; got != tt.wantType {
				t.Errorf("response_type: got %v, want %q", got, tt.wantType)
			}
			if got, want := h.JSON["text"], fallback(tt.reply); got != want {
				t.Errorf("text: got %v, want %q", got, want)
			}
			if blocks, _ := h.JSON["blocks"].([]any); len(blocks) != len(blocksOf(tt.reply)) {
				t.Errorf("blocks: got %d, want %d", len(blocks), len(blocksOf(tt.reply)))
			}
			if h.Path != slackfake.HookPath+"T0TEST/1/secret" {
				t.Errorf("path: got %q, want %q", h.Path, slackfake.HookPath+"T0TEST/1/secret")
			}
			want := bot.Address{Platform: bot.PlatformSlack, Workspace: slackfake.Team, Channel: "CPRIV", User: tt.wantUser}
			if !equalAddress(at, want) {
				t.Errorf("address: got %+v, want %+v", at, want)
			}
			if got := dmPosts(f); got != tt.wantInDMs {
				t.Errorf("DM posts: got %d, want %d", got, tt.wantInDMs)
			}
		})
	}
}

func blocksOf(r bot.Reply) []slack.Block { return blocks(r, "") }

// TestResponseURLUnusable: a response_url on a foreign host, a used-up,
// expired or failing one is not used (or not again), and the reply goes
// to the sender's DM.
func TestResponseURLUnusable(t *testing.T) {
	ctx := context.Background()
	t.Run("foreign host", func(t *testing.T) {
		f := slackfake.New(t)
		a, _ := newTestAdapter(t, f)
		other := slackfake.New(t) // a server that answers, on another host
		f.Refuse("chat.postMessage", 1, "not_in_channel")
		at, err := commandTurn(a, "CPRIV", other.HookURL("T0TEST/1/x")).Reply(ctx, bot.Reply{Text: "届け"})
		if err != nil || at.Channel != "D1" {
			t.Errorf("Reply: got address %+v, err %v; want the DM D1", at, err)
		}
		if got := len(other.CallsOf("response_url")); got != 0 {
			t.Errorf("posts to the foreign response_url: got %d, want 0", got)
		}
	})
	t.Run("used up", func(t *testing.T) {
		f := slackfake.New(t)
		a, _ := newTestAdapter(t, f)
		tn := commandTurn(a, "CPRIV", f.HookURL("used"))
		for range responseURLUses + 1 {
			f.Refuse("chat.postEphemeral", 1, "not_in_channel")
			if _, err := tn.Reply(ctx, bot.Reply{Text: "何度も", Ephemeral: true}); err != nil {
				t.Fatalf("Reply: %v", err)
			}
		}
		if got, want := len(f.CallsOf("response_url")), responseURLUses; got != want {
			t.Errorf("response_url posts: got %d, want %d", got, want)
		}
		if got := dmPosts(f); got != 1 {
			t.Errorf("DM posts: got %d, want 1 (the reply past the limit)", got)
		}
	})
	t.Run("expired", func(t *testing.T) {
		f := slackfake.New(t)
		a, _ := newTestAdapter(t, f)
		now := time.Unix(1700000000, 0)
		a.opt.Now = func() time.Time { return now }
		tn := commandTurn(a, "CPRIV", f.HookURL("old"))
		now = now.Add(responseURLTTL + time.Second)
		f.Refuse("chat.postEphemeral", 1, "not_in_channel")
		if _, err := tn.Reply(ctx, bot.Reply{Text: "遅い", Ephemeral: true}); err != nil {
			t.Fatalf("Reply: %v", err)
		}
		if got, dms := len(f.CallsOf("response_url")), dmPosts(f); got != 0 || dms != 1 {
			t.Errorf("got %d response_url posts and %d DM posts, want 0 and 1", got, dms)
		}
	})
	t.Run("Slack refuses it", func(t *testing.T) {
		f := slackfake.New(t)
		a, _ := newTestAdapter(t, f)
		f.Refuse("chat.postEphemeral", 1, "not_in_channel")
		f.Fail("response_url", 1, http.StatusNotFound, "")
		at, err := commandTurn(a, "CPRIV", f.HookURL("gone")).Reply(ctx, bot.Reply{Text: "無効", Ephemeral: true})
		if err != nil || at.Channel != "D1" {
			t.Errorf("Reply: got address %+v, err %v; want the DM D1", at, err)
		}
	})
}

func TestResponseURLAllowed(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	api := strings.TrimSuffix(f.APIURL(), "/")
	tests := []struct {
		url  string
		want bool
	}{
		{"https://hooks.slack.com/commands/T0TEST/1/abc", true},
		{"https://HOOKS.slack.com/commands/T0TEST/1/abc", true},
		{api + "/hooks/x", true},
		{"http://hooks.slack.com/commands/T0TEST/1/abc", false},
		{"https://hooks.slack.com:8443/commands/x", false},
		{"https://hooks.slack.com.example.com/commands/x", false},
		{"https://hooks.slack.com@example.com/commands/x", false},
		{"https://example.com/?u=https://hooks.slack.com/", false},
		{"https://169.254.169.254/latest/meta-data", false},
		{strings.Replace(api, "http://", "https://", 1) + "/hooks/x", false},
		{"http://127.0.0.1:1/hooks/x", false},
		{"/hooks/x", false},
		{"", false},
		{"::", false},
	}
	for _, tt := range tests {
		if got := a.responseURLAllowed(tt.url); got != tt.want {
			t.Errorf("responseURLAllowed(%q): got %t, want %t", tt.url, got, tt.want)
		}
	}
}

// TestCommandInPrivateChannel: "/soudan help" typed in a private channel
// the bot is not in answers through the response_url, ephemerally; with a
// response_url on a foreign host it answers in the sender's DM.
func TestCommandInPrivateChannel(t *testing.T) {
	// The dispatcher answers as the help command does: to the sender alone
	// unless in a DM.
	h := newHarness(t, func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		_, err := r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: "/soudan ask <question>\n/soudan mine"})
		return err
	})
	h.fake.Refuse("chat.postEphemeral", 2, "channel_not_found")
	h.fake.CommandVia("UTANAKA", "CPRIV", "help", "trg-1", h.fake.HookURL("T0TEST/1/abc"))
	hooks := h.fake.WaitCalls("response_url", 1)
	if got := hooks[0].JSON["response_type"]; got != "ephemeral" {
		t.Errorf("response_type: got %v, want ephemeral", got)
	}
	if text, _ := hooks[0].JSON["text"].(string); !strings.Contains(text, "/soudan") {
		t.Errorf("text: got %q, want the help", text)
	}

	h.fake.Command("UTANAKA", "CPRIV", "help", "trg-2") // response_url on hooks.example
	posts := h.fake.WaitCalls("chat.postMessage", 1)
	if got := posts[0].Form.Get("channel"); got != "UTANAKA" {
		t.Errorf("fallback: posted to %q, want the DM of UTANAKA", got)
	}
	if got := len(h.fake.CallsOf("response_url")); got != 1 {
		t.Errorf("response_url posts: got %d, want 1 (the foreign one refused)", got)
	}
}
