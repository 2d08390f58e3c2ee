package slack

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
)

// Modal limits.
const (
	maxModalTitle   = 24
	maxMetadata     = 3000
	maxLabel        = 2000
	maxPlaceholder  = 150
	maxOptionText   = 75
	maxOptionValue  = 150
	maxOptions      = 100
	maxRadioOptions = 10
	maxInputLength  = 3000
	maxModalBlocks  = 100
)

// modalCallback is the callback_id of every soudan modal.
const modalCallback = "soudan.form"

// emptyOption stands for an option whose value is "": Slack wants every
// option to have a value.
const emptyOption = "soudan.none"

// inputAction is the action id of the element in every input block; the
// block id is the input's name.
const inputAction = "v"

// formMeta is a modal's private_metadata: the form's id and context value,
// and where the form was opened, so that replies to its submission go
// back there.
type formMeta struct {
	Form    string `json:"f"`
	Value   string `json:"v,omitempty"`
	Channel string `json:"c,omitempty"`
	Thread  string `json:"t,omitempty"`
	Source  string `json:"s,omitempty"` // the message the form is about
	Direct  bool   `json:"d,omitempty"`
}

// modal renders f as a modal opened from o.
func modal(f bot.Form, o origin) (slack.ModalViewRequest, error) {
	meta, err := json.Marshal(formMeta{Form: f.ID, Value: f.Value, Channel: o.channel, Thread: o.thread, Source: o.source, Direct: o.direct})
	if err != nil {
		return slack.ModalViewRequest{}, fmt.Errorf("form metadata: %w", err)
	}
	if len(meta) > maxMetadata {
		return slack.ModalViewRequest{}, errors.New("form metadata: the form's value is too long for a Slack modal")
	}
	title := f.Title
	if title == "" {
		title = "soudan"
	}
	submit := f.Submit
	if submit == "" {
		submit = "OK"
	}
	v := slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           plainObj(truncate(oneLine(title), maxModalTitle)),
		Submit:          plainObj(truncate(oneLine(submit), maxModalTitle)),
		CallbackID:      modalCallback,
		PrivateMetadata: string(meta),
	}
	if f.Intro != "" {
		v.Blocks.BlockSet = append(v.Blocks.BlockSet, slack.NewSectionBlock(mdObj(head(mrkdwn(f.Intro), maxSectionText)), nil, nil))
	}
	for _, in := range f.Inputs {
		if len(v.Blocks.BlockSet) == maxModalBlocks {
			break
		}
		v.Blocks.BlockSet = append(v.Blocks.BlockSet, inputBlock(in))
	}
	return v, nil
}

// inputBlock renders one input. Its block id is the input's name.
func inputBlock(in bot.Input) *slack.InputBlock {
	var hint *slack.TextBlockObject
	if in.Hint != "" && in.Kind != bot.InputCheckbox {
		hint = plainObj(truncate(in.Hint, maxLabel))
	}
	label := in.Label
	if label == "" {
		label = in.Name
	}
	b := slack.NewInputBlock(in.Name, plainObj(truncate(oneLine(label), maxLabel)), hint, inputElement(in))
	b.Optional = !in.Required || in.Kind == bot.InputCheckbox
	return b
}

// inputElement is the element of an input: a text field, a select, radio
// buttons or a checkbox; a scale is radio buttons when it has few steps,
// else a select.
func inputElement(in bot.Input) slack.BlockElement {
	var placeholder *slack.TextBlockObject
	if in.Placeholder != "" {
		placeholder = plainObj(truncate(in.Placeholder, maxPlaceholder))
	}
	opts := in.Options
	kind := in.Kind
	switch {
	case kind == bot.InputScale:
		opts = scaleOptions(in)
	case len(opts) == 0 && (kind == bot.InputSelect || kind == bot.InputMultiSelect || kind == bot.InputRadio):
		kind = bot.InputText // nothing to choose from: Slack refuses an empty menu, so the value is typed
	}
	switch kind {
	case bot.InputSelect:
		return selectElement(placeholder, opts, in.Value)
	case bot.InputMultiSelect:
		el := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, placeholder, inputAction, options(opts)...)
		for _, o := range el.Options {
			if slices.Contains(strings.Split(in.Value, ","), o.Value) {
				el.InitialOptions = append(el.InitialOptions, o)
			}
		}
		return el
	case bot.InputRadio, bot.InputScale:
		if len(opts) > maxRadioOptions {
			return selectElement(placeholder, opts, in.Value)
		}
		el := slack.NewRadioButtonsBlockElement(inputAction, options(opts)...)
		el.InitialOption = initial(el.Options, in.Value)
		return el
	case bot.InputCheckbox:
		text := in.Hint
		if text == "" {
			text = in.Label
		}
		box := slack.NewOptionBlockObject("true", plainObj(truncate(oneLine(text), maxOptionText)), nil)
		el := slack.NewCheckboxGroupsBlockElement(inputAction, box)
		if in.Value == "true" {
			el.InitialOptions = []*slack.OptionBlockObject{box}
		}
		return el
	}
	el := slack.NewPlainTextInputBlockElement(placeholder, inputAction)
	el.Multiline = kind == bot.InputTextarea
	el.MaxLength = maxInputLength
	if in.MaxLen > 0 && in.MaxLen < maxInputLength {
		el.MaxLength = in.MaxLen
	}
	el.InitialValue = truncate(in.Value, el.MaxLength)
	return el
}

