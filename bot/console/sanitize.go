package console

import (
	"strings"
	"unicode/utf8"
)

// neutralise makes s safe to print on a terminal: text that came from
// users (their posts, names, channels, and what the bot quotes of them)
// must not move the cursor, clear the screen or retitle the window. Every
// control character but tab and newline is shown as its Unicode control
// picture ("\x1b" as "␛", so "ESC[2J" prints as "␛[2J"), a C1 control
// (U+0080–U+009F, which some terminals also obey) and any byte that is not
// UTF-8 as "�", and a carriage return before a newline is dropped.
func neutralise(s string) string {
	if !needsNeutralising(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch {
		case r == '\t' || r == '\n':
			b.WriteRune(r)
		case r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
			// "\r\n" is a line end
		case r < 0x20:
			b.WriteRune(0x2400 + r) // ␀ … ␟
		case r == 0x7f:
			b.WriteRune('␡')
		case r >= 0x80 && r <= 0x9f:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// needsNeutralising reports whether s has a character neutralise changes.
func needsNeutralising(s string) bool {
	if !utf8.ValidString(s) {
		return true // a stray byte such as 0x9b (CSI) is shown as "�"
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' || r >= 0x7f && r <= 0x9f {
			return true
		}
	}
	return false
}

// hasControl reports whether s has any control character (tab and newline
// included): such a name or channel could not be typed back.
func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && r <= 0x9f {
			return true
		}
	}
	return false
}
