package search

import (
	"unicode"

	"github.com/soudan/soudan/store/text"
)

// The languages search tells apart.
const (
	LangJapanese = "ja"
	LangEnglish  = "en"
)

// ScriptLang is the language s's letters are written in: LangJapanese
// when it has kana or kanji, LangEnglish when it has Latin letters only,
// "" when it has neither (digits, symbols).
func ScriptLang(s string) string {
	latin := false
	for _, r := range s {
		switch text.ScriptOf(r) {
		case text.Kanji, text.Hiragana, text.Katakana:
			return LangJapanese
		case text.Latin:
			if unicode.Is(unicode.Latin, r) {
				latin = true
			}
		}
	}
	if latin {
		return LangEnglish
	}
	return ""
}

// otherLangWeight is the least share of a hit's score in the other
// language that a hit in the asker's language must score to go before
// it: the weight of a synonym, what separates a word from its
// translation.
const otherLangWeight = synonymWeight

// PreferLang reorders hits, best first, for an asker in a language
// (foreign reports a document in the other one): when the best hits are
// foreign, the first hit in the asker's language moves up past those of
// them it equals in words matched and scores at least otherLangWeight of,
// from the nearest, and stops at the first it does not. The rest keep
// their order: moving every hit in the asker's language up put hits that
// were no answer above answers in the other language (the store's
// tiplang.go says what was measured).
func PreferLang(hits []Hit, foreign func(id uint64) bool) {
	i := 0
	for i < len(hits) && foreign(hits[i].ID) {
		i++
	}
	for j := i; j > 0 && j < len(hits); j-- {
		f, h := hits[j-1], hits[j]
		if h.Matched < f.Matched || h.Score < otherLangWeight*f.Score {
			break
		}
		hits[j-1], hits[j] = h, f
	}
}
