package console

import (
	"io"
	"strings"
)

// writeLocked prints s, its control characters neutralised (see
// neutralise): everything the console prints passes here, and much of it
// came from users. Output errors are ignored: the console has nowhere
// else to report them, and input ends the session anyway.
func (a *Adapter) writeLocked(s string) {
	_, _ = io.WriteString(a.out, neutralise(s))
}

// echoLocked prints what a user did, so that a transcript of a piped
// script reads like the conversation: "[佐藤 → #career] m5" and the post's
// text, or "[佐藤 → DM] /soudan help" for a command on one line. The echo
// is the console's acknowledgement of the line: it is held until the line
// is recorded in the inbox (dispatch prints it then), so a kill never
// follows an echo of a line that is lost.
func (a *Adapter) echoLocked(who string, c conv, rest string, text string) {
	header := "[" + who + " → " + c.ownLabel() + "] " + rest
	if text == "" {
		a.echo += header + "\n"
		return
	}
	a.echo += block(header, []string{text})
}

// printEchoLocked prints the echo held by echoLocked.
func (a *Adapter) printEchoLocked() {
	if a.echo != "" {
		a.writeLocked(a.echo)
		a.echo = ""
	}
}

// sayLocked prints console messages: every line starts with "! ".
func (a *Adapter) sayLocked(text string) {
	var b strings.Builder
	for line := range strings.SplitSeq(text, "\n") {
		b.WriteString("! ")
		b.WriteString(line)
		b.WriteByte('\n')
	}
	a.writeLocked(b.String())
}

// noticeLocked prints n in the current user's language.
func (a *Adapter) noticeLocked(n *notice) {
	a.sayLocked(n.text(langOf(a.current.locale)))
}

// Say prints text as the console's own message, every line starting with
// "! ": cmd/soudan greets an interactive user with it.
func (a *Adapter) Say(text string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sayLocked(text)
}
