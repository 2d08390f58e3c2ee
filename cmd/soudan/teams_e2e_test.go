package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/teams"
	"github.com/soudan/soudan/bot/teams/teamsfake"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// teamsEnv is the bot serving Teams without authentication on a free
// loopback port, with the fake connector behind it.
type teamsEnv struct {
	t    *testing.T
	b    *testBot
	bf   *teamsfake.Server
	base string // the bot's listener
}

// startTeamsBot runs the bot for Teams, 29:admin an admin, and waits
// until it listens.
func startTeamsBot(t *testing.T) *teamsEnv {
	t.Helper()
	bf := teamsfake.New(t)
	b := startBot(t, "-teams-addr", "127.0.0.1:0", "-admins", "teams:29:admin")
	line := b.waitLog("teams: listening")
	_, rest, _ := strings.Cut(line, " addr=")
	addr, _, _ := strings.Cut(rest, " ")
	if addr == "" {
		t.Fatalf("no address in the log line %q", line)
	}
	return &teamsEnv{t: t, b: b, bf: bf, base: "http://" + addr}
}

// send posts an activity, fails unless it is accepted, and waits until
// the bot has handled it: serve's adapter handles a message in the
// background, so send waits for the first connector call it causes (an
// invoke is answered once handled), for the calls to stop, and for the
// outbox to be delivered (the messages the bot sends on its own
// initiative).
func (c *teamsEnv) send(act map[string]any) string {
	c.t.Helper()
	before := len(c.bf.Calls())
	body := c.post(act)
	if act["type"] != "invoke" {
		waitUntil(c.t, fmt.Sprintf("a connector call for activity %v", act["id"]), func() bool { return len(c.bf.Calls()) > before })
	}
	c.settle()
	return body
}

// sendIgnored posts an activity that should cause nothing, fails unless
// it is accepted, and gives the bot time to act on it anyway.
func (c *teamsEnv) sendIgnored(act map[string]any) {
	c.t.Helper()
	c.post(act)
	time.Sleep(300 * time.Millisecond)
	c.settle()
}

