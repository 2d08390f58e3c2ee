package bot

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// broadcast matches the mass-mention forms of Slack and Teams, in plain
// and in Slack markup (<!channel>, <!here|here>, <!subteam^...>).
var broadcast = regexp.MustCompile(`(?i)<!(?:channel|here|everyone|subteam\^[^>]*)(?:\|[^>]*)?>|[@＠](channel|here|everyone|all)\b`)

// Neutralize makes text safe to relay: mass mentions (@channel, @here,
// @everyone, <!channel>, <!here>, <!everyone>, user-group pings) lose their
// power while staying readable, and control characters other than newline
// and tab are dropped, as are the bidirectional embeddings, overrides and
// isolates (U+202A-U+202E, U+2066-U+2069) that make relayed text read
// other than it is ("txt.exe" shown as "exe.txt"). Adapters still escape their own markup; this guards
// the words themselves.
func Neutralize(s string) string {
	// Control characters go first: dropping them after the replacement
	// would turn "@\x00here" back into a live "@here".
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || isBidiControl(r) {
			return -1
		}
		return r
	}, s)
	return broadcast.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "<!") {
			inner := strings.TrimSuffix(strings.TrimPrefix(m, "<!"), ">")
			if i := strings.IndexByte(inner, '|'); i >= 0 {
				inner = inner[:i]
			}
			return "@\u200b" + inner
		}
		r, size := utf8.DecodeRuneInString(m)
		return string(r) + "\u200b" + m[size:]
	})
}

// isBidiControl reports whether r is a bidirectional embedding, override
// or isolate (or their terminators).
func isBidiControl(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
}

// Fields splits s on any Unicode white space, including the ideographic
// space (U+3000) that Japanese input methods type.
func Fields(s string) []string { return strings.FieldsFunc(s, unicode.IsSpace) }

// CutWord returns the first word of s and the rest with its leading space
// trimmed, keeping the rest's own line breaks and spacing.
func CutWord(s string) (word, rest string) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeftFunc(s[i:], unicode.IsSpace)
}

// ParseCommand splits a command line such as "/soudan ask --anon career 質問"
// into the command name, its arguments and the raw text after the name.
// The "/soudan" prefix is optional; prefix names it ("soudan").
func ParseCommand(prefix, line string) (name string, args []string, argText string) {
	word, rest := CutWord(line)
	if strings.EqualFold(strings.TrimPrefix(word, "/"), prefix) && strings.HasPrefix(word, "/") {
		word, rest = CutWord(rest)
	}
	return word, Fields(rest), rest
}

// Shift drops the first argument of m (a subcommand name) from Args and
// ArgText.
func (m *Message) Shift() {
	if len(m.Args) > 0 {
		m.Args = m.Args[1:]
	}
	_, m.ArgText = CutWord(m.ArgText)
}
