package knowledge

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/soudan/soudan/store"
)

// RelatedTips finds up to n tips that may answer a question (for a new
// consultation): the tip search over the question's content words (its
// latin words and kanji/katakana runs; the hiragana between them, such
// as 「のですが」, says nothing of the topic), with the search's own
// threshold, so that nothing weak is offered, for an asker in the
// question's language (its script: 「VPNがつながらない」 is Japanese
// though its one content word is not; else locale, the asker's). It
// satisfies consult.RelatedTips.
func (a *Feature) RelatedTips(ctx context.Context, text, locale string, n int) ([]store.Tip, error) {
	q := relatedQuery(text)
	if q == "" || n <= 0 {
		return nil, nil
	}
	var hits []store.TipHit
	err := a.View(func(tx *store.Tx) (err error) {
		hits, err = tx.SearchTipsIn(q, store.QueryLang(text, locale), n)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("related tips: %w", err)
	}
	out := make([]store.Tip, len(hits))
	for i, h := range hits {
		out[i] = h.Tip
	}
	return out, nil
}

// relatedQuery is the search query of a question: its words less those
// made of hiragana only.
func relatedQuery(text string) string {
	var words []string
	for _, w := range store.TipQueryWords(text) {
		if !strings.ContainsFunc(w, func(r rune) bool { return !unicode.Is(unicode.Hiragana, r) && r != 'ー' }) {
			continue
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}
