package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
)

// TestControlCharactersNeutralised checks that nothing a user typed can
// drive the terminal: the echoed post, and what the bot quotes of it.
func TestControlCharactersNeutralised(t *testing.T) {
	d := &recorder{reply: func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		_, err := r.Reply(ctx, bot.Reply{Title: m.Text, Text: "「" + m.Text + "」", Fields: []bot.Field{{Label: "q", Value: m.Text}}})
		return err
	}}
	got := run(t, "a\x1b[2Jb\x07c\x7fd\u009be\tf\r\n", d)
	checkOutput(t, got, lines(
		"[佐藤 → DM] m1",
		"  a␛[2Jb␇c␡d�e\tf",
		"[→ DM 佐藤] m2",
		"  ■ a␛[2Jb␇c␡d�e\tf",
		"  「a␛[2Jb␇c␡d�e\tf」",
		"  ・q: a␛[2Jb␇c␡d�e\tf",
	))
	for _, c := range []string{"\x1b", "\x07", "\x7f", "\u009b", "\r"} {
		if strings.Contains(got, c) {
			t.Errorf("output has control character %q", c)
		}
	}
}

func TestControlCharactersInNames(t *testing.T) {
	got := run(t, ":as a\x1b]0;x\x07\n", &recorder{})
	checkOutput(t, got, lines("! その名前は使えません: a␛]0;x␇"))
}
