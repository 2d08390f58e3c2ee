package console_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/soudan/soudan/bot"
)

// fuzzPrelude makes users, channels, a thread, buttons and a form known,
// so that fuzzed lines can reach every meta-line.
const fuzzPrelude = ":as 鈴木\n:as sato en\n:as 佐藤\n:in #career\nquestion\n/soudan form\n"

// FuzzLine runs a fuzzed script (its lines after fuzzPrelude) and checks
// that the console neither fails nor breaks its promises: dispatched
// messages are well formed, the output keeps its shape, and the state it
// saved loads again.
func FuzzLine(f *testing.F) {
	f.Fuzz(func(t *testing.T, script string) {
		if strings.Count(script, "\n") > 20 {
			t.Skip("long scripts add nothing")
		}
		seen := map[string]bool{}
		d := &recorder{}
		d.reply = func(ctx context.Context, m *bot.Message, r bot.Responder) error {
			checkMessage(t, m, seen)
			if m.Kind == bot.KindCommand && m.Command == "form" {
				return bot.OpenForm(ctx, r, answerForm)
			}
			rep := card
			rep.Text = m.Text
			rep.InThread = true
			_, err := r.Reply(ctx, rep)
			return err
		}
		st := &memState{}
		a, out := newStateful(st, fuzzPrelude+script)
		if err := a.Run(t.Context(), d); err != nil {
			t.Fatalf("Run: %v", err)
		}
		checkRestart(t, st)
		for line := range strings.Lines(out.String()) {
			if !strings.HasPrefix(line, "[") && !strings.HasPrefix(line, "! ") && !strings.HasPrefix(line, "  ") {
				t.Errorf("output line %q is neither a header, a console message nor indented", line)
			}
			if utf8.ValidString(script) && !utf8.ValidString(line) {
				t.Errorf("output line %q is not UTF-8", line)
			}
		}
	})
}

// checkMessage checks what every dispatched message promises.
func checkMessage(t *testing.T, m *bot.Message, seen map[string]bool) {
	t.Helper()
	if !strings.HasPrefix(m.ID, "e-") || seen[m.ID] {
		t.Errorf("bad or repeated ID %q", m.ID)
	}
	seen[m.ID] = true
	if m.User.ID == "" || m.User.ID != m.User.Name || m.User.Locale == "" {
		t.Errorf("bad user %+v", m.User)
	}
	a := m.Address
	if a.Platform != bot.PlatformConsole || a.Workspace != "console" || a.Channel == "" {
		t.Errorf("bad address %+v", a)
	}
	if m.Direct != strings.HasPrefix(a.Channel, "dm:") || m.Direct && a.User != strings.TrimPrefix(a.Channel, "dm:") {
		t.Errorf("Direct %v does not match address %+v", m.Direct, a)
	}
	if m.Direct && a.User != m.User.ID {
		t.Errorf("%s posted in %s's DM", m.User.ID, a.User)
	}
	switch m.Kind {
	case bot.KindPost, bot.KindCommand:
		if m.Text != strings.TrimSpace(m.Text) {
			t.Errorf("Text %q is not trimmed", m.Text)
		}
		for _, u := range m.Mentions {
			if !strings.Contains(m.Text, bot.Mention(u)) {
				t.Errorf("mention of %q not in Text %q", u, m.Text)
			}
		}
		if m.Kind == bot.KindPost && m.Text == "" && !m.BotMentioned {
			t.Errorf("an empty post was dispatched")
		}
	case bot.KindAction:
		if m.Action.ID == "" {
			t.Errorf("action without an id")
		}
	case bot.KindFormSubmit:
		if m.Action.ID != answerForm.ID || len(m.Form) != len(answerForm.Inputs) {
			t.Errorf("submission %+v %q does not match the form", m.Action, m.Form)
		}
		if v := m.Form["anon"]; v != "true" && v != "false" {
			t.Errorf("checkbox value %q", v)
		}
	default:
		t.Errorf("unexpected kind %v", m.Kind)
	}
}

// checkRestart starts a console on the state a run saved: it must load
// without a notice, and number on from the saved counter.
func checkRestart(t *testing.T, st *memState) {
	t.Helper()
	want := fmt.Sprintf("m%d", st.next(t)+1)
	a, out := newStateful(st, "")
	if out.String() != "" {
		t.Errorf("restart printed %q, want nothing", out)
	}
	at, err := a.Send(t.Context(), bot.Address{Channel: "#career"}, bot.Reply{Text: "after"})
	if err != nil || at.Thread != want {
		t.Errorf("first send after the restart: got %q, %v; want %s", at.Thread, err, want)
	}
}

// FuzzState starts a console on any saved document: it must start, print
// at most the reset notice, and number its messages from 1 or more.
func FuzzState(f *testing.F) {
	for _, s := range []string{"", "{", "null", `{"version":1,"next":3}`, `{"version":2,"next":7}`, `{"version":1,"next":1,"history":[{"id":"m1","channel":"#c","form":{"id":"f"}}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		st := &memState{doc: doc}
		a, out := newStateful(st, ":press 1\n:submit\n:thread 12\nhello\n")
		if err := a.Run(t.Context(), &recorder{}); err != nil {
			t.Fatalf("Run: %v", err)
		}
		for line := range strings.Lines(out.String()) {
			if !strings.HasPrefix(line, "[") && !strings.HasPrefix(line, "! ") && !strings.HasPrefix(line, "  ") {
				t.Errorf("output line %q is neither a header, a console message nor indented", line)
			}
		}
		if !strings.Contains(out.String(), "] m") || strings.Contains(out.String(), "] m0\n") {
			t.Errorf("no post numbered from 1 in:\n%s", out)
		}
		checkRestart(t, st)
	})
}
