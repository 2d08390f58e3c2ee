package slack

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

var testDecoder = decoder{botUser: slackfake.BotUser, cmdName: "soudan", now: func() time.Time { return time.Unix(1, 0) }}

// callback wraps an inner event in an Events API callback and parses it
// as the adapter does.
func callback(t testing.TB, eventID string, inner map[string]any) slackevents.EventsAPIEvent {
	t.Helper()
	b, err := json.Marshal(map[string]any{"type": "event_callback", "team_id": slackfake.Team, "event_id": eventID, "event": inner})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := slackevents.ParseEvent(b, slackevents.OptionNoVerifyToken())
	if err != nil {
		t.Fatalf("ParseEvent: %v", err)
	}
	return ev
}

func TestDecodeEvent(t *testing.T) {
	msg := func(kv ...any) map[string]any {
		m := map[string]any{"type": "message", "user": "U1", "channel": "C1", "channel_type": "channel", "ts": "1700000000.000100", "text": "質問です"}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name  string
		inner map[string]any
		want  *bot.Message // nil: dropped
	}{
		{"channel post", msg(), &bot.Message{Kind: bot.KindPost, Text: "質問です", Address: bot.Address{Channel: "C1"}}},
		{"thread reply", msg("thread_ts", "1699999999.000001"), &bot.Message{Kind: bot.KindPost, Text: "質問です", Address: bot.Address{Channel: "C1", Thread: "1699999999.000001"}}},
		{"thread root is top level", msg("thread_ts", "1700000000.000100"), &bot.Message{Kind: bot.KindPost, Text: "質問です", Address: bot.Address{Channel: "C1"}}},
		{"DM", msg("channel", "D1", "channel_type", "im"), &bot.Message{Kind: bot.KindPost, Text: "質問です", Direct: true, Address: bot.Address{Channel: "D1", User: "U1"}}},
		{"DM with a bot mention", msg("channel", "D1", "channel_type", "im", "text", "<@UBOT> ヘルプ"), &bot.Message{Kind: bot.KindPost, Text: "ヘルプ", Direct: true, BotMentioned: true, Address: bot.Address{Channel: "D1", User: "U1"}}},
		{"mentions", msg("text", "<@U2> さんと <@U3|suzuki> さん"), &bot.Message{Kind: bot.KindPost, Text: "<@U2> さんと <@U3> さん", Mentions: []string{"U2", "U3"}, Address: bot.Address{Channel: "C1"}}},
		{"channel post mentioning the bot: left to app_mention", msg("text", "<@UBOT> 質問"), nil},
		{"the bot's own post", msg("user", slackfake.BotUser), nil},
		{"mention of a user whose id starts like the bot's", msg("text", "<@UBOT2> 質問"), &bot.Message{Kind: bot.KindPost, Text: "<@UBOT2> 質問", Mentions: []string{"UBOT2"}, Address: bot.Address{Channel: "C1"}}},
		{"another bot's post", msg("bot_id", "B9"), nil},
		{"edited", msg("subtype", "message_changed"), nil},
		{"joined", msg("subtype", "channel_join"), nil},
		{"file alone", msg("subtype", "file_share", "text", ""), nil},
		{"broadcast reply", msg("subtype", "thread_broadcast", "thread_ts", "1699999999.000001"), &bot.Message{Kind: bot.KindPost, Text: "質問です", Address: bot.Address{Channel: "C1", Thread: "1699999999.000001"}}},
		{"app_mention", map[string]any{"type": "app_mention", "user": "U1", "channel": "C1", "ts": "1700000000.000100", "text": "<@UBOT> キャリアの相談"},
			&bot.Message{Kind: bot.KindPost, Text: "キャリアの相談", BotMentioned: true, Address: bot.Address{Channel: "C1"}}},
		{"reaction", map[string]any{"type": "reaction_added", "user": "U1", "reaction": "+1::skin-tone-2", "item": map[string]any{"type": "message", "channel": "C1", "ts": "1700000000.000100"}, "event_ts": "1700000001.000000"},
			&bot.Message{Kind: bot.KindReaction, Reaction: "+1", Address: bot.Address{Channel: "C1", Thread: "1700000000.000100"}}},
		{"reaction to a file", map[string]any{"type": "reaction_added", "user": "U1", "reaction": "eyes", "item": map[string]any{"type": "file", "file": map[string]any{"id": "F1"}}}, nil},
		{"home opened", map[string]any{"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"},
			&bot.Message{Kind: bot.KindHome, Direct: true, Address: bot.Address{Channel: "D1", User: "U1"}}},
		{"messages tab opened", map[string]any{"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "messages"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, o, ok := testDecoder.event(callback(t, "Ev1", tt.inner))
			if tt.want == nil {
				if ok {
					t.Fatalf("got %+v, want the event dropped", m)
				}
				return
			}
			if !ok {
				t.Fatalf("event dropped, want %+v", tt.want)
			}
			want := *tt.want
			want.Address.Platform, want.Address.Workspace = bot.PlatformSlack, slackfake.Team
			if m.ID != "Ev1" || m.Kind != want.Kind || m.Text != want.Text || m.Direct != want.Direct || m.BotMentioned != want.BotMentioned ||
				m.Reaction != want.Reaction || !slices.Equal(m.Mentions, want.Mentions) || !equalAddress(m.Address, want.Address) || m.User.ID != "U1" {
				t.Errorf("got %+v\nwant %+v", m, &want)
			}
			if o.user != "U1" || o.channel != want.Address.Channel {
				t.Errorf("origin = %+v", o)
			}
		})
	}
}

