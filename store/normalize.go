package store

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Normalize folds a name for matching: NFKC (so full-width "ＩＴ" becomes
// "IT" and half-width kana become full-width), lower case, trimmed, with
// every run of white space (including the ideographic space U+3000)
// collapsed to one ASCII space. Topic names, aliases and user names are
// indexed and looked up by their normalized form.
func Normalize(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(norm.NFKC.String(s))), " ")
}