func selectElement(placeholder *slack.TextBlockObject, opts []bot.Option, value string) *slack.SelectBlockElement {
	el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, placeholder, inputAction, options(opts)...)
	el.InitialOption = initial(el.Options, value)
	return el
}

// scaleOptions are the steps of a scale input, Min to Max.
func scaleOptions(in bot.Input) []bot.Option {
	lo, hi := in.Min, in.Max
	if hi <= lo {
		lo, hi = 0, 10
	}
	var out []bot.Option
	for i := lo; i <= hi && len(out) < maxOptions; i++ {
		s := strconv.Itoa(i)
		out = append(out, bot.Option{Value: s, Label: s})
	}
	return out
}

func options(opts []bot.Option) []*slack.OptionBlockObject {
	var out []*slack.OptionBlockObject
	for _, o := range opts {
		if len(out) == maxOptions {
			break
		}
		label := o.Label
		if label == "" {
			label = o.Value
		}
		value := o.Value
		if value == "" {
			value = emptyOption
		}
		out = append(out, slack.NewOptionBlockObject(truncateBytes(value, maxOptionValue), plainObj(truncate(oneLine(label), maxOptionText)), nil))
	}
	return out
}

func initial(opts []*slack.OptionBlockObject, value string) *slack.OptionBlockObject {
	for _, o := range opts {
		if value != "" && o.Value == value {
			return o
		}
	}
	return nil
}

// submitted reads a modal's submission: the form id and value from its
// metadata, and each input's value from its state. Checkboxes read "true"
// or "false"; multi-selects their values joined by ",".
func submitted(v slack.View) (formMeta, map[string]string, error) {
	var meta formMeta
	if err := json.Unmarshal([]byte(v.PrivateMetadata), &meta); err != nil || meta.Form == "" {
		return meta, nil, errors.New("view submission: not a soudan form")
	}
	values := map[string]string{}
	if v.State == nil {
		return meta, values, nil
	}
	for name, actions := range v.State.Values {
		act, ok := actions[inputAction]
		if !ok {
			continue
		}
		values[name] = actionValue(act)
	}
	return meta, values, nil
}

// actionValue is the value of one input element's state.
func actionValue(act slack.BlockAction) string {
	switch act.Type {
	case slack.ActionType(slack.METCheckboxGroups):
		if len(act.SelectedOptions) > 0 {
			return "true"
		}
		return "false"
	case slack.ActionType(slack.MultiOptTypeStatic):
		var vals []string
		for _, o := range act.SelectedOptions {
			if o.Value != emptyOption {
				vals = append(vals, o.Value)
			}
		}
		return strings.Join(vals, ",")
	case slack.ActionType(slack.OptTypeStatic), slack.ActionType(slack.METRadioButtons):
		if act.SelectedOption.Value == emptyOption {
			return ""
		}
		return act.SelectedOption.Value
	}
	return act.Value
}

// viewErrors maps a rejected form's errors to its input blocks, for
// response_action "errors". An error for a name that is not an input is
// added to the first input's.
func viewErrors(f bot.Form) map[string]string {
	out := map[string]string{}
	if len(f.Inputs) == 0 {
		return out
	}
	var stray []string
	for name := range f.Errors {
		if !slices.ContainsFunc(f.Inputs, func(in bot.Input) bool { return in.Name == name }) {
			stray = append(stray, name)
		}
	}
	slices.Sort(stray)
	for _, in := range f.Inputs {
		if e, ok := f.Errors[in.Name]; ok {
			out[in.Name] = truncate(plain(e), maxLabel)
		}
	}
	first := f.Inputs[0].Name
	for _, name := range stray {
		msg := truncate(plain(f.Errors[name]), maxLabel)
		if prev, ok := out[first]; ok {
			msg = prev + " / " + msg
		}
		out[first] = msg
	}
	return out
}
