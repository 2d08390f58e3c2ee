package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

// stateClock is a settable clock shared by an adapter and its store.
type stateClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stateClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stateClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newStateAdapter returns an adapter on the fake Slack that keeps its
// forms in st: each call is the bot started afresh.
func newStateAdapter(t *testing.T, f *slackfake.Server, st bot.StateStore, now func() time.Time) *Adapter {
	t.Helper()
	a, err := New(Options{BotToken: slackfake.BotToken, AppToken: slackfake.AppToken, APIURL: f.APIURL(), Now: now, State: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	a.sleep = (&waitLog{}).sleep
	return a
}

// formKeyOf returns the value of the open-form button of a posted message.
func formKeyOf(t *testing.T, c slackfake.Call) string {
	t.Helper()
	var blocks []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if err := json.Unmarshal([]byte(c.Form.Get("blocks")), &blocks); err != nil {
		t.Fatalf("blocks of the posted form: %v", err)
	}
	for _, b := range blocks {
		for _, e := range b.Elements {
			if e.ActionID == actionOpenForm {
				return e.Value
			}
		}
	}
	t.Fatalf("no %s button in the posted form: %s", actionOpenForm, c.Form.Get("blocks"))
	return ""
}

// pressOpenForm presses the open-form button of key in channel and
// returns the messages dispatched because the form was not found.
func pressOpenForm(t *testing.T, a *Adapter, channel, key, trigger string) []*bot.Message {
	t.Helper()
	var mu sync.Mutex
	var dispatched []*bot.Message
	d := dispatcherFunc(func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		mu.Lock()
		defer mu.Unlock()
		dispatched = append(dispatched, m)
		return nil
	})
	press := slack.InteractionCallback{Type: slack.InteractionTypeBlockActions, TriggerID: trigger, User: slack.User{ID: "U7"}, Team: slack.Team{ID: slackfake.Team}}
	press.ActionCallback.BlockActions = []*slack.BlockAction{{ActionID: actionOpenForm, Value: key}}
	press.Container = slack.Container{Type: "message", ChannelID: channel, MessageTs: "1700000000.000009"}
	a.onInteraction(context.Background(), d, press)
	a.inflight.Wait()
	mu.Lock()
	defer mu.Unlock()
	return dispatched
}

// TestPostedFormSurvivesRestart: a form the bot posted as a message (no
// trigger id) still opens as a modal when its button is pressed after the
// bot restarted on the same StateStore (the data file in production:
// store's TestAdapterStateSurvivesReopen), until it expires.
func TestPostedFormSurvivesRestart(t *testing.T) {
	f := slackfake.New(t)
	c := &stateClock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	st := bottest.NewStateStore(c.Now)
	before := newStateAdapter(t, f, st, c.Now)
	form := answerForm
	form.Intro = "田中さんからの相談です"
	if _, err := before.Send(context.Background(), bot.Address{Platform: bot.PlatformSlack, Workspace: slackfake.Team, User: "U7"}, bot.Reply{Text: "回答してください", Form: &form}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	key := formKeyOf(t, f.CallsOf("chat.postMessage")[0])

	after := newStateAdapter(t, f, st, c.Now) // restarted: nothing in memory
	if got := pressOpenForm(t, after, "D7", key, "trg-1"); len(got) != 0 {
		t.Errorf("press after a restart dispatched %d messages (the router calls them stale); want the modal opened", len(got))
	}
	opened := f.CallsOf("views.open")
	if len(opened) != 1 {
		t.Fatalf("views.open calls after the press: got %d, want 1", len(opened))
	}
	view, _ := opened[0].JSON["view"].(map[string]any)
	var meta formMeta
	metaRaw, _ := view["private_metadata"].(string)
	if err := json.Unmarshal([]byte(metaRaw), &meta); err != nil {
		t.Fatalf("private_metadata %q: %v", metaRaw, err)
	}
	want := formMeta{Form: form.ID, Value: form.Value, Direct: true}
	if opened[0].JSON["trigger_id"] != "trg-1" || meta != want {
		t.Errorf("modal opened with trigger %v and metadata %+v; want trg-1 and %+v", opened[0].JSON["trigger_id"], meta, want)
	}
	raw := string(opened[0].Raw)
	for _, s := range []string{`"block_id":"answer"`, form.Intro, form.Title} {
		if !strings.Contains(raw, s) {
			t.Errorf("modal view lacks %s: %s", s, raw)
		}
	}

	c.Advance(formTTL + time.Second)
	expired := newStateAdapter(t, f, st, c.Now)
	if got := pressOpenForm(t, expired, "D7", key, "trg-2"); len(got) != 1 || got[0].Action.ID != actionOpenForm {
		t.Errorf("press after the form expired: dispatched %d messages; want the open-form action, for the router to call it stale", len(got))
	}
	if n := len(f.CallsOf("views.open")); n != 1 {
		t.Errorf("views.open calls after pressing an expired form: got %d, want still 1", n)
	}
}

// brokenState is a StateStore whose every call fails, recording the
// calls.
type brokenState struct {
	mu          sync.Mutex
	puts, reads int
}

func (b *brokenState) PutAdapterState(platform, key string, value []byte, expires time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.puts++
	return errors.New("disk full")
}

func (b *brokenState) AdapterState(platform, key string) ([]byte, bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reads++
	return nil, false, errors.New("disk gone")
}

// TestPostedFormStateFails: a StateStore that fails leaves the form in
// memory, so its button works until a restart; values that are not form
// keys are never looked up.
func TestPostedFormStateFails(t *testing.T) {
	f := slackfake.New(t)
	st := &brokenState{}
	a := newStateAdapter(t, f, st, time.Now)
	if _, err := a.Send(context.Background(), bot.Address{Platform: bot.PlatformSlack, Workspace: slackfake.Team, User: "U7"}, bot.Reply{Form: &answerForm}); err != nil {
		t.Fatalf("Send with a failing StateStore: %v", err)
	}
	key := formKeyOf(t, f.CallsOf("chat.postMessage")[0])
	if got := pressOpenForm(t, a, "D7", key, "trg-1"); len(got) != 0 || len(f.CallsOf("views.open")) != 1 {
		t.Errorf("press: dispatched %d, %d views.open; want the modal opened from memory", len(got), len(f.CallsOf("views.open")))
	}
	pressOpenForm(t, a, "D7", "not-a-form-key", "trg-2")
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.puts != 1 || st.reads != 0 {
		t.Errorf("StateStore calls: got %d puts, %d reads; want 1 put (the form) and no read", st.puts, st.reads)
	}
}
