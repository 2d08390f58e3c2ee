package teams

import (
	"regexp"
	"strings"

	"github.com/infracloudio/msbotbuilder-go/schema"
	"github.com/soudan/soudan/bot"
)

// cardContentType is the attachment content type of an Adaptive Card.
const cardContentType = "application/vnd.microsoft.card.adaptive"

// Keys of a card action's data: which button or form, and its context
// value. Inputs are merged into the same object under their own names.
const (
	dataAction = "soudan_action"
	dataForm   = "soudan_form"
	dataValue  = "soudan_value"
)

// card is an Adaptive Card as JSON-ready maps.
type card = map[string]any

// renderer turns neutral replies into Adaptive Cards. nameOf gives the
// display name of a user id, for mentions.
type renderer struct {
	nameOf func(id string) string
}

// card renders r as an Adaptive Card: a bold title, the text with its
// mentions, the fields as a FactSet, an image, the form's inputs and the
// buttons as actions.
func (rd renderer) card(r bot.Reply) card {
	var body []any
	var mentions []any
	if r.Title != "" {
		tb, ms := rd.textBlock(r.Title)
		tb["weight"], tb["size"] = "Bolder", "Medium"
		body, mentions = append(body, tb), append(mentions, ms...)
	}
	if strings.TrimSpace(r.Text) != "" {
		tb, ms := rd.textBlock(r.Text)
		body, mentions = append(body, tb), append(mentions, ms...)
	}
	if len(r.Fields) > 0 {
		facts := make([]any, 0, len(r.Fields))
		for _, f := range r.Fields {
			value, ms := rd.markdown(f.Value)
			mentions = append(mentions, ms...)
			facts = append(facts, map[string]any{"title": escapeMarkdown(bot.Neutralize(f.Label)), "value": value})
		}
		body = append(body, map[string]any{"type": "FactSet", "facts": facts})
	}
	if r.Image != "" && safeURL(r.Image) {
		body = append(body, map[string]any{"type": "Image", "url": r.Image, "size": "Large"})
	}
	var actions []any
	if r.Form != nil {
		fb, fa, ms := rd.form(*r.Form)
		body, actions, mentions = append(body, fb...), append(actions, fa...), append(mentions, ms...)
	}
	for _, b := range r.Buttons {
		actions = append(actions, button(b))
	}
	c := card{
		"type":    "AdaptiveCard",
		"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
		"version": "1.5",
		"body":    body,
	}
	if len(body) == 0 {
		c["body"] = []any{map[string]any{"type": "TextBlock", "text": " "}}
	}
	if len(actions) > 0 {
		c["actions"] = actions
	}
	teams := map[string]any{"width": "Full"}
	if len(mentions) > 0 {
		teams["entities"] = dedupeMentions(mentions)
	}
	c["msteams"] = teams
	return c
}

// attachment wraps a card for an activity.
func attachment(c card) schema.Attachment {
	return schema.Attachment{ContentType: cardContentType, Content: c}
}

// textBlock is a wrapping TextBlock of neutral text.
func (rd renderer) textBlock(s string) (map[string]any, []any) {
	text, ms := rd.markdown(s)
	return map[string]any{"type": "TextBlock", "text": text, "wrap": true}, ms
}

// mentionToken matches a neutral mention, <@ID>.
var mentionToken = regexp.MustCompile(`<@([^<>\s]+)>`)

// markdown renders neutral text for a card: mass mentions neutralised,
// Markdown escaped, and each <@ID> as "<at>Name</at>" with the mention
// entity Teams needs to make it a real mention.
func (rd renderer) markdown(s string) (string, []any) {
	s = bot.Neutralize(s)
	var b strings.Builder
	var ms []any
	last := 0
	for _, loc := range mentionToken.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(escapeMarkdown(s[last:loc[0]]))
		id := s[loc[2]:loc[3]]
		name := rd.nameOf(id)
		at := "<at>" + escapeMarkdown(name) + "</at>"
		b.WriteString(at)
		ms = append(ms, map[string]any{"type": "mention", "text": at, "mentioned": map[string]any{"id": id, "name": name}})
		last = loc[1]
	}
	b.WriteString(escapeMarkdown(s[last:]))
	return b.String(), ms
}

// atTagOpen matches the start of an <at> or </at> tag.
var atTagOpen = regexp.MustCompile(`(?i)<(/?at)`)

// escapeMarkdown defuses what user text could turn into more than text in
// a card: an <at> tag (a mention Teams would render) and a Markdown link
// whose words hide its address. A zero-width space breaks them without a
// visible mark; backslash escapes are avoided because not every Teams
// client honours them. Other Markdown (bold, lists) renders as typed.
func escapeMarkdown(s string) string {
	s = atTagOpen.ReplaceAllString(s, "<\u200b$1")
	return strings.ReplaceAll(s, "](", "]\u200b(")
}

// dedupeMentions keeps one entity per mention text: Teams rejects
// duplicates.
func dedupeMentions(ms []any) []any {
	seen := map[string]bool{}
	out := ms[:0]
	for _, m := range ms {
		t, _ := m.(map[string]any)["text"].(string)
		if !seen[t] {
			seen[t] = true
			out = append(out, m)
		}
	}
	return out
}

// button renders a button: a link opens its URL, any other is an
// Action.Execute whose data names the button and carries its value.
func button(b bot.Button) map[string]any {
	title := bot.Neutralize(b.Label)
	if b.URL != "" && safeURL(b.URL) {
		return map[string]any{"type": "Action.OpenUrl", "title": title, "url": b.URL}
	}
	a := map[string]any{
		"type":  "Action.Execute",
		"title": title,
		"verb":  b.ID,
		"data":  map[string]any{dataAction: b.ID, dataValue: b.Value},
	}
	switch b.Style {
	case bot.StylePrimary:
		a["style"] = "positive"
	case bot.StyleDanger:
		a["style"] = "destructive"
	}
	return a
}

// safeURL accepts only http and https links.
func safeURL(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}
