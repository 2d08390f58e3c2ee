package console

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
)

// stateVersion is the version of the saved document this console writes;
// it reads no other.
const stateVersion = 1

// maxNext bounds the message counter, far from overflow.
const maxNext = 1 << 50

// maxSaved is how many of the newest messages the saved document keeps.
const maxSaved = 500

// stateDoc is the saved document. Who the current user is is not kept: a
// console starts as Options.DefaultUser, where that user last was.
type stateDoc struct {
	Version int          `json:"version"`
	Next    int          `json:"next"` // number of the newest message printed: "m"+Next
	Users   []savedUser  `json:"users"`
	History []savedShown `json:"history"` // the newest maxSaved messages, oldest first
}

// savedUser is a user and where they post.
type savedUser struct {
	Name    string `json:"name"`
	Locale  string `json:"locale"`
	Chose   bool   `json:"chose,omitempty"` // chose Locale; the bot was not told yet
	Channel string `json:"channel"`
	Thread  string `json:"thread,omitempty"`
}

// savedShown is a printed message with what ":thread", ":press" and
// ":submit" need of it.
type savedShown struct {
	ID      string        `json:"id"`
	Channel string        `json:"channel"`
	Thread  string        `json:"thread,omitempty"`
	To      string        `json:"to,omitempty"`
	Anchor  string        `json:"anchor,omitempty"`
	Buttons []savedButton `json:"buttons,omitempty"`
	Form    *savedForm    `json:"form,omitempty"`
	Author  string        `json:"author,omitempty"`
	Text    string        `json:"text,omitempty"`
}

// savedButton is a button, for ":press".
type savedButton struct {
	ID    string `json:"id,omitempty"`
	Label string `json:"label,omitempty"`
	Value string `json:"value,omitempty"`
	URL   string `json:"url,omitempty"`
}

// savedForm is a form, for ":submit".
type savedForm struct {
	ID     string       `json:"id"`
	Value  string       `json:"value,omitempty"`
	Title  string       `json:"title,omitempty"`
	Inputs []savedInput `json:"inputs,omitempty"`
}

// savedInput is a form input: its name, kind and initial value.
type savedInput struct {
	Name  string        `json:"name"`
	Kind  bot.InputKind `json:"kind,omitempty"`
	Value string        `json:"value,omitempty"`
}

// snapshot is the state to save, copied under the lock and encoded
// outside it. Its messages are shared: a shown is never changed once
// recorded.
type snapshot struct {
	changes int
	next    int
	users   []savedUser
	history []*shown
}

// snapshotLocked copies the state to save.
func (a *Adapter) snapshotLocked() snapshot {
	s := snapshot{changes: a.changes, next: a.printed, users: make([]savedUser, 0, len(a.users))}
	for _, u := range a.users {
		s.users = append(s.users, savedUser{Name: u.name, Locale: u.locale, Chose: u.chose, Channel: u.conv.channel, Thread: u.conv.thread})
	}
	s.history = slices.Clone(a.history[max(0, len(a.history)-maxSaved):])
	return s
}

// encode returns the document of s.
func (s snapshot) encode() []byte {
	d := stateDoc{Version: stateVersion, Next: s.next, Users: s.users, History: make([]savedShown, len(s.history))}
	slices.SortFunc(d.Users, func(a, b savedUser) int { return strings.Compare(a.Name, b.Name) })
	for i, m := range s.history {
		d.History[i] = savedOf(m)
	}
	b, err := json.Marshal(d)
	if err != nil {
		panic("console: encode state: " + err.Error()) // strings and ints only: cannot happen
	}
	return b
}

// decodeState decodes and checks a saved document.
func decodeState(raw []byte) (*stateDoc, error) {
	var head struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if head.Version != stateVersion {
		return nil, fmt.Errorf("unknown version %d", head.Version)
	}
	var d stateDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if err := d.check(); err != nil {
		return nil, err
	}
	return &d, nil
}

// check reports the first inconsistency of d: what the console never
// writes and could not use.
func (d *stateDoc) check() error {
	if d.Next < 0 || d.Next > maxNext {
		return fmt.Errorf("next %d out of range", d.Next)
	}
	// Users may repeat: JSON turns invalid UTF-8 into U+FFFD, so two names
	// can come back as one. The last one wins.
	for _, u := range d.Users {
		own, isDM := conv{channel: u.Channel}.dmUser()
		switch {
		case u.Name == "":
			return fmt.Errorf("user without a name")
		case u.Locale == "" || u.Channel == "":
			return fmt.Errorf("user %q: no locale or channel", u.Name)
		case isDM && own != u.Name:
			return fmt.Errorf("user %q posts in the DM of %q", u.Name, own)
		}
	}
	last := 0
	for _, m := range d.History {
		n, err := strconv.Atoi(strings.TrimPrefix(m.ID, "m"))
		if err != nil || !strings.HasPrefix(m.ID, "m") || n <= last || n > d.Next {
			return fmt.Errorf("message id %q out of order or beyond next %d", m.ID, d.Next)
		}
		if m.Channel == "" {
			return fmt.Errorf("message %s: no channel", m.ID)
		}
		last = n
	}
	return nil
}

// savedOf returns what is saved of m.
func savedOf(m *shown) savedShown {
	s := savedShown{ID: m.id, Channel: m.conv.channel, Thread: m.conv.thread, To: m.to, Anchor: m.anchor, Author: m.author, Text: m.text}
	for _, b := range m.buttons {
		s.Buttons = append(s.Buttons, savedButton{ID: b.ID, Label: b.Label, Value: b.Value, URL: b.URL})
	}
	if f := m.form; f != nil {
		s.Form = &savedForm{ID: f.ID, Value: f.Value, Title: f.Title}
		for _, in := range f.Inputs {
			s.Form.Inputs = append(s.Form.Inputs, savedInput{Name: in.Name, Kind: in.Kind, Value: in.Value})
		}
	}
	return s
}

// shown returns the message s saves.
func (s savedShown) shown() *shown {
	m := &shown{id: s.ID, conv: conv{channel: s.Channel, thread: s.Thread}, to: s.To, anchor: s.Anchor, author: s.Author, text: s.Text}
	for _, b := range s.Buttons {
		m.buttons = append(m.buttons, bot.Button{ID: b.ID, Label: b.Label, Value: b.Value, URL: b.URL})
	}
	if f := s.Form; f != nil {
		m.form = &bot.Form{ID: f.ID, Value: f.Value, Title: f.Title}
		for _, in := range f.Inputs {
			m.form.Inputs = append(m.form.Inputs, bot.Input{Name: in.Name, Kind: in.Kind, Value: in.Value})
		}
	}
	return m
}
