package console

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/soudan/soudan/bot"
)

// mentioned is a post's text with its mentions resolved.
type mentioned struct {
	text  string   // "@NAME" replaced by bot.Mention(NAME), the bot's mention removed
	users []string // users mentioned, in order of first mention
	bot   bool     // the bot was mentioned
}

// resolveMentions resolves "@NAME" (or "＠NAME") in text for each of the
// known names, and the bot's own mention "@"+botName (in any case). The
// longest matching name wins (the bot on a tie), and a name may run straight into Japanese
// text: "@佐藤さん" mentions 佐藤 unless 佐藤さん is known. An ASCII name
// must end at a word boundary ("@sato" is not in "@satoshi"), and an "@"
// inside a word ("a@b.jp") is no mention.
func resolveMentions(text, botName string, names []string) mentioned {
	names = slices.Clone(names)
	slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
	var out mentioned
	var b strings.Builder
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if (r != '@' && r != '＠') || endsInWord(text[:i]) {
			b.WriteString(text[i : i+size])
			i += size
			continue
		}
		rest := text[i+size:]
		user := longestName(rest, names)
		if n := botPrefix(rest, botName); n > 0 && n >= len(user) {
			out.bot = true
			i += size + n
			i += separatorAfter(text[i:])
			if b.Len() == 0 || endsInSpace(b.String()) {
				i += len(text[i:]) - len(strings.TrimLeft(text[i:], " \t\u3000"))
			}
			continue
		}
		if user == "" {
			b.WriteString(text[i : i+size])
			i += size
			continue
		}
		b.WriteString(bot.Mention(user))
		if !slices.Contains(out.users, user) {
			out.users = append(out.users, user)
		}
		i += size + len(user)
	}
	out.text = strings.TrimSpace(b.String())
	return out
}

// longestName returns the longest of names (sorted longest first) that s
// starts with, ending at a word boundary.
func longestName(s string, names []string) string {
	for _, n := range names {
		if n != "" && strings.HasPrefix(s, n) && boundary(n, s[len(n):]) {
			return n
		}
	}
	return ""
}

// botPrefix returns the length of the bot's name at the start of s, or 0.
func botPrefix(s, botName string) int {
	n := len(botName)
	if n == 0 || len(s) < n || !strings.EqualFold(s[:n], botName) || !boundary(botName, s[n:]) {
		return 0
	}
	return n
}

// boundary reports whether a name may end before rest: it may unless both
// the name's last character and rest's first are ASCII word characters.
func boundary(name, rest string) bool {
	last, _ := utf8.DecodeLastRuneInString(name)
	next, _ := utf8.DecodeRuneInString(rest)
	return rest == "" || !asciiWord(last) || !(asciiWord(next) || next == '-')
}

// endsInWord reports whether s ends in a character that makes a following
// "@" part of a word, as in an e-mail address.
func endsInWord(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return s != "" && (asciiWord(r) || strings.ContainsRune(".-+", r))
}

func endsInSpace(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == ' ' || r == '\t' || r == '\u3000'
}

// separatorAfter returns the length of a "," "、" ":" or "：" at the start
// of s, which people type after addressing the bot: "@soudan、ヘルプ".
func separatorAfter(s string) int {
	for _, sep := range []string{",", "、", ":", "："} {
		if strings.HasPrefix(s, sep) {
			return len(sep)
		}
	}
	return 0
}

func asciiWord(r rune) bool {
	return r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
}
