package bot

// Reply is a small rich message every adapter can render: Slack as Block
// Kit (and modals for forms), Teams as Adaptive Cards, the console as plain
// text with numbered buttons.
type Reply struct {
	Title   string // optional heading
	Text    string // plain text; may contain <@ID> mention tokens
	Fields  []Field
	Buttons []Button
	Form    *Form // a form to fill in; adapters show it as a modal or card
	// Ephemeral replies are shown only to the user who sent the message.
	Ephemeral bool
	// InThread asks the adapter to reply in the thread of the incoming
	// message (starting one on a channel post).
	InThread bool
	Image    string // optional image URL
	// Anchor names what the message is about (e.g. a consultation id), so
	// an adapter can find "the message about X" in a conversation later.
	Anchor string
	// Key is the delivery key the outbox gives a message it sends, unique
	// per delivery. Adapters that implement DeliveryChecker attach it to
	// the posted message (e.g. Slack message metadata) so that a send left
	// in doubt by a crash can be checked instead of repeated.
	Key string
}

// Field is a label/value pair shown in a card.
type Field struct {
	Label string
	Value string
}

// Button styles.
const (
	StylePrimary = "primary"
	StyleDanger  = "danger"
)

// Button is a clickable action. Pressing it delivers a KindAction message
// with Action{ID, Value}. A button with a URL opens the URL instead.
type Button struct {
	ID    string
	Label string
	Value string
	Style string // "", StylePrimary or StyleDanger
	URL   string
}

// InputKind is the type of a form input.
type InputKind string

// The kinds of form input.
const (
	InputText        InputKind = "text"
	InputTextarea    InputKind = "textarea"
	InputSelect      InputKind = "select"
	InputMultiSelect InputKind = "multiselect" // value: option values joined by ","
	InputRadio       InputKind = "radio"
	InputCheckbox    InputKind = "checkbox" // value: "true" or "false"
	InputScale       InputKind = "scale"    // value: an integer from Min to Max
)

// Form is a set of inputs submitted together. Submitting it delivers a
// KindFormSubmit message with Action{ID: Form.ID, Value: Form.Value} and the
// inputs in Message.Form.
type Form struct {
	ID     string
	Value  string // context carried back on submit (e.g. a consultation id)
	Title  string
	Submit string // submit button label
	Intro  string // text shown above the inputs
	Inputs []Input
	// Errors maps an input name to a message, when a submission was rejected
	// and the form is shown again.
	Errors map[string]string
}

// Input is one field of a form.
type Input struct {
	Name        string
	Label       string
	Kind        InputKind
	Options     []Option // for select, multiselect and radio
	Value       string   // initial value
	Placeholder string
	Hint        string
	Required    bool
	Min, Max    int // for scale
	MaxLen      int // for text and textarea; 0 means no limit beyond the platform's
}

// Option is a choice of a select or radio input.
type Option struct {
	Value string
	Label string
}
