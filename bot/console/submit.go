package console

import (
	"strings"

	"github.com/google/shlex"
	"github.com/soudan/soudan/bot"
	"golang.org/x/text/unicode/norm"
)

// submitLine runs ":submit name=value ...": it submits the last form the
// current user sees (see lastLocked) and returns the submission to
// dispatch. Arguments are split like a shell's, so `answer="長い 回答"`
// is one value.
func (a *Adapter) submitLine(rest string) (*bot.Message, *turn, *notice) {
	u := a.current
	sh := a.lastLocked(u, func(m *shown) bool { return m.form != nil })
	if sh == nil {
		return nil, nil, &notice{key: msgNoForm}
	}
	values, bad := formValues(sh.form, rest)
	if bad != nil {
		return nil, nil, bad
	}
	m := a.eventLocked(u, sh.conv, bot.KindFormSubmit)
	m.Action = bot.Action{ID: sh.form.ID, Value: sh.form.Value}
	m.Form = values
	title := sh.form.Title
	if title == "" {
		title = sh.form.ID
	}
	a.echoLocked(u.name, sh.conv, "📝 "+oneLine(plain(title))+" ("+sh.id+")", "")
	return m, a.turnOn(u, sh), nil
}

// formValues reads the arguments of ":submit" for form f: every input
// starts with its initial value, and each name=value token sets one.
// Checkbox values are normalised to "true" or "false".
func formValues(f *bot.Form, args string) (map[string]string, *notice) {
	tokens, err := shlex.Split(args)
	if err != nil {
		return nil, &notice{key: msgBadQuote, args: []any{args}}
	}
	values := make(map[string]string, len(f.Inputs))
	kinds := make(map[string]bot.InputKind, len(f.Inputs))
	names := make([]string, len(f.Inputs))
	for i, in := range f.Inputs {
		values[in.Name], kinds[in.Name], names[i] = in.Value, in.Kind, in.Name
		if in.Kind == bot.InputCheckbox {
			values[in.Name], _ = checkbox(in.Value)
		}
	}
	for _, tok := range tokens {
		name, value, ok := strings.Cut(tok, "=")
		if !ok || name == "" {
			return nil, &notice{key: msgBadToken, args: []any{tok}}
		}
		kind, ok := kinds[name]
		if !ok {
			return nil, &notice{key: msgUnknownInput, args: []any{name, strings.Join(names, ", ")}}
		}
		if kind == bot.InputCheckbox {
			if value, ok = checkbox(value); !ok {
				return nil, &notice{key: msgBadCheckbox, args: []any{name, tok[len(name)+1:]}}
			}
		}
		values[name] = value
	}
	return values, nil
}

// checkbox normalises a yes/no answer to "true" or "false"; an empty one
// is "false".
func checkbox(s string) (string, bool) {
	switch strings.ToLower(norm.NFKC.String(strings.TrimSpace(s))) {
	case "true", "yes", "on", "1", "はい":
		return "true", true
	case "false", "no", "off", "0", "いいえ", "":
		return "false", true
	}
	return "false", false
}
