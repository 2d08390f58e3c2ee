package teams

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/soudan/soudan/bot"
)

// submission is a card's button press or form submission in neutral form.
type submission struct {
	kind   bot.Kind // KindAction or KindFormSubmit
	action bot.Action
	form   map[string]string // inputs, for KindFormSubmit
}

// submissionOf reads the value of an Action.Submit (a message activity's
// value) or the data of an Action.Execute: an object naming our button
// (soudan_action) or form (soudan_form) with its context value, and the
// form's inputs under their own names. Any JSON value is accepted: a bare
// string is the id of a button without a value; anything else that names
// neither is not ours (ok false).
func submissionOf(raw json.RawMessage) (submission, bool) {
	raw = bytes.TrimSpace(raw)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		s = strings.TrimSpace(s)
		return submission{kind: bot.KindAction, action: bot.Action{ID: s}}, s != ""
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return submission{}, false
	}
	value := scalar(obj[dataValue])
	if id := scalar(obj[dataForm]); id != "" {
		form := make(map[string]string, len(obj))
		for k, v := range obj {
			if k != dataForm && k != dataValue && k != dataAction {
				form[k] = scalar(v)
			}
		}
		return submission{kind: bot.KindFormSubmit, action: bot.Action{ID: id, Value: value}, form: form}, true
	}
	if id := scalar(obj[dataAction]); id != "" {
		return submission{kind: bot.KindAction, action: bot.Action{ID: id, Value: value}}, true
	}
	return submission{}, false
}

// executeOf reads the value of an adaptiveCard/action invoke:
// {"action": {"type": "Action.Execute", "verb": ..., "data": ...}}. A verb
// with data that names nothing of ours is a button press of that verb.
func executeOf(raw json.RawMessage) (submission, bool) {
	var v struct {
		Action struct {
			Verb string          `json:"verb"`
			Data json.RawMessage `json:"data"`
		} `json:"action"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return submission{}, false
	}
	if s, ok := submissionOf(v.Action.Data); ok {
		return s, true
	}
	verb := strings.TrimSpace(v.Action.Verb)
	return submission{kind: bot.KindAction, action: bot.Action{ID: verb}}, verb != ""
}

// scalar renders an input's JSON value as text: strings as they are,
// booleans as "true"/"false", numbers as written, lists joined by ",".
// Objects and null are "".
func scalar(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case float64:
		return string(raw)
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			b, _ := json.Marshal(e)
			if s := scalar(b); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ",")
	}
	return ""
}
