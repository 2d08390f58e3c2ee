package slack

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/soudan/soudan/bot"
)

// incoming is a Slack message text made plain.
type incoming struct {
	text     string   // plain text, mentions as bot.Mention tokens
	mentions []string // users mentioned, in order of first mention, without the bot
	bot      bool     // the bot was mentioned (and its mention removed)
}

// plainText turns Slack's message markup into soudan's plain text: user
// mentions (<@U1> and <@U1|name>) become bot.Mention tokens, the bot's own
// mention is removed, links become their label and URL, special mentions
// (<!here>) their words, and &amp; &lt; &gt; are unescaped. Channel
// references become "#name", or stay "<#C1|name>" when keepChannels is set
// (command arguments, which name channels by id).
func plainText(s, botUser string, keepChannels bool) incoming {
	var out incoming
	var b strings.Builder
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(unescape(s))
			break
		}
		b.WriteString(unescape(s[:i]))
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			b.WriteString(unescape(s[i:]))
			break
		}
		token := s[i+1 : i+j]
		s = s[i+j+1:]
		inner, label, _ := strings.Cut(token, "|")
		switch {
		case strings.HasPrefix(inner, "@") && isID(inner[1:]):
			id := inner[1:]
			if id == botUser && botUser != "" {
				out.bot = true
				s = trimAfterBot(s, b.Len() == 0 || endsInSpace(b.String()))
				continue
			}
			b.WriteString(bot.Mention(id))
			if !slices.Contains(out.mentions, id) {
				out.mentions = append(out.mentions, id)
			}
		case strings.HasPrefix(inner, "#") && isID(inner[1:]):
			switch {
			case keepChannels:
				b.WriteString("<" + token + ">")
			case label != "":
				b.WriteString("#" + unescape(label))
			default:
				b.WriteString(inner)
			}
		case strings.HasPrefix(inner, "!"):
			b.WriteString(special(inner[1:], label))
		case label != "" && strings.HasPrefix(inner, "mailto:"):
			b.WriteString(unescape(label))
		case label != "" && unescape(label) != unescape(inner):
			b.WriteString(unescape(label) + " (" + unescape(inner) + ")")
		default:
			b.WriteString(unescape(inner))
		}
	}
	out.text = strings.TrimSpace(b.String())
	return out
}

// special renders <!here>, <!channel>, <!everyone>, <!subteam^S1|@team> and
// <!date^…|fallback> as words. They stay powerless: handlers neutralise
// what they relay, and so does the renderer.
func special(inner, label string) string {
	name, _, _ := strings.Cut(inner, "^")
	switch name {
	case "here", "channel", "everyone":
		return "@" + name
	}
	if label != "" {
		return unescape(label)
	}
	return "@" + name
}

// trimAfterBot drops what follows the bot's mention when it only separates
// the mention from the text: a "," "、" ":" or "：", and at the start of the
// text (atStart), the spaces after it.
func trimAfterBot(s string, atStart bool) string {
	for _, sep := range []string{",", "、", ":", "："} {
		if rest, ok := strings.CutPrefix(s, sep); ok {
			s = rest
			break
		}
	}
	if atStart {
		s = strings.TrimLeft(s, " \t\u3000")
	}
	return s
}

func endsInSpace(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return s != "" && unicode.IsSpace(r)
}

// isID reports whether s looks like a Slack id: upper-case letters and
// digits.
func isID(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !('A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

func unescape(s string) string { return unescaper.Replace(s) }

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// liveToken finds the escaped forms of the tokens that stay live in
// outgoing text: user mentions and channel references.
var liveToken = regexp.MustCompile(`&lt;([@#][A-Z0-9]+)(?:\|[^&<>]*)?&gt;`)

// mrkdwn renders soudan's plain text for a mrkdwn text object: mass
// mentions are neutralised, & < > escaped, and bot.Mention tokens (and
// channel references "<#C1|name>") turned back into live Slack mentions.
func mrkdwn(s string) string {
	s = escaper.Replace(bot.Neutralize(s))
	return liveToken.ReplaceAllString(s, "<$1>")
}

// plain renders text for a plain_text object: mass mentions neutralised;
// nothing else is interpreted there.
func plain(s string) string { return bot.Neutralize(s) }
