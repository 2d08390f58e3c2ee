package console

import (
	"strings"

	"github.com/soudan/soudan/bot"
)

// lineKind says what an input line is.
type lineKind int

const (
	lineSkip    lineKind = iota // blank, or a ":#" comment
	lineMeta                    // ":as 佐藤", ":press 1", ...
	lineCommand                 // "/soudan ask ..."
	linePost                    // anything else
)

// parseLine classifies one input line. For a meta-line, word is its name in
// lower case without the colon and rest its arguments; for a command, rest
// is the text after "/"+botName; for a post, rest is the whole text. All
// are trimmed of surrounding white space.
func parseLine(botName, line string) (kind lineKind, word, rest string) {
	line = strings.TrimSpace(line)
	switch {
	case line == "" || strings.HasPrefix(line, ":#"):
		return lineSkip, "", ""
	case strings.HasPrefix(line, ":"):
		word, rest = bot.CutWord(line[1:])
		return lineMeta, strings.ToLower(word), strings.TrimSpace(rest)
	}
	if first, after := bot.CutWord(line); strings.EqualFold(first, "/"+botName) {
		return lineCommand, "", strings.TrimSpace(after)
	}
	return linePost, "", line
}
