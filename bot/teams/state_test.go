package teams

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/infracloudio/msbotbuilder-go/schema"
	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/bot/teams/teamsfake"
)

// regionalToken is a valid channel token for activities from the
// regional fake's service URL.
func regionalToken(e *env, regional *teamsfake.Server) string {
	claims := e.bf.ChannelClaims()
	claims["serviceurl"] = regional.URL()
	return teamsfake.SignToken(e.t, e.bf.Key(), claims)
}

// TestRestartKeepsChannelUsersServiceURL: users seen only in a channel
// served by a regional service URL (one the global default is not) are
// reached there by DM after a restart on the same StateStore, the sender
// and the users mentioned alike.
func TestRestartKeepsChannelUsersServiceURL(t *testing.T) {
	st := bottest.NewStateStore(func() time.Time { return teamsfake.Now })
	rc := &recorder{}
	e := newEnv(t, rc, func(o *Options) { o.State = st })
	regional := teamsfake.New(t)
	act := regional.ChannelActivity("c1", "", "29:tanaka", "田中", "<at>soudan</at> 相談 <at>佐藤</at>", teamsfake.Mention(teamsfake.BotID, "soudan"), teamsfake.Mention("29:sato", "佐藤"))
	if got, body := e.post(act, regionalToken(e, regional)); got != http.StatusOK {
		t.Fatalf("channel activity: status %d (%s), want 200", got, body)
	}

	for _, user := range []string{"29:tanaka", "29:sato"} {
		fresh, err := New(e.a.opt) // restarted: nothing in memory
		if err != nil {
			t.Fatal(err)
		}
		before := len(regional.Calls())
		at, err := fresh.Send(context.Background(), bot.Address{Platform: "teams", Workspace: teamsfake.Tenant, User: user}, bot.Reply{Text: "リマインダー"})
		if err != nil {
			t.Fatalf("DM to %s after a restart: %v", user, err)
		}
		calls := regional.Calls()[before:]
		if len(calls) != 2 || calls[0].Path != "/v3/conversations" || calls[1].Path != "/v3/conversations/a:dm-"+user+"/activities" {
			t.Errorf("DM to %s after a restart: regional service URL got %+v; want create + send", user, calls)
		}
		if len(calls) > 0 && calls[0].Body["tenantId"] != teamsfake.Tenant {
			t.Errorf("DM to %s: create body %+v, want tenant %s", user, calls[0].Body, teamsfake.Tenant)
		}
		if ref, ok := decodeRef(at.Ref); !ok || ref.ServiceURL != regional.URL() {
			t.Errorf("DM to %s: address ref %+v (ok %v), want service URL %s", user, ref, ok, regional.URL())
		}
	}
	if calls := e.bf.Calls(); len(calls) != 0 {
		t.Errorf("global service URL got %d connector calls, want none: %+v", len(calls), calls)
	}
}

// TestRestartKeepsPersonalChat: the 1:1 chat learnt from a DM, or made by
// the bot, is used after a restart with no reference from handlers,
// without creating it again; a later channel sighting keeps it.
func TestRestartKeepsPersonalChat(t *testing.T) {
	st := bottest.NewStateStore(func() time.Time { return teamsfake.Now })
	rc := &recorder{}
	e := newEnv(t, rc, func(o *Options) { o.State = st })
	e.one(rc, e.bf.DMActivity("d1", "29:tanaka", "田中", "hello"))
	if _, err := e.a.Send(context.Background(), bot.Address{Platform: "teams", Workspace: teamsfake.Tenant, User: "29:new"}, bot.Reply{Text: "はじめまして"}); err != nil {
		t.Fatal(err)
	}

	fresh, err := New(e.a.opt)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fresh.Handler(context.Background(), rc))
	t.Cleanup(srv.Close)
	e2 := &env{t: t, bf: e.bf, a: fresh, srv: srv, log: e.log}
	e2.one(rc, e.bf.ChannelActivity("c1", "", "29:tanaka", "田中", "<at>soudan</at> hi", teamsfake.Mention(teamsfake.BotID, "soudan")))

	again, err := New(e.a.opt)
	if err != nil {
		t.Fatal(err)
	}
	before := len(e.bf.Calls())
	for _, user := range []string{"29:tanaka", "29:new"} {
		if _, err := again.Send(context.Background(), bot.Address{Platform: "teams", Workspace: teamsfake.Tenant, User: user}, bot.Reply{Text: "続き"}); err != nil {
			t.Fatalf("DM to %s after a restart: %v", user, err)
		}
	}
	calls := e.bf.Calls()[before:]
	if len(calls) != 2 || calls[0].Path != "/v3/conversations/a:dm-29:tanaka/activities" || calls[1].Path != "/v3/conversations/a:dm-29:new/activities" {
		t.Errorf("DMs after a restart: calls %+v; want one send into each saved 1:1 chat and no create", calls)
	}
	// Another tenant's user of the same id is not this one.
	if _, ok := again.savedFor("29:tanaka", "other-tenant"); ok {
		t.Errorf("savedFor(29:tanaka, other-tenant): got true, want false")
	}
}

