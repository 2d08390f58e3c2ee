package teams

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/teams/teamsfake"
)

// replyWith is a handler that replies text.
func replyWith(text string) func(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		_, err := r.Reply(ctx, bot.Reply{Text: text})
		return err
	}
}

// one posts an activity and returns the one message dispatched.
func (e *env) one(rc *recorder, act map[string]any) *bot.Message {
	e.t.Helper()
	before := len(rc.messages())
	if got, body := e.post(act, e.bf.ValidToken()); got != http.StatusOK {
		e.t.Fatalf("status: got %d (%s), want 200", got, body)
	}
	ms := rc.messages()
	if len(ms) != before+1 {
		e.t.Fatalf("dispatched %d messages, want 1", len(ms)-before)
	}
	return ms[len(ms)-1]
}

func TestIncomingDM(t *testing.T) {
	rc := &recorder{}
	e := newEnv(t, rc)
	act := e.bf.DMActivity("d1", "29:tanaka", "田中", "ヘルプ")
	act["entities"] = []any{map[string]any{"type": "clientInfo", "locale": "ja-JP", "timezone": "Asia/Tokyo"}}
	m := e.one(rc, act)
	if m.Kind != bot.KindPost || !m.Direct || m.Text != "ヘルプ" {
		t.Errorf("got kind %s direct %v text %q; want a direct post ヘルプ", m.Kind, m.Direct, m.Text)
	}
	want := bot.Address{Platform: "teams", Workspace: teamsfake.Tenant, Channel: "a:dm-29:tanaka", User: "29:tanaka"}
	got := m.Address
	got.Ref = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("address: got %+v, want %+v", got, want)
	}
	ref, ok := decodeRef(m.Address.Ref)
	if !ok || ref.Conversation.ConversationType != "personal" || ref.User.ID != "29:tanaka" || ref.ServiceURL != e.bf.URL() || ref.Bot.ID != teamsfake.BotID {
		t.Errorf("ref: got %+v (ok %v), want the personal conversation's reference", ref, ok)
	}
	if m.ID != "d1" || m.User != (bot.User{ID: "29:tanaka", Name: "田中", Locale: "ja-JP", TZ: "Asia/Tokyo"}) {
		t.Errorf("id %q user %+v", m.ID, m.User)
	}
}

func TestIncomingChannelMentions(t *testing.T) {
	rc := &recorder{}
	e := newEnv(t, rc)
	act := e.bf.ChannelActivity("c1", "", "29:tanaka", "田中",
		"<p><at>soudan</at> ask <at>佐藤 花子</at> さんに聞きたい &amp; <b>相談</b> &lt;@29:fake&gt;</p>",
		teamsfake.Mention(teamsfake.BotID, "soudan"), teamsfake.Mention("29:sato", "佐藤 花子"))
	m := e.one(rc, act)
	if !m.BotMentioned || m.Direct {
		t.Errorf("BotMentioned %v Direct %v; want true, false", m.BotMentioned, m.Direct)
	}
	if want := "ask <@29:sato> さんに聞きたい & 相談 <\u200b@29:fake>"; m.Text != want {
		t.Errorf("text: got %q, want %q", m.Text, want)
	}
	if !reflect.DeepEqual(m.Mentions, []string{"29:sato"}) {
		t.Errorf("mentions: got %v, want [29:sato]", m.Mentions)
	}
	if m.Address.Channel != teamsfake.Channel || m.Address.Thread != "" {
		t.Errorf("channel %q thread %q; want %q at top level", m.Address.Channel, m.Address.Thread, teamsfake.Channel)
	}
	if u, _ := e.a.refs.userAccount("29:sato"); u.Name != "佐藤 花子" {
		t.Errorf("mentioned user's name not remembered: %+v", u)
	}
}

func TestIncomingThreadAndCommand(t *testing.T) {
	rc := &recorder{}
	e := newEnv(t, rc)
	m := e.one(rc, e.bf.ChannelActivity("c2", "c1", "29:sato", "佐藤", "秋の面談で伝えましょう<br>以上です"))
	if m.Address.Thread != "c1" || m.Text != "秋の面談で伝えましょう\n以上です" || m.BotMentioned {
		t.Errorf("thread %q text %q mentioned %v; want c1, two lines, false", m.Address.Thread, m.Text, m.BotMentioned)
	}
	// The Agents Playground: a GUID activity id, a numeric message id.
	pg := e.bf.ChannelActivity("5d0c2b7e-3d43-4a8b-9a31-1c1f0a3b2f10", "1795268103520", "29:u", "u", "相談です")
	if m = e.one(rc, pg); m.Address.Thread != "" {
		t.Errorf("a Playground root post: thread %q, want top level", m.Address.Thread)
	}
	if tr := m.Raw.(*activity); tr.ID != pg["id"] {
		t.Errorf("raw activity id %q", tr.ID)
	}
	pg["id"], pg["replyToId"] = "9e0c2b7e-3d43-4a8b-9a31-1c1f0a3b2f11", "1795268103520"
	if m = e.one(rc, pg); m.Address.Thread != "1795268103520" {
		t.Errorf("a Playground reply: thread %q, want 1795268103520", m.Address.Thread)
	}
	m = e.one(rc, e.bf.DMActivity("d1", "29:u", "u", "/soudan ask --anon 質問です"))
	if m.Kind != bot.KindCommand || m.Command != "ask" || !reflect.DeepEqual(m.Args, []string{"--anon", "質問です"}) {
		t.Errorf("got kind %s command %q args %q; want the ask command", m.Kind, m.Command, m.Args)
	}
}

func TestIncomingIgnored(t *testing.T) {
	rc := &recorder{}
	e := newEnv(t, rc)
	typing := e.bf.DMActivity("t1", "29:u", "u", "")
	typing["type"] = "typing"
	empty := e.bf.DMActivity("t2", "29:u", "u", "  <p></p> ")
	for _, act := range []map[string]any{typing, empty} {
		if got, _ := e.post(act, e.bf.ValidToken()); got != http.StatusOK {
			t.Errorf("status: got %d, want 200", got)
		}
	}
	if n := len(rc.messages()); n != 0 {
		t.Errorf("dispatched %d messages, want 0", n)
	}
	if got, _ := e.postRaw([]byte(`{"type": 5}`), e.bf.ValidToken()); got != http.StatusBadRequest {
		t.Errorf("malformed activity: got %d, want 400", got)
	}
}

// TestWelcome: installing the bot runs help for the installer; other
// members joining do not.
func TestWelcome(t *testing.T) {
	rc := &recorder{}
	e := newEnv(t, rc)
	act := e.bf.DMActivity("w1", "29:tanaka", "田中", "")
	act["type"] = "conversationUpdate"
	act["membersAdded"] = []any{teamsfake.From(teamsfake.BotID, "soudan")}
	m := e.one(rc, act)
	if m.Kind != bot.KindCommand || m.Command != "help" || !m.Direct || m.User.ID != "29:tanaka" || m.User.Locale != "ja-JP" {
		t.Errorf("got %s %q direct %v user %+v; want help from 田中 in ja", m.Kind, m.Command, m.Direct, m.User)
	}
	act["id"] = "w2"
	act["membersAdded"] = []any{teamsfake.From("29:other", "other")}
	if got, _ := e.post(act, e.bf.ValidToken()); got != http.StatusOK || len(rc.messages()) != 1 {
		t.Errorf("a member joining: status %d, %d dispatched; want 200 and no welcome", got, len(rc.messages()))
	}
}
