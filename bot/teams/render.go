package teams

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/infracloudio/msbotbuilder-go/schema"
	"github.com/soudan/soudan/bot"
)

// render renders r as a card for the conversation of ref, looking up the
// names of mentioned users the adapter has not seen among its members.
func (a *Adapter) render(ctx context.Context, ref schema.ConversationReference, r bot.Reply) card {
	for _, id := range mentionedIDs(r) {
		if u, ok := a.refs.userAccount(id); ok && u.Name != "" {
			continue
		}
		a.lookupName(ctx, ref, id)
	}
	return renderer{nameOf: a.nameOf}.card(r)
}

// lookupName asks the connector for a member's name, briefly and once.
func (a *Adapter) lookupName(ctx context.Context, ref schema.ConversationReference, id string) {
	if ref.ServiceURL == "" || ref.Conversation.ID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	c := *a.conn
	c.retry.Attempts = 1
	m, err := c.getMember(ctx, ref.ServiceURL, ref.Conversation.ID, id)
	if err != nil {
		a.log.Debug("teams: look up a mentioned user's name", "err", err)
		return
	}
	a.refs.rememberUser(schema.ChannelAccount{ID: id, Name: m.Name, AadObjectID: m.AADObjectID})
}

// nameOf is a user's display name, or a neutral label when unknown.
func (a *Adapter) nameOf(id string) string {
	if u, ok := a.refs.userAccount(id); ok && u.Name != "" {
		return u.Name
	}
	return "user"
}

// mentionedIDs lists the user ids of r's mention tokens.
func mentionedIDs(r bot.Reply) []string {
	var ids []string
	texts := []string{r.Title, r.Text}
	for _, f := range r.Fields {
		texts = append(texts, f.Value)
	}
	if r.Form != nil {
		texts = append(texts, r.Form.Title, r.Form.Intro)
	}
	for _, t := range texts {
		for _, m := range mentionToken.FindAllStringSubmatch(t, -1) {
			ids = append(ids, m[1])
		}
	}
	return ids
}

// cardActivity is a message activity carrying one card.
func cardActivity(c card) *outActivity {
	return &outActivity{Type: typeMessage, Attachments: []schema.Attachment{attachment(c)}}
}

// summary is the plain text Teams shows in notifications for a card: the
// title, else the text's first line, without mention tokens, at most 120
// characters.
func summary(r bot.Reply) string {
	s := r.Title
	if s == "" {
		s, _, _ = strings.Cut(strings.TrimSpace(r.Text), "\n")
	}
	if s == "" && r.Form != nil {
		s = r.Form.Title
	}
	s = bot.Neutralize(mentionToken.ReplaceAllString(s, "@"))
	if utf8.RuneCountInString(s) > 120 {
		s = string([]rune(s)[:119]) + "…"
	}
	return s
}