func equalAddress(a, b bot.Address) bool {
	return a.Platform == b.Platform && a.Workspace == b.Workspace && a.Channel == b.Channel && a.Thread == b.Thread && a.User == b.User
}

func TestDecodeCommand(t *testing.T) {
	m, o := testDecoder.command(slack.SlashCommand{
		TeamID: slackfake.Team, ChannelID: "C1", ChannelName: "career", UserID: "U1", UserName: "tanaka",
		Command: "/soudan", Text: "admin　topic map <#C9|career> キャリア <@U2|sato>", TriggerID: "123.456.abc",
	})
	if m.ID != "slack:cmd:123.456.abc" || m.Kind != bot.KindCommand || m.Command != "admin" || m.Direct {
		t.Errorf("got id %q kind %v command %q direct %t", m.ID, m.Kind, m.Command, m.Direct)
	}
	if want := []string{"topic", "map", "<#C9|career>", "キャリア", "<@U2>"}; !slices.Equal(m.Args, want) {
		t.Errorf("args = %q, want %q (the ideographic space splits too)", m.Args, want)
	}
	if !slices.Equal(m.Mentions, []string{"U2"}) || o.trigger != "123.456.abc" {
		t.Errorf("mentions %v trigger %q", m.Mentions, o.trigger)
	}
	dm, _ := testDecoder.command(slack.SlashCommand{ChannelID: "D1", ChannelName: "directmessage", UserID: "U1", Text: ""})
	if !dm.Direct || dm.Command != "" || dm.ID != "" {
		t.Errorf("bare /soudan in a DM: direct %t command %q id %q; want direct, no command, no id", dm.Direct, dm.Command, dm.ID)
	}
}

func TestDecodeAction(t *testing.T) {
	var ic slack.InteractionCallback
	payload := `{"type":"block_actions","trigger_id":"t1","team":{"id":"T0TEST"},"user":{"id":"U1","name":"sato"},
		"container":{"type":"message","channel_id":"D1","message_ts":"1700000000.000200","thread_ts":"1700000000.000100"},
		"actions":[{"type":"button","block_id":"b1","action_id":"soudan.url.0","value":""},{"type":"button","block_id":"b1","action_id":"consult.take","value":"12","action_ts":"1700000001.1"}]}`
	if err := json.Unmarshal([]byte(payload), &ic); err != nil {
		t.Fatal(err)
	}
	m, o, ok := testDecoder.action(ic)
	if !ok {
		t.Fatal("action dropped")
	}
	if m.ID != "slack:act:t1" || m.Action != (bot.Action{ID: "consult.take", Value: "12"}) || !m.Direct || m.Address.Thread != "1700000000.000100" || o.source != "1700000000.000200" {
		t.Errorf("got id %q action %+v direct %t address %+v, origin %+v", m.ID, m.Action, m.Direct, m.Address, o)
	}
	home := `{"type":"block_actions","trigger_id":"t2","user":{"id":"U1"},"container":{"type":"view","view_id":"V1"},"view":{"type":"home"},"actions":[{"block_id":"b","action_id":"home.mine"}]}`
	ic = slack.InteractionCallback{}
	_ = json.Unmarshal([]byte(home), &ic)
	if m, o, ok := testDecoder.action(ic); !ok || !m.Direct || o.channel != "" || m.Action.ID != "home.mine" {
		t.Errorf("home button: ok %t action %+v origin %+v; want a direct home.mine with no channel", ok, m.Action, o)
	}
	link := `{"type":"block_actions","user":{"id":"U1"},"actions":[{"block_id":"b","action_id":"soudan.url.1"}]}`
	ic = slack.InteractionCallback{}
	_ = json.Unmarshal([]byte(link), &ic)
	if _, _, ok := testDecoder.action(ic); ok {
		t.Errorf("a link button was dispatched")
	}
}

func TestTSTime(t *testing.T) {
	if got, want := tsTime("1700000000.000100"), time.Unix(1700000000, 100000); !got.Equal(want) {
		t.Errorf("tsTime = %v, want %v", got, want)
	}
	for _, bad := range []string{"", "x", "-5.1", "1.abc"} {
		if got := tsTime(bad); bad != "1.abc" && !got.IsZero() {
			t.Errorf("tsTime(%q) = %v, want zero", bad, got)
		}
	}
}
