package slack

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/slack/slackfake"
)

// checkRendered renders text as the adapter would post it and fails if a
// mass mention could survive: every "<" left is a user mention or a
// channel reference.
func checkRendered(t *testing.T, text string) {
	t.Helper()
	out := mrkdwn(text)
	for i := strings.IndexByte(out, '<'); i >= 0; i = next(out, i) {
		if rest := out[i+1:]; !strings.HasPrefix(rest, "@") && !strings.HasPrefix(rest, "#") {
			t.Fatalf("mrkdwn(%q) = %q: a raw < that is no mention", text, out)
		}
	}
	if strings.Contains(strings.ToLower(out), "<!") {
		t.Fatalf("mrkdwn(%q) = %q: a special mention survived", text, out)
	}
	if _, err := json.Marshal(blocks(bot.Reply{Title: text, Text: text, Fields: []bot.Field{{Label: text, Value: text}}}, "")); err != nil {
		t.Fatalf("blocks of %q do not encode: %v", text, err)
	}
}

func next(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '<')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// FuzzEventsAPI decodes Events API payloads (as Socket Mode and HTTP mode
// both do) and checks the message the handlers would get.
func FuzzEventsAPI(f *testing.F) {
	f.Add([]byte(`{"type":"event_callback","team_id":"T1","event_id":"Ev1","event":{"type":"message","user":"U1","channel":"C1","channel_type":"channel","ts":"1700000000.000100","text":"キャリアパスに悩んでいます &lt;@UBOT&gt; <!here> <@U2|佐藤>"}}`))
	f.Add([]byte(`{"type":"event_callback","team_id":"T1","event_id":"Ev2","event":{"type":"app_mention","user":"U1","channel":"C1","ts":"1.2","thread_ts":"1.1","text":"<@UBOT>、相談 --anon 上司との関係"}}`))
	f.Add([]byte(`{"type":"event_callback","event_id":"Ev3","event":{"type":"reaction_added","user":"U1","reaction":"bookmark","item":{"type":"message","channel":"C1","ts":"1.1"}}}`))
	f.Add([]byte(`{"type":"event_callback","event_id":"Ev4","event":{"type":"app_home_opened","user":"U1","channel":"D1","tab":"home"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := slackevents.ParseEvent(data, slackevents.OptionNoVerifyToken())
		if err != nil {
			return
		}
		m, o, ok := testDecoder.event(ev)
		if !ok {
			return
		}
		if m.ID == "" || m.Address.Platform != bot.PlatformSlack || m.User.ID == "" || m.User.ID != o.user || m.User.ID == slackfake.BotUser {
			t.Fatalf("bad message %+v from %q", m, data)
		}
		if m.Kind == bot.KindPost && (strings.TrimSpace(m.Text) == "" || !utf8.ValidString(m.Text)) {
			t.Fatalf("post with empty or invalid text %q", m.Text)
		}
		if slices.Contains(m.Mentions, slackfake.BotUser) {
			t.Fatalf("the bot is among the mentions %v", m.Mentions)
		}
		if m.Address.Thread != "" && m.Kind == bot.KindPost && m.Address.Thread == o.source {
			t.Fatalf("a post is its own thread root: %+v", m.Address)
		}
		checkRendered(t, m.Text)
	})
}

// FuzzSlashCommand decodes slash command forms (HTTP mode) and checks the
// command the router would get.
func FuzzSlashCommand(f *testing.F) {
	f.Add("command=%2Fsoudan&text=ask+--anon+%E3%82%AD%E3%83%A3%E3%83%AA%E3%82%A2+%E7%95%B0%E5%8B%95&user_id=U1&channel_id=C1&team_id=T1&trigger_id=1.2.3")
	f.Add("command=/soudan&text=admin%E3%80%80topic%20map%20<%23C1|career>%20キャリア&user_id=U1&channel_id=D1&channel_name=directmessage")
	f.Add("command=/soudan&text=<@UBOT>+ヘルプ&user_id=U1")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		m, o := testDecoder.command(slashCommand(form))
		if m.Kind != bot.KindCommand || m.Address.Platform != bot.PlatformSlack || o.trigger != form.Get("trigger_id") {
			t.Fatalf("bad command %+v", m)
		}
		if got, want := strings.Join(m.Args, " "), strings.Join(bot.Fields(m.ArgText), " "); got != want {
			t.Fatalf("args %q do not split the arg text %q", m.Args, m.ArgText)
		}
		if (m.ID == "") != (form.Get("trigger_id") == "") {
			t.Fatalf("id %q for trigger %q", m.ID, form.Get("trigger_id"))
		}
		if slices.Contains(m.Mentions, slackfake.BotUser) {
			t.Fatalf("the bot is among the mentions %v", m.Mentions)
		}
		checkRendered(t, m.ArgText)
	})
}

// FuzzInteraction decodes interaction payloads (button presses, modal
// submissions) and checks what the handlers would get, and that a form's
// errors answer only its own inputs.
func FuzzInteraction(f *testing.F) {
	v, _ := modal(everyInput, origin{channel: "C1", thread: "1.1"})
	view, _ := json.Marshal(map[string]any{"type": "view_submission", "trigger_id": "t1", "user": map[string]any{"id": "U1"},
		"view": map[string]any{"callback_id": modalCallback, "private_metadata": v.PrivateMetadata,
			"state": map[string]any{"values": map[string]any{"comment": slackfake.TextValue("よろしくお願いします"), "topics": slackfake.MultiValue("1", "soudan.none"), "posting": slackfake.RadioValue("hq")}}}})
	f.Add(view)
	f.Add([]byte(`{"type":"block_actions","trigger_id":"t2","user":{"id":"U1"},"container":{"type":"message","channel_id":"C1","message_ts":"1.2","thread_ts":"1.1"},"actions":[{"block_id":"b","action_id":"consult.take","value":"12"}]}`))
	f.Add([]byte(`{"type":"block_actions","user":{"id":"U1"},"container":{"type":"view"},"view":{"type":"home"},"actions":[{"block_id":"b","action_id":"soudan.url.0"},{"block_id":"b","action_id":"home.ask"}]}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		var ic slack.InteractionCallback
		if err := json.Unmarshal(payload, &ic); err != nil {
			return
		}
		if m, o, ok := testDecoder.action(ic); ok {
			if m.Kind != bot.KindAction || strings.HasPrefix(m.Action.ID, actionURLPrefix) || m.User.ID == "" || (o.channel == "" && !o.direct) {
				t.Fatalf("bad action %+v origin %+v", m, o)
			}
		}
		if m, _, ok := testDecoder.submission(ic); ok {
			if m.Kind != bot.KindFormSubmit || m.Action.ID == "" || m.Form == nil {
				t.Fatalf("bad submission %+v", m)
			}
			for name, value := range m.Form {
				if strings.Contains(value, emptyOption) {
					t.Fatalf("input %s kept the empty-option marker: %q", name, value)
				}
			}
			inputs := []bot.Input{}
			errs := map[string]string{}
			for name := range m.Form {
				inputs = append(inputs, bot.Input{Name: name})
				errs[name+"x"] = "エラー <!channel>"
			}
			for name, msg := range viewErrors(bot.Form{Inputs: inputs, Errors: errs}) {
				if !slices.ContainsFunc(inputs, func(in bot.Input) bool { return in.Name == name }) || strings.Contains(msg, "<!") {
					t.Fatalf("error %q: %q for a form with inputs %v", name, msg, inputs)
				}
			}
		}
	})
}
