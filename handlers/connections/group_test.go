package connections

import (
	"context"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/internal/testclock"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

// groupFake is the fake adapter with a group DM, as Slack has: a send to
// an address of several users posts in "mpim:U1,U2" (opened at send time).
type groupFake struct{ *bottest.Adapter }

var _ bot.GroupOpener = groupFake{}

func (g groupFake) OpenGroup(_ context.Context, workspace string, users []string) (bot.Address, error) {
	return bot.Address{Platform: bottest.Platform, Workspace: workspace, Channel: "mpim:" + strings.Join(users, ",")}, nil
}

func (g groupFake) Send(ctx context.Context, to bot.Address, r bot.Reply) (bot.Address, error) {
	if to.Channel == "" && len(to.Users) > 0 {
		at, err := g.OpenGroup(ctx, to.Workspace, to.Users)
		if err != nil {
			return bot.Address{}, err
		}
		to.Channel = at.Channel
	}
	return g.Adapter.Send(ctx, to, r)
}

// TestGroupIntroductions: where the platform opens group DMs, each group
// of a round gets one introduction in its group DM naming everyone,
// keyed by the round and the group; a group whose members read different
// languages gets one DM each instead; a second run sends nothing more.
func TestGroupIntroductions(t *testing.T) {
	c := testclock.New(monday)
	env := testenv.New(t, testenv.Options{Clock: c.Now, Config: func(cfg *handlers.Config) { cfg.Location = monday.Location() },
		Sender: func(a *bottest.Adapter) bot.Sender { return groupFake{a} }})
	f := New(env.Kit, Options{K: 3})
	env.Register(f)
	e := &connEnv{Env: env, f: f, clock: c}
	e.logOnFail()
	e.joined("佐藤 総務課 2024", "鈴木 総務課 2010", "高橋 人事課 2023", "田中 人事課 2008")
	// 鈴木 reads English: their group cannot share one message.
	uid := e.Known("鈴木").ID
	if err := e.St.Update(func(tx *store.Tx) error {
		_, err := tx.Users().Update(uid, func(u *store.User) error { u.Locale = "en"; return nil })
		return err
	}); err != nil {
		t.Fatal(err)
	}
	e.OK(bottest.Command("admin", "/soudan admin coffee add 横断コーヒー cadence=weekly cross=on"))
	run := e.OK(bottest.Command("admin", "/soudan admin coffee run 横断コーヒー"))
	rd := e.round("横断コーヒー")
	var groupSends, dms []bottest.Delivery
	for _, d := range run.Sent {
		if !strings.HasPrefix(d.Reply.Key, "conn:intro:") {
			continue
		}
		if len(d.To.Users) > 0 {
			groupSends = append(groupSends, d)
		} else {
			dms = append(dms, d)
		}
	}
	if len(groupSends) != 1 || len(dms) != 2 {
		t.Fatalf("%d group introductions and %d DMs, want 1 (the Japanese pair) and 2 (the pair with 鈴木)", len(groupSends), len(dms))
	}
	g := groupSends[0]
	gi := rd.GroupOf(e.Known("佐藤").ID)
	if rd.GroupOf(uid) == gi {
		t.Fatalf("佐藤 and 鈴木 are one group (same department): %+v", rd.Groups)
	}
	if want := "conn:intro:" + idText(rd.ID) + ":g" + itoa(gi); g.Reply.Key != want {
		t.Errorf("the group introduction's key = %q, want %q", g.Reply.Key, want)
	}
	if !strings.HasPrefix(g.At.Channel, "mpim:") || len(g.To.Users) != 2 {
		t.Errorf("the group introduction went to %+v, want the pair's group DM", g.To)
	}
	for _, id := range rd.Groups[gi].Members {
		x, _ := e.userByID(id)
		if !strings.Contains(g.Reply.Text, x.Name+"（"+x.Department) {
			t.Errorf("the group introduction does not name %s:\n%s", x.Name, g.Reply.Text)
		}
	}
	if !strings.Contains(g.Reply.Text, "このグループのみなさん") {
		t.Errorf("the group introduction is not the group's text:\n%s", g.Reply.Text)
	}
	if len(introsTo(dms, "鈴木")) != 1 {
		t.Errorf("鈴木 got %d DMs, want 1", len(introsTo(dms, "鈴木")))
	}
	again := e.Do(bottest.Command("admin", "/soudan admin coffee run 横断コーヒー"))
	if len(again.Sent) != 0 {
		t.Errorf("a second run sent %d messages", len(again.Sent))
	}
}

func itoa(n int) string { return idText(uint64(n)) }
