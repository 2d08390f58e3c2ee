package slack

import (
	"context"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

// TestGroupDM: an address of several users is their multi-person DM,
// opened once with conversations.open (users comma-separated) and then
// remembered; a second send to the same people posts in the same
// conversation; a restarted adapter finds a keyed message there, so a
// send in doubt is not repeated; more than Slack's eight is refused.
func TestGroupDM(t *testing.T) {
	f := slackfake.New(t)
	a, _ := newTestAdapter(t, f)
	ctx := context.Background()
	group := bot.Address{Platform: bot.PlatformSlack, Workspace: slackfake.Team, Users: []string{"U1", "U2", "U3"}}
	at, err := a.Send(ctx, group, bot.Reply{Text: "今回のメンバーです", Key: "conn:intro:1:g0"})
	if err != nil {
		t.Fatal(err)
	}
	opens := f.CallsOf("conversations.open")
	if len(opens) != 1 || opens[0].Form.Get("users") != "U1,U2,U3" {
		t.Fatalf("conversations.open calls %v, want one with users U1,U2,U3", opens)
	}
	post := f.CallsOf("chat.postMessage")[0]
	if post.Form.Get("channel") != "G123" || at.Channel != "G123" || at.Thread != post.TS {
		t.Errorf("posted to %q, address %+v; want the group G123", post.Form.Get("channel"), at)
	}
	if _, err := a.Send(ctx, group, bot.Reply{Text: "もう一度"}); err != nil || len(f.CallsOf("conversations.open")) != 1 {
		t.Errorf("second send: %v, %d conversations.open calls, want the group remembered", err, len(f.CallsOf("conversations.open")))
	}
	opened, err := a.OpenGroup(ctx, "", []string{"U1", "U2", "U3"})
	if err != nil || opened.Channel != "G123" || opened.Workspace != slackfake.Team {
		t.Errorf("OpenGroup = %+v, %v; want G123 in %s", opened, err, slackfake.Team)
	}
	fresh, _ := newTestAdapter(t, f)
	if found, ok, err := fresh.Delivered(ctx, group, "conn:intro:1:g0"); err != nil || !ok || found.Channel != "G123" || found.Thread != at.Thread {
		t.Errorf("Delivered after a restart = %+v, %t, %v; want the first post", found, ok, err)
	}
	if _, ok, _ := fresh.Delivered(ctx, group, "conn:intro:1:g1"); ok {
		t.Errorf("Delivered found a key never sent")
	}
	many := bot.Address{Users: []string{"U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"}}
	if _, err := a.Send(ctx, many, bot.Reply{Text: "x"}); err == nil {
		t.Errorf("a group of nine: want refused")
	}
}
