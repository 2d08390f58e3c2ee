package teams

import (
	"encoding/json"
	"strings"

	"github.com/soudan/soudan/bot"
)

// invokeMessageAction is the invoke of a message action (a messaging
// extension command with context "message", chosen from a message's "…"
// menu) once its dialog is submitted.
const invokeMessageAction = "composeExtension/submitAction"

// messageActionValue is what a message action's invoke carries: the
// command and the message it was chosen on.
type messageActionValue struct {
	CommandID      string `json:"commandId"`
	CommandContext string `json:"commandContext"`
	MessagePayload struct {
		ID   string `json:"id"`
		Body struct {
			ContentType string `json:"contentType"`
			Content     string `json:"content"`
		} `json:"body"`
	} `json:"messagePayload"`
}

// messageAction turns a message action into the Teams counterpart of a
// reaction: a KindReaction named after the command (the manifest's
// "books" command is Slack's :books:), on the message (Action.Value its
// id, Text its plain text). Other invokes of the kind are not ours.
func (a *Adapter) messageAction(act *activity) (*bot.Message, *turn, bool) {
	var v messageActionValue
	if err := json.Unmarshal(act.Value, &v); err != nil || v.CommandContext != "message" || v.CommandID == "" || v.MessagePayload.ID == "" {
		return nil, nil, false
	}
	m, t := a.base(act, v.MessagePayload.ID)
	m.Kind = bot.KindReaction
	m.Reaction = v.CommandID
	m.Action = bot.Action{Value: v.MessagePayload.ID}
	text := v.MessagePayload.Body.Content
	if !strings.EqualFold(v.MessagePayload.Body.ContentType, "text") {
		text = plain(text)
	}
	m.Text = strings.TrimSpace(collapseBlankLines(strings.ReplaceAll(text, "\u00a0", " ")))
	return m, t, true
}
