package teams

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/outbox"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// consultEnv is the adapter in front of the real router, handlers and a
// bbolt store, with the fake Bot Framework behind it.
type consultEnv struct {
	*env
	st  *store.Store
	app *handlers.App
}

func newConsultEnv(t *testing.T) *consultEnv {
	t.Helper()
	now := func() time.Time { return testNow }
	st := storetest.MustOpen(t, store.Options{Now: now})
	rt := bot.NewRouter()
	e := newEnv(t, rt)
	app, err := handlers.New(handlers.Config{
		Store: st, Sender: bot.Mux{platform: e.a}, Now: now, Prefix: "soudan",
		Log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Admins: []string{"teams:29:admin"},
		// No pacing: Flush then delivers everything due at once.
		DeliveryLimits: map[string]outbox.Limit{},
	})
	if err != nil {
		t.Fatal(err)
	}
	app.Register(rt)
	return &consultEnv{env: e, st: st, app: app}
}

// send posts an activity, fails unless it is accepted, and flushes the
// handlers' outbox (the messages the bot sends on its own initiative).
func (c *consultEnv) send(act map[string]any) string {
	c.t.Helper()
	status, body := c.post(act, c.bf.validToken())
	if status != http.StatusOK {
		c.t.Fatalf("activity %v: status %d", act["id"], status)
	}
	if err := c.app.Outbox().Flush(context.Background()); err != nil {
		c.t.Fatalf("flush outbox: %v", err)
	}
	return body
}

// cardsTo returns the cards posted into a conversation since call from,
// as JSON.
func (c *consultEnv) cardsTo(conv string, from int) []string {
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
func (c *consultEnv) formData(conv string, values map[string]string, byTitle map[string]string) map[string]any {
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
			if data[dataForm] == nil {
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

// TestConsultationOverTeams runs a whole consultation through the
// adapter, the real router and handlers, and a real store: the admin
// sets up a topic channel, a mentor registers through a form card (in a
// DM the bot has to create), a member asks in the channel, the mentor
// answers in the thread, the answer reaches the member by a DM the bot
// creates, and the member resolves it.
func TestConsultationOverTeams(t *testing.T) {
	c := newConsultEnv(t)
	bf := c.bf
	mentionBot := mention(testBotID, "soudan")

	c.send(bf.dmActivity("e1", "29:admin", "管理者", "admin topic add キャリア career キャリアパス"))
	c.send(bf.channelActivity("e2", "", "29:admin", "管理者", "<at>soudan</at> admin topic map here キャリア", mentionBot))
	if tp, err := c.st.TopicByChannel("teams", testTenant, testChannel); err != nil || tp.Name != "キャリア" {
		t.Fatalf("channel topic: got %+v, %v; want キャリア", tp, err)
	}

	// 佐藤 asks for the form in the channel: it comes to a new DM.
	c.send(bf.channelActivity("e3", "", "29:sato", "佐藤", "<at>soudan</at> mentor register", mentionBot))
	data := c.formData("a:dm-29:sato", map[string]string{
		"join_year": "2010", "job_type": "事務", "message": "キャリアの悩みなら何でも",
	}, map[string]string{"topics": "キャリア"})
	data["posting"] = "hq"
	submit := bf.executeActivity("e4", "m-form", "mentor", data)
	submit["from"] = from("29:sato", "佐藤")
	submit["conversation"].(map[string]any)["id"] = "a:dm-29:sato"
	c.send(submit)
	if mentors, _ := c.st.Mentors(); len(mentors) != 1 {
		t.Fatalf("mentors after the form: got %d, want 1 (calls %v)", len(mentors), c.bf.Calls())
	}

	// 田中 asks in the topic channel, without mentioning the bot.
	before := len(bf.Calls())
	c.send(bf.channelActivity("e5", "", "29:tanaka", "田中", "キャリアパスに悩んでいます。異動希望はどう出すべき？"))
	cs, err := c.st.ConsultationsByState(store.StateOpen)
	if err != nil || len(cs) != 1 {
		t.Fatalf("open consultations: got %d, %v; want 1", len(cs), err)
	}
	id := cs[0].ID
	var ack, routed bool
	for _, cl := range bf.Calls()[before:] {
		ack = ack || cl.Path == "/v3/conversations/"+testChannel+";messageid=e5/activities"
		routed = routed || (cl.Path == "/v3/conversations/a:dm-29:sato/activities" && strings.Contains(mustJSON(cl.Body), "異動希望"))
	}
	if !ack || !routed {
		t.Fatalf("ack in the post's thread %v, card to the mentor %v; want both: %+v", ack, routed, bf.Calls()[before:])
	}

	// 佐藤 answers in the thread; 田中 never wrote to the bot in a DM.
	before = len(bf.Calls())
	c.send(bf.channelActivity("e6", "e5", "29:sato", "佐藤", "秋の面談で上司に伝えるのが一般的です。"))
	created, relayed := false, false
	for _, cl := range bf.Calls()[before:] {
		if cl.Path == "/v3/conversations" {
			m, _ := cl.Body["members"].([]any)
			created = created || (len(m) == 1 && m[0].(map[string]any)["id"] == "29:tanaka" && cl.Body["tenantId"] == testTenant)
		}
		relayed = relayed || (cl.Path == "/v3/conversations/a:dm-29:tanaka/activities" && strings.Contains(mustJSON(cl.Body), "秋の面談"))
	}
	if !created || !relayed {
		t.Fatalf("DM created for 田中 %v, answer relayed %v; want both: %+v", created, relayed, bf.Calls()[before:])
	}
	if got, _ := c.st.Consultation(id); got.State != store.StateAnswered {
		t.Fatalf("state after the answer: got %s, want answered", got.State)
	}

	// 田中 resolves it from the DM; 佐藤 hears of it.
	before = len(bf.Calls())
	c.send(bf.dmActivity("e7", "29:tanaka", "田中", "resolve "+itoa(id)+" 9 助かりました"))
	if got, _ := c.st.Consultation(id); got.State != store.StateResolved {
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
	c.send(bf.channelActivity("e5", "", "29:tanaka", "田中", "キャリアパスに悩んでいます。異動希望はどう出すべき？"))
	if all, _ := c.st.ConsultationsByAsker(cs[0].AskerID); len(all) != 1 || len(bf.Calls()) != n {
		t.Errorf("a redelivered question: %d consultations, %d new calls; want 1, 0", len(all), len(bf.Calls())-n)
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
