package teams

import (
	"html"
	"regexp"
	"slices"
	"strings"

	"github.com/soudan/soudan/bot"
)

// parsed is an incoming message's text in neutral form.
type parsed struct {
	text     string   // plain text with <@ID> mention tokens
	mentions []string // users mentioned, in order of first mention
	bot      bool     // the bot was mentioned (its mention removed)
}

var (
	lineBreak = regexp.MustCompile(`(?i)<br\s*/?>|</p>|</div>|</li>`)
	anyTag    = regexp.MustCompile(`<[^>]*>`)
	atTag     = regexp.MustCompile(`(?is)<at[^>]*>(.*?)</at>`)
	// wholeAt matches an entity text that is exactly one <at> tag, which is
	// how Teams sends mention entities.
	wholeAt = regexp.MustCompile(`(?is)^<at[^>]*>.*</at>$`)
)

// parseText turns the text of a Teams message into neutral text: each
// mention entity's "<at>Name</at>" becomes bot.Mention(id), the bot's own
// mention is removed, HTML is reduced to plain text and its entities
// unescaped. A "<@" the user typed is defused, so that text can never
// forge a mention token.
func parseText(act *activity) parsed {
	var out parsed
	var b strings.Builder
	rest := act.Text
	for rest != "" {
		i, e := nextMention(rest, act.entities)
		if e == nil {
			b.WriteString(plain(rest))
			break
		}
		b.WriteString(plain(rest[:i]))
		rest = rest[i+len(e.Text):]
		id := e.Mentioned.ID
		if id == act.Recipient.ID {
			out.bot = true
			rest = strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(rest, ","), "、"), " \t\u3000\u00a0")
			continue
		}
		b.WriteString(bot.Mention(id))
		if !slices.Contains(out.mentions, id) {
			out.mentions = append(out.mentions, id)
		}
	}
	// Fragments cut around mentions can splice into a new tag ("<" + "at>"),
	// so the assembled text is defused once more.
	out.text = strings.TrimSpace(collapseBlankLines(atTagOpen.ReplaceAllString(b.String(), "<\u200b$1")))
	return out
}

// nextMention finds the earliest mention entity whose text occurs in s.
func nextMention(s string, entities []entity) (int, *entity) {
	best, at := -1, (*entity)(nil)
	for k := range entities {
		e := &entities[k]
		if e.Type != "mention" || !wholeAt.MatchString(e.Text) || e.Mentioned == nil || e.Mentioned.ID == "" {
			continue // an entity whose text is not an <at> tag could cut a tag in two
		}
		if i := strings.Index(s, e.Text); i >= 0 && (best < 0 || i < best) {
			best, at = i, e
		}
	}
	return best, at
}

// plain reduces a fragment of Teams HTML to plain text.
func plain(s string) string {
	s = atTag.ReplaceAllString(s, "@$1") // a mention without an entity keeps its name
	s = lineBreak.ReplaceAllString(s, "\n")
	s = anyTag.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = html.UnescapeString(s)
	return strings.ReplaceAll(s, "<@", "<\u200b@")
}

// collapseBlankLines trims the spaces that HTML leaves at line ends and
// squeezes runs of blank lines into one.
func collapseBlankLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	out := lines[:0]
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
