package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/slack/slackfake"
	"github.com/soudan/soudan/store"
)

// buttonValue finds the value of the button with actionID in a Slack
// call's blocks (form- or JSON-encoded).
func buttonValue(t *testing.T, c slackfake.Call, actionID string) string {
	t.Helper()
	var walk func(v any) string
	walk = func(v any) string {
		switch x := v.(type) {
		case map[string]any:
			if x["action_id"] == actionID {
				if s, ok := x["value"].(string); ok {
					return s
				}
			}
			for _, e := range x {
				if s := walk(e); s != "" {
					return s
				}
			}
		case []any:
			for _, e := range x {
				if s := walk(e); s != "" {
					return s
				}
			}
		}
		return ""
	}
	var v any = c.JSON
	if blocks := c.Form.Get("blocks"); blocks != "" {
		if err := json.Unmarshal([]byte(blocks), &v); err != nil {
			t.Fatal(err)
		}
	}
	s := walk(v)
	if s == "" {
		t.Fatalf("no %s button in %s", actionID, c.Raw)
	}
	return s
}

// selectValue is a static_select state value of a view submission.
func selectValue(v string) map[string]any {
	return map[string]any{"v": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": v}}}
}

// TestSocketModeSurvey sends the engagement survey over Slack Socket Mode
// envelopes: the admin confirms the audience, the prompt reaches 田中 by
// DM with a button, the button opens a modal (0-10 as a menu, 1-5 as
// radio buttons), a bad submission is answered with errors in the ack, a
// good one is stored, and closing the round sends its reports.
func TestSocketModeSurvey(t *testing.T) {
	t.Parallel()
	f, b := startSlackBot(t, "-admins", "slack:"+slackAdmin)
	f.AddUser(slackAdmin, "管理者", "ja-JP", "Asia/Tokyo")
	f.AddUser(slackTanaka, "田中", "ja-JP", "Asia/Tokyo")
	f.Command(slackTanaka, "DTANAKA", "help", "trg-0")
	f.WaitPostTo("DTANAKA", "/soudan ask")

	f.Command(slackAdmin, "DADMIN", "アンケート 送信 engagement 全員", "trg-1")
	confirm := f.WaitPostTo("DADMIN", "送信しますか")
	if !strings.Contains(slackfake.AllText(confirm), "2人") {
		t.Errorf("confirmation = %s, want 2 people", slackfake.AllText(confirm))
	}
	f.Press(slackAdmin, "DADMIN", confirm.TS, "survey.send", buttonValue(t, confirm, "survey.send"), "trg-2")
	prompt := f.WaitPostTo("DTANAKA", "アンケートのお願い")
	round := buttonValue(t, prompt, "survey.answer")

	f.Press(slackTanaka, "DTANAKA", prompt.TS, "survey.answer", round, "trg-3")
	view := f.WaitCalls("views.open", 1)[0].JSON["view"].(map[string]any)
	raw, _ := json.Marshal(view)
	if !strings.Contains(string(raw), "匿名") || !strings.Contains(string(raw), "static_select") || !strings.Contains(string(raw), "radio_buttons") {
		t.Errorf("the survey modal = %s, want the anonymity notice, a menu and radio buttons", raw)
	}
	values := map[string]any{
		"recommend": selectValue("11"), "meaning": slackfake.RadioValue("4"), "growth": slackfake.RadioValue("4"),
		"support": slackfake.RadioValue("5"), "health": slackfake.RadioValue("3"), "ease": slackfake.RadioValue("4"),
		"comment": slackfake.TextValue("<!channel> 良い職場です"),
	}
	if ack := f.Submit(slackTanaka, view, values, "trg-4"); ack["response_action"] != "errors" {
		t.Fatalf("ack of an out-of-range answer = %v, want errors", ack)
	}
	values["recommend"] = selectValue("8")
	if ack := f.Submit(slackTanaka, view, values, "trg-5"); ack != nil {
		t.Fatalf("ack of a good answer = %v, want none (the modal closes)", ack)
	}
	waitUntil(t, "the answer stored", func() bool {
		var rs []store.SurveyRound
		err := b.st().View(func(tx *store.Tx) (err error) { rs, err = tx.Surveys().Rounds("engagement"); return err })
		return err == nil && len(rs) == 1 && rs[0].Responded == 1
	})

	f.Command(slackAdmin, "DADMIN", "survey close engagement", "trg-6")
	f.WaitPostTo("DADMIN", "締め切りました")
}
