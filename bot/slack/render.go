package slack

import (
	"strconv"
	"strings"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
)

// Block Kit limits (https://docs.slack.dev/reference/block-kit).
const (
	maxHeader      = 150  // header text
	maxSectionText = 3000 // section text
	maxFieldValue  = 1000 // one section field's value, before escaping (the field holds 2000)
	maxFields      = 10   // fields per section
	maxButtonText  = 75   // button label
	maxButtonValue = 2000 // button value
	maxActionID    = 255
	maxActions     = 25 // elements per actions block
	maxBlocks      = 50 // blocks per message
	maxFallback    = 3000
)

// Action ids the adapter handles itself, never dispatched as they are.
const (
	// actionOpenForm is the button that opens a form posted as a message;
	// its value is the key of the form in the adapter's form store.
	actionOpenForm = "soudan.form.open"
	// actionURLPrefix starts the action id of a link button: Slack reports
	// its clicks too, and they need nothing but an ack.
	actionURLPrefix = "soudan.url."
)

// blocks renders r as Block Kit: the title as a header, the text as
// sections, the fields, an image, and the buttons. A form in r becomes its
// intro and a button (formKey) that opens it as a modal.
func blocks(r bot.Reply, formKey string) []slack.Block {
	var out []slack.Block
	if t := strings.TrimSpace(r.Title); t != "" {
		out = append(out, slack.NewHeaderBlock(plainObj(truncate(oneLine(t), maxHeader))))
	}
	for _, chunk := range split(mrkdwn(r.Text), maxSectionText) {
		out = append(out, slack.NewSectionBlock(mdObj(chunk), nil, nil))
	}
	for i := 0; i < len(r.Fields); i += maxFields {
		var fs []*slack.TextBlockObject
		for _, f := range r.Fields[i:min(i+maxFields, len(r.Fields))] {
			fs = append(fs, mdObj("*"+mrkdwn(truncate(oneLine(f.Label), 100))+"*\n"+mrkdwn(truncate(f.Value, maxFieldValue))))
		}
		out = append(out, slack.NewSectionBlock(nil, fs, nil))
	}
	if r.Image != "" {
		alt := truncate(oneLine(r.Title+" "+r.Text), 2000)
		if alt == "" {
			alt = "image"
		}
		out = append(out, slack.NewImageBlock(r.Image, alt, "", nil))
	}
	buttons := r.Buttons
	if r.Form != nil {
		f := r.Form
		if intro := formIntro(*f); intro != "" {
			out = append(out, slack.NewSectionBlock(mdObj(head(mrkdwn(intro), maxSectionText)), nil, nil))
		}
		label := f.Title
		if label == "" {
			label = f.Submit
		}
		buttons = append([]bot.Button{{ID: actionOpenForm, Label: "📝 " + label, Value: formKey, Style: bot.StylePrimary}}, buttons...)
	}
	out = append(out, actionBlocks(buttons)...)
	if len(out) > maxBlocks {
		out = out[:maxBlocks]
	}
	return out
}

// formIntro is the text shown with a form posted as a message: its intro,
// and the errors of a rejected submission.
func formIntro(f bot.Form) string {
	var b strings.Builder
	b.WriteString(f.Intro)
	for _, in := range f.Inputs {
		if e, ok := f.Errors[in.Name]; ok {
			b.WriteString("\n⚠️ " + in.Label + ": " + e)
		}
	}
	return strings.TrimSpace(b.String())
}

// actionBlocks renders buttons as actions blocks. A block holds at most
// maxActions buttons with distinct action ids, so a repeated id (two
// "take" buttons with different values) starts a new block.
func actionBlocks(buttons []bot.Button) []slack.Block {
	var out []slack.Block
	var elems []slack.BlockElement
	ids := map[string]bool{}
	flush := func() {
		if len(elems) > 0 {
			out = append(out, slack.NewActionBlock("", elems...))
		}
		elems, ids = nil, map[string]bool{}
	}
	for i, b := range buttons {
		id := b.ID
		if b.URL != "" {
			id = actionURLPrefix + strconv.Itoa(i)
		}
		id = truncateBytes(id, maxActionID)
		if ids[id] || len(elems) == maxActions {
			flush()
		}
		ids[id] = true
		el := slack.NewButtonBlockElement(id, truncateBytes(b.Value, maxButtonValue), plainObj(truncate(oneLine(b.Label), maxButtonText)))
		if b.URL != "" {
			el = el.WithURL(b.URL)
			el.Value = ""
		}
		switch b.Style {
		case bot.StylePrimary:
			el = el.WithStyle(slack.StylePrimary)
		case bot.StyleDanger:
			el = el.WithStyle(slack.StyleDanger)
		}
		elems = append(elems, el)
	}
	flush()
	return out
}

// fallback is the message's plain text, shown in notifications and by
// clients that cannot show blocks.
func fallback(r bot.Reply) string {
	parts := []string{}
	for _, s := range []string{r.Title, r.Text} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 && r.Form != nil {
		parts = append(parts, r.Form.Title)
	}
	if len(parts) == 0 && len(r.Fields) > 0 {
		parts = append(parts, r.Fields[0].Label+": "+r.Fields[0].Value)
	}
	return head(mrkdwn(strings.Join(parts, "\n")), maxFallback)
}

func plainObj(s string) *slack.TextBlockObject {
	if s == "" {
		s = " "
	}
	return slack.NewTextBlockObject(slack.PlainTextType, plain(s), true, false)
}

func mdObj(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

// split cuts s into pieces of at most n bytes, at line breaks where it can
// and never inside a character or an escape such as "&amp;".
func split(s string, n int) []string {
	s = strings.TrimSpace(s)
	var out []string
	for len(s) > n {
		cut := strings.LastIndexByte(s[:n], '\n')
		if cut <= 0 {
			cut = safeCut(s, n)
		}
		out = append(out, s[:cut])
		s = strings.TrimLeft(s[cut:], "\n")
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// head returns the first piece of split(s, n), or "".
func head(s string, n int) string {
	if p := split(s, n); len(p) > 0 {
		return p[0]
	}
	return ""
}

// safeCut returns a cut point at most n into s that splits neither a UTF-8
// character nor an entity or a <…> token.
func safeCut(s string, n int) int {
	cut := n
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	if amp := strings.LastIndexByte(s[:cut], '&'); amp >= 0 && amp > strings.LastIndexByte(s[:cut], ';') && cut-amp < 6 {
		cut = amp
	}
	if lt := strings.LastIndexByte(s[:cut], '<'); lt >= 0 && lt > strings.LastIndexByte(s[:cut], '>') && cut-lt < 40 {
		cut = lt
	}
	if cut == 0 {
		cut = n
		for cut < len(s) && !isRuneStart(s[cut]) {
			cut++
		}
	}
	return cut
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// truncate shortens s to at most n characters, ending in "…" when cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// truncateBytes shortens s to at most n bytes without splitting a
// character.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// oneLine joins the lines of s with spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