// post posts an activity and fails unless it is accepted.
func (c *teamsEnv) post(act map[string]any) string {
	c.t.Helper()
	raw, err := json.Marshal(act)
	if err != nil {
		c.t.Fatal(err)
	}
	resp, err := http.Post(c.base+teams.Path, "application/json", bytes.NewReader(raw))
	if err != nil {
		c.t.Fatalf("activity %v: %v", act["id"], err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("activity %v: status %d", act["id"], resp.StatusCode)
	}
	return string(body)
}

// settle waits until no connector call has come for 200 ms and the
// outbox is delivered.
func (c *teamsEnv) settle() {
	c.t.Helper()
	for n, quiet := -1, 0; quiet < 4; time.Sleep(50 * time.Millisecond) {
		if m := len(c.bf.Calls()); m != n {
			n, quiet = m, 0
			continue
		}
		quiet++
	}
	c.b.waitDelivered()
}

// cardsTo returns the cards posted into a conversation since call from,
// as JSON.
func (c *teamsEnv) cardsTo(conv string, from int) []string {
	var out []string
	for _, cl := range c.bf.Calls()[from:] {
		if !strings.Contains(cl.Path, "/v3/conversations/"+conv) && !(cl.Path == "/v3/conversations" && strings.Contains(mustJSON(cl.Body), conv)) {
			continue
		}
		if cl.Body["attachments"] != nil || cl.Body["activity"] != nil {
			out = append(out, mustJSON(cl.Body))
		}
	}
	return out
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// formData finds the last form card posted to conv and returns its
// submit data with the values set (Teams merges inputs into the data),
// choosing choice inputs by title.
func (c *teamsEnv) formData(conv string, values map[string]string, byTitle map[string]string) map[string]any {
	c.t.Helper()
	cards := c.cardsTo(conv, 0)
	for i := len(cards) - 1; i >= 0; i-- {
		var act struct {
			Attachments []struct {
				Content struct {
					Body    []map[string]any `json:"body"`
					Actions []map[string]any `json:"actions"`
				} `json:"content"`
			} `json:"attachments"`
		}
		_ = json.Unmarshal([]byte(cards[i]), &act)
		if len(act.Attachments) == 0 {
			continue
		}
		content := act.Attachments[0].Content
		for _, a := range content.Actions {
			data, _ := a["data"].(map[string]any)
			if data["soudan_form"] == nil {
				continue
			}
			for k, v := range values {
				data[k] = v
			}
			for _, el := range content.Body {
				id, _ := el["id"].(string)
				title, ok := byTitle[id]
				if !ok {
					continue
				}
				for _, ch := range el["choices"].([]any) {
					if ch.(map[string]any)["title"] == title {
						data[id] = ch.(map[string]any)["value"]
					}
				}
			}
			return data
		}
	}
	c.t.Fatalf("no form card in %s", conv)
	return nil
}

// TestConsultationOverTeams runs a whole consultation through serve's
// Teams adapter (unauthenticated, on a fake connector), the real router
// and handlers, and the data file: the admin
// sets up a topic channel, a mentor registers through a form card (in a
// DM the bot has to create), a member asks in the channel, the mentor
// answers in the thread, the answer reaches the member by a DM the bot
// creates, and the member resolves it.
func TestConsultationOverTeams(t *testing.T) {
	t.Parallel()
	c := startTeamsBot(t)
	bf := c.bf
	mentionBot := teamsfake.Mention(teamsfake.BotID, "soudan")

	c.send(bf.DMActivity("e1", "29:admin", "管理者", "admin topic add キャリア career キャリアパス"))
	c.send(bf.ChannelActivity("e2", "", "29:admin", "管理者", "<at>soudan</at> admin topic map here キャリア", mentionBot))
	if tp, err := storetest.Read(c.b.st(), func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().ByChannel("teams", teamsfake.Tenant, teamsfake.Channel)
	}); err != nil || tp.Name != "キャリア" {
		t.Fatalf("channel topic: got %+v, %v; want キャリア", tp, err)
	}

	// 佐藤 asks for the form in the channel: it comes to a new DM.
	c.send(bf.ChannelActivity("e3", "", "29:sato", "佐藤", "<at>soudan</at> mentor register", mentionBot))
	data := c.formData("a:dm-29:sato", map[string]string{
		"join_year": "2010", "job_type": "事務", "message": "キャリアの悩みなら何でも",
	}, map[string]string{"topics": "キャリア"})
	data["posting"] = "hq"
	submit := bf.ExecuteActivity("e4", "m-form", "mentor", data)
	submit["from"] = teamsfake.From("29:sato", "佐藤")
	submit["conversation"].(map[string]any)["id"] = "a:dm-29:sato"
	c.send(submit)
	if mentors, _ := storetest.Read(c.b.st(), func(tx *store.Tx) ([]store.Mentor, error) { return tx.Mentors().All() }); len(mentors) != 1 {
		t.Fatalf("mentors after the form: got %d, want 1 (calls %v)", len(mentors), c.bf.Calls())
	}

	// 田中 asks in the topic channel, without mentioning the bot.
	before := len(bf.Calls())
	c.send(bf.ChannelActivity("e5", "", "29:tanaka", "田中", "キャリアパスに悩んでいます。異動希望はどう出すべき？"))
	cs, err := storetest.Read(c.b.st(), func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByState(store.StateOpen) })
	if err != nil || len(cs) != 1 {
		t.Fatalf("open consultations: got %d, %v; want 1", len(cs), err)
	}
	id := cs[0].ID
	var ack, routed bool
	for _, cl := range bf.Calls()[before:] {
		ack = ack || cl.Path == "/v3/conversations/"+teamsfake.Channel+";messageid=e5/activities"
		routed = routed || (cl.Path == "/v3/conversations/a:dm-29:sato/activities" && strings.Contains(mustJSON(cl.Body), "異動希望"))
	}
	if !ack || !routed {
		t.Fatalf("ack in the post's thread %v, card to the mentor %v; want both: %+v", ack, routed, bf.Calls()[before:])
	}

	// 佐藤 answers in the thread; 田中 never wrote to the bot in a DM.
	before = len(bf.Calls())
	c.send(bf.ChannelActivity("e6", "e5", "29:sato", "佐藤", "秋の面談で上司に伝えるのが一般的です。"))
	created, relayed := false, false
	for _, cl := range bf.Calls()[before:] {
		if cl.Path == "/v3/conversations" {
			m, _ := cl.Body["members"].([]any)
			created = created || (len(m) == 1 && m[0].(map[string]any)["id"] == "29:tanaka" && cl.Body["tenantId"] == teamsfake.Tenant)
		}
		relayed = relayed || (cl.Path == "/v3/conversations/a:dm-29:tanaka/activities" && strings.Contains(mustJSON(cl.Body), "秋の面談"))
	}
	if !created || !relayed {
		t.Fatalf("DM created for 田中 %v, answer relayed %v; want both: %+v", created, relayed, bf.Calls()[before:])
	}
	if got, _ := storetest.Read(c.b.st(), func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(id) }); got.State != store.StateAnswered {
		t.Fatalf("state after the answer: got %s, want answered", got.State)
	}

	// 田中 resolves it from the DM; 佐藤 hears of it.
	before = len(bf.Calls())
	c.send(bf.DMActivity("e7", "29:tanaka", "田中", "resolve "+itoa(id)+" 9 助かりました"))
	if got, _ := storetest.Read(c.b.st(), func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(id) }); got.State != store.StateResolved {
		t.Fatalf("state after resolve: got %s, want resolved", got.State)
	}
	told := false
	for _, cl := range bf.Calls()[before:] {
		told = told || cl.Path == "/v3/conversations/a:dm-29:sato/activities"
	}
	if !told {
		t.Errorf("the mentor was not told of the resolution: %+v", bf.Calls()[before:])
	}

	// The same activity delivered again changes nothing.
	n := len(bf.Calls())
	c.sendIgnored(bf.ChannelActivity("e5", "", "29:tanaka", "田中", "キャリアパスに悩んでいます。異動希望はどう出すべき？"))
	if all, _ := storetest.Read(c.b.st(), func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByAsker(cs[0].AskerID) }); len(all) != 1 || len(bf.Calls()) != n {
		t.Errorf("a redelivered question: %d consultations, %d new calls; want 1, 0", len(all), len(bf.Calls())-n)
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// waitDelivered waits until the outbox has nothing pending and nothing
// whose send is under way: what Flush does, done by serve's worker.
func (b *testBot) waitDelivered() {
	b.t.Helper()
	st := b.st()
	waitUntil(b.t, "the outbox delivered", func() bool {
		_, pending, err := storetest.Read2(st, func(tx *store.Tx) (time.Time, bool, error) { return tx.Outbox().NextDue() })
		if err != nil {
			b.t.Fatalf("NextDue: %v", err)
		}
		sending, err := storetest.Read(st, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().InDoubt() })
		if err != nil {
			b.t.Fatalf("InDoubt: %v", err)
		}
		return !pending && len(sending) == 0
	})
}
