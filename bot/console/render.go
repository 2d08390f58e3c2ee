package console

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
)

// mentionToken matches the neutral mention token <@ID>.
var mentionToken = regexp.MustCompile(`<@([^<>]+)>`)

// plain renders mention tokens as "@NAME": in the console a user's id is
// their name.
func plain(s string) string { return mentionToken.ReplaceAllString(s, "@$1") }

// block formats one printed message: the header line, then the body with
// every line (blank ones too) indented by two spaces, so that a script can
// tell a block's lines from the next header.
func block(header string, body []string) string {
	var b strings.Builder
	b.WriteString(header)
	b.WriteByte('\n')
	for _, part := range body {
		for line := range strings.SplitSeq(part, "\n") {
			b.WriteString("  ")
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// body renders a reply as the lines of a block: title, text, fields, image,
// buttons, form.
func body(r bot.Reply) []string {
	var out []string
	if r.Title != "" {
		out = append(out, "■ "+plain(r.Title))
	}
	if r.Text != "" {
		out = append(out, plain(r.Text))
	}
	for _, f := range r.Fields {
		out = append(out, "・"+plain(f.Label)+": "+indentRest(plain(f.Value), "  "))
	}
	if r.Image != "" {
		out = append(out, "🖼 "+r.Image)
	}
	if len(r.Buttons) > 0 {
		out = append(out, buttons(r.Buttons))
	}
	if r.Form != nil {
		out = append(out, form(*r.Form)...)
	}
	return out
}

// buttons renders numbered buttons on one line: "[1] 引き受ける  [2] 開く <url>".
func buttons(bs []bot.Button) string {
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = "[" + strconv.Itoa(i+1) + "] " + oneLine(plain(b.Label))
		if b.URL != "" {
			parts[i] += " <" + b.URL + ">"
		}
	}
	return strings.Join(parts, "  ")
}

// form renders a form: a title line saying how to submit it, the intro,
// one line per input and the errors of a rejected submission.
func form(f bot.Form) []string {
	title := f.Title
	if title == "" {
		title = f.ID
	}
	out := []string{"📝 " + oneLine(plain(title)) + "  (:submit name=value ...)"}
	if f.Intro != "" {
		out = append(out, indentAll(plain(f.Intro), "  "))
	}
	for _, in := range f.Inputs {
		out = append(out, "  "+input(in))
	}
	for _, name := range errorNames(f) {
		out = append(out, "  ! "+name+": "+oneLine(plain(f.Errors[name])))
	}
	return out
}

// input renders one input: "name* (kind): Label — hint = value".
func input(in bot.Input) string {
	s := in.Name
	if in.Required {
		s += "*"
	}
	s += " (" + kindOf(in) + ")"
	if in.Label != "" {
		s += ": " + oneLine(plain(in.Label))
	}
	hint := in.Hint
	if hint == "" {
		hint = in.Placeholder
	}
	if hint != "" {
		s += " — " + oneLine(plain(hint))
	}
	if in.Value != "" {
		s += " = " + oneLine(in.Value)
	}
	return s
}

// kindOf describes an input's kind with its options or limits:
// "select: a=A, b=B", "scale 0-10", "textarea, max 2000".
func kindOf(in bot.Input) string {
	k := string(in.Kind)
	if k == "" {
		k = string(bot.InputText)
	}
	switch {
	case in.Kind == bot.InputScale:
		k += " " + strconv.Itoa(in.Min) + "-" + strconv.Itoa(in.Max)
	case len(in.Options) > 0:
		opts := make([]string, len(in.Options))
		for i, o := range in.Options {
			opts[i] = o.Value + "=" + oneLine(plain(o.Label))
		}
		k += ": " + strings.Join(opts, ", ")
	case in.MaxLen > 0:
		k += ", max " + strconv.Itoa(in.MaxLen)
	}
	return k
}

// errorNames orders a form's errors: inputs first, in form order, then any
// other names sorted.
func errorNames(f bot.Form) []string {
	var names, rest []string
	for _, in := range f.Inputs {
		if _, ok := f.Errors[in.Name]; ok && !slices.Contains(names, in.Name) {
			names = append(names, in.Name)
		}
	}
	for name := range f.Errors {
		if !slices.Contains(names, name) {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	return append(names, rest...)
}

// oneLine joins the lines of s with spaces, for text that must stay on
// its line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\r", "")), " ")
}

// indentRest indents every line of s after the first.
func indentRest(s, indent string) string {
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}

// indentAll indents every line of s.
func indentAll(s, indent string) string { return indent + indentRest(s, indent) }