// TestSavedRefsRefresh: a sighting that changes nothing rewrites the
// reference at most daily, which pushes its expiry refTTL past the
// sighting; a changed reference is written at once.
func TestSavedRefsRefresh(t *testing.T) {
	now := teamsfake.Now
	clock := func() time.Time { return now }
	st := bottest.NewStateStore(clock)
	u := newUserRefs(st, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ref := schema.ConversationReference{
		User:         schema.ChannelAccount{ID: "29:u"},
		Conversation: schema.ConversationAccount{ID: teamsfake.Channel, ConversationType: convChannel, TenantID: teamsfake.Tenant},
		ServiceURL:   "https://smba.trafficmanager.net/jp/",
	}
	steps := []struct {
		after    time.Duration
		service  string
		wantPuts int
	}{
		{0, ref.ServiceURL, 1},
		{time.Hour, ref.ServiceURL, 1},                                     // unchanged, within a day
		{time.Hour, "https://smba.trafficmanager.net/emea/", 2},            // changed
		{refRefresh, "https://smba.trafficmanager.net/emea/", 3},           // a day on
		{refTTL - time.Minute, "https://smba.trafficmanager.net/emea/", 4}, // the last write kept it alive
	}
	for i, s := range steps {
		now = now.Add(s.after)
		if _, ok, _ := st.AdapterState(platform, "29:u"); i > 0 && !ok {
			t.Errorf("step %d: the saved reference expired before the sighting", i)
		}
		r := ref
		r.ServiceURL = s.service
		u.learn("29:u", r)
		if got := st.Puts(); got != s.wantPuts {
			t.Errorf("step %d: writes got %d, want %d", i, got, s.wantPuts)
		}
	}
	now = now.Add(refTTL)
	if _, ok, _ := st.AdapterState(platform, "29:u"); ok {
		t.Errorf("refTTL after the last sighting: the reference is still saved, want it expired")
	}
}

// TestRestartKeepsChannelServiceURL: a message queued for a channel's
// thread before a restart (an address with no reference) reaches the
// channel at the service URL it was seen at, not the global default.
func TestRestartKeepsChannelServiceURL(t *testing.T) {
	st := bottest.NewStateStore(func() time.Time { return teamsfake.Now })
	rc := &recorder{}
	e := newEnv(t, rc, func(o *Options) { o.State = st })
	regional := teamsfake.New(t)
	act := regional.ChannelActivity("c1", "", "29:tanaka", "田中", "<at>soudan</at> 相談", teamsfake.Mention(teamsfake.BotID, "soudan"))
	if got, body := e.post(act, regionalToken(e, regional)); got != http.StatusOK {
		t.Fatalf("channel activity: status %d (%s), want 200", got, body)
	}
	fresh, err := New(e.a.opt) // restarted: nothing in memory
	if err != nil {
		t.Fatal(err)
	}
	before := len(regional.Calls())
	to := bot.Address{Platform: "teams", Workspace: teamsfake.Tenant, Channel: teamsfake.Channel, Thread: "c1"}
	if _, err := fresh.Send(context.Background(), to, bot.Reply{Text: "回答がありました"}); err != nil {
		t.Fatalf("send into the channel's thread after a restart: %v", err)
	}
	if calls := regional.Calls()[before:]; len(calls) != 1 {
		t.Errorf("after a restart the regional service URL got %+v; want the one post", calls)
	}
	if calls := e.bf.Calls(); len(calls) != 0 {
		t.Errorf("global service URL got %d connector calls, want none: %+v", len(calls), calls)
	}
}
