package teams

import (
	"strconv"

	"github.com/soudan/soudan/bot"
)

// form renders a form's title, intro, inputs (each with its hint and its
// error, when a submission was refused) and submit action.
func (rd renderer) form(f bot.Form) (body, actions, mentions []any) {
	if f.Title != "" {
		tb, ms := rd.textBlock(f.Title)
		tb["weight"] = "Bolder"
		body, mentions = append(body, tb), append(mentions, ms...)
	}
	if f.Intro != "" {
		tb, ms := rd.textBlock(f.Intro)
		body, mentions = append(body, tb), append(mentions, ms...)
	}
	for _, in := range f.Inputs {
		body = append(body, input(in))
		if in.Hint != "" {
			tb, ms := rd.textBlock(in.Hint)
			tb["isSubtle"], tb["size"], tb["spacing"] = true, "Small", "None"
			body, mentions = append(body, tb), append(mentions, ms...)
		}
		if msg := f.Errors[in.Name]; msg != "" {
			tb, ms := rd.textBlock("⚠️ " + msg)
			tb["color"], tb["spacing"] = "Attention", "None"
			body, mentions = append(body, tb), append(mentions, ms...)
		}
	}
	title := f.Submit
	if title == "" {
		title = "OK"
	}
	actions = append(actions, map[string]any{
		"type":             "Action.Execute",
		"title":            bot.Neutralize(title),
		"verb":             f.ID,
		"style":            "positive",
		"associatedInputs": "auto",
		"data":             map[string]any{dataForm: f.ID, dataValue: f.Value},
	})
	return body, actions, mentions
}

// input renders one input: text and textarea as Input.Text, select and
// radio as Input.ChoiceSet (compact and expanded), multiselect as a
// multi-select ChoiceSet whose value is the chosen values joined by ",",
// checkbox as Input.Toggle ("true"/"false"), scale as a compact ChoiceSet
// of Min..Max.
func input(in bot.Input) map[string]any {
	label := bot.Neutralize(in.Label)
	el := map[string]any{"id": in.Name, "label": label}
	if in.Required {
		el["isRequired"] = true
		el["errorMessage"] = label
	}
	if in.Value != "" {
		el["value"] = in.Value
	}
	if in.Placeholder != "" {
		el["placeholder"] = bot.Neutralize(in.Placeholder)
	}
	switch in.Kind {
	case bot.InputTextarea:
		el["type"], el["isMultiline"] = "Input.Text", true
	case bot.InputSelect, bot.InputRadio, bot.InputMultiSelect:
		el["type"], el["choices"] = "Input.ChoiceSet", choices(in.Options)
		el["style"] = "compact"
		if in.Kind == bot.InputRadio {
			el["style"] = "expanded"
		}
		if in.Kind == bot.InputMultiSelect {
			el["isMultiSelect"] = true
		}
	case bot.InputCheckbox:
		el["type"], el["title"], el["valueOn"], el["valueOff"] = "Input.Toggle", label, "true", "false"
		if in.Value != "true" {
			el["value"] = "false"
		}
	case bot.InputScale:
		var opts []bot.Option
		for n := in.Min; n <= in.Max && len(opts) < 101; n++ {
			s := strconv.Itoa(n)
			opts = append(opts, bot.Option{Value: s, Label: s})
		}
		el["type"], el["choices"], el["style"] = "Input.ChoiceSet", choices(opts), "compact"
	default:
		el["type"] = "Input.Text"
	}
	if in.MaxLen > 0 && el["type"] == "Input.Text" {
		el["maxLength"] = in.MaxLen
	}
	return el
}

func choices(opts []bot.Option) []any {
	out := make([]any, len(opts))
	for i, o := range opts {
		out[i] = map[string]any{"title": bot.Neutralize(o.Label), "value": o.Value}
	}
	return out
}
