package bottest

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/soudan/soudan/bot"
)

// mentions sets m.Text to text with "@NAME" (or "＠NAME") turned into
// <@NAME> tokens, listed in m.Mentions, and "@soudan" (with the spaces
// after it) removed and noted in m.BotMentioned.
func mentions(m *bot.Message, text string) {
	var b strings.Builder
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r != '@' && r != '＠' {
			b.WriteString(text[i : i+size])
			i += size
			continue
		}
		name := nameAt(text[i+size:])
		switch {
		case name == "":
			b.WriteString(text[i : i+size])
		case strings.EqualFold(name, BotName):
			m.BotMentioned = true
			if rest := text[i+size+len(name):]; b.Len() == 0 || strings.HasSuffix(b.String(), " ") {
				i += len(rest) - len(strings.TrimLeft(rest, " "))
			}
		default:
			b.WriteString(bot.Mention(name))
			if !slices.Contains(m.Mentions, name) {
				m.Mentions = append(m.Mentions, name)
			}
		}
		i += size + len(name)
	}
	m.Text = strings.TrimSpace(b.String())
}

// nameAt returns the name at the start of s: up to a space or punctuation
// other than "_", "-" and ".", without a trailing ".".
func nameAt(s string) string {
	end := strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '@' || r == '＠' ||
			(unicode.IsPunct(r) || unicode.IsSymbol(r)) && !strings.ContainsRune("_-.", r)
	})
	if end < 0 {
		end = len(s)
	}
	return strings.TrimRight(s[:end], ".")
}
