package testenv

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
)

// CardTo returns the consultation card delivered to user in the turn.
func CardTo(t testing.TB, turn *bottest.Turn, user string) bottest.Delivery {
	t.Helper()
	for _, d := range turn.Sent {
		if d.To.User == user && len(d.Reply.Buttons) > 0 {
			return d
		}
	}
	t.Fatalf("no card sent to %s; sent: %v", user, Recipients(turn.Sent))
	return bottest.Delivery{}
}

// Recipients lists where each delivery went.
func Recipients(ds []bottest.Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.At.Channel)
	}
	return out
}

// DeliveredText joins every delivery's words.
func DeliveredText(ds []bottest.Delivery) string {
	var b strings.Builder
	for _, d := range ds {
		r := d.Reply
		b.WriteString(r.Title + "\n" + r.Text + "\n")
		for _, f := range r.Fields {
			b.WriteString(f.Label + ": " + f.Value + "\n")
		}
	}
	return b.String()
}

// InThread filters deliveries posted in a thread of a channel.
func InThread(ds []bottest.Delivery, channel, thread string) []bottest.Delivery {
	var out []bottest.Delivery
	for _, d := range ds {
		if d.At.Channel == channel && d.At.Thread == thread {
			out = append(out, d)
		}
	}
	return out
}

// ReplyTexts lists the reply texts of a turn, for failure messages.
func ReplyTexts(turn *bottest.Turn) []string {
	var out []string
	for _, r := range turn.Replies {
		out = append(out, r.Text)
	}
	return out
}

// WantReply fails unless one reply of the turn has exactly the text.
func WantReply(t testing.TB, turn *bottest.Turn, want string) {
	t.Helper()
	for _, r := range turn.Replies {
		if r.Text == want {
			return
		}
	}
	t.Errorf("replies = %q, want one with text %q", ReplyTexts(turn), want)
}

// FormOf returns the form shown in the turn, failing if there is none.
func FormOf(t testing.TB, turn *bottest.Turn) *bot.Form {
	t.Helper()
	for _, r := range turn.Replies {
		if r.Form != nil {
			return r.Form
		}
	}
	t.Fatalf("replies = %q, want a form", ReplyTexts(turn))
	return nil
}

// InputOf returns the form's input with the name, failing if there is
// none.
func InputOf(t testing.TB, f *bot.Form, name string) bot.Input {
	t.Helper()
	for _, in := range f.Inputs {
		if in.Name == name {
			return in
		}
	}
	t.Fatalf("form %s has no input %q", f.ID, name)
	return bot.Input{}
}
