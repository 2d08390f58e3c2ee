package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/teams/teamsfake"
	"github.com/soudan/soudan/store"
)

// buttonData finds the data of the card button with actionID in the
// cards posted to conv.
func (c *teamsEnv) buttonData(conv, actionID string) map[string]any {
	c.t.Helper()
	cards := c.cardsTo(conv, 0)
	for i := len(cards) - 1; i >= 0; i-- {
		var act struct {
			Attachments []struct {
				Content struct {
					Actions []map[string]any `json:"actions"`
				} `json:"content"`
			} `json:"attachments"`
		}
		_ = json.Unmarshal([]byte(cards[i]), &act)
		for _, at := range act.Attachments {
			for _, a := range at.Content.Actions {
				if data, _ := a["data"].(map[string]any); data["soudan_action"] == actionID {
					return data
				}
			}
		}
	}
	c.t.Fatalf("no %s button in the cards to %s", actionID, conv)
	return nil
}

// as makes an invoke activity come from user in their DM.
func as(act map[string]any, user, name string) map[string]any {
	act["from"] = teamsfake.From(user, name)
	act["conversation"].(map[string]any)["id"] = "a:dm-" + user
	return act
}

// TestSurveyOverTeams sends the engagement survey over Teams: the
// admin's confirmation card, the prompt card in a DM the bot creates, the
// answer form as an Adaptive Card (0-10 and 1-5 as choice sets) submitted
// with Action.Execute, a bad value refused, and the answer stored.
func TestSurveyOverTeams(t *testing.T) {
	t.Parallel()
	c := startTeamsBot(t)
	bf := c.bf
	c.send(bf.DMActivity("e1", "29:tanaka", "田中", "help"))
	c.send(bf.DMActivity("e2", "29:admin", "管理者", "survey send engagement 全員"))
	send := c.buttonData("a:dm-29:admin", "survey.send")
	c.send(as(bf.ExecuteActivity("e3", "m-confirm", "survey.send", send), "29:admin", "管理者"))
	answer := c.buttonData("a:dm-29:tanaka", "survey.answer")

	c.send(as(bf.ExecuteActivity("e4", "m-prompt", "survey.answer", answer), "29:tanaka", "田中"))
	cards := strings.Join(c.cardsTo("a:dm-29:tanaka", 0), "\n")
	if !strings.Contains(cards, "Input.ChoiceSet") || !strings.Contains(cards, "匿名") {
		t.Fatalf("the answer form card: %s", cards)
	}
	values := map[string]string{"recommend": "12", "meaning": "4", "growth": "4", "support": "5", "health": "3", "ease": "4", "comment": "良い職場です"}
	c.send(as(bf.ExecuteActivity("e5", "m-form", "survey.answer", c.formData("a:dm-29:tanaka", values, nil)), "29:tanaka", "田中"))
	responded := func() int {
		var rs []store.SurveyRound
		if err := c.b.st().View(func(tx *store.Tx) (err error) { rs, err = tx.Surveys().Rounds("engagement"); return err }); err != nil || len(rs) != 1 {
			t.Fatalf("rounds: %v, %v", rs, err)
		}
		return rs[0].Responded
	}
	if n := responded(); n != 0 {
		t.Fatalf("an answer of 12 on a 0-10 item was stored")
	}
	values["recommend"] = "8"
	c.send(as(bf.ExecuteActivity("e6", "m-form", "survey.answer", c.formData("a:dm-29:tanaka", values, nil)), "29:tanaka", "田中"))
	if n := responded(); n != 1 {
		t.Fatalf("responded = %d after a good answer, want 1 (calls %v)", n, bf.Calls())
	}
}
