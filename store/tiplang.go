package store

import (
	"unicode"

	"github.com/soudan/soudan/store/text"
)

// Languages of tips and of the people who search them.
//
// A search prefers tips in the asker's language: the query's, when its
// script says it (kana or kanji: Japanese; Latin letters alone:
// English), else the asker's locale. A tip in another language scores
// otherLangWeight of what it would in the asker's: among equally relevant
// tips the asker's come first, while a tip in the other language that is
// clearly more relevant (by more than 1/otherLangWeight) still leads. The
// weight is part of a tip's boost, with the helpful prior, and never above
// 1, so the bounds that prune the search (rankprune.go) hold as they are
// and nothing more is read.
//
// A tip's language is its Lang; a tip without one (imported without
// "lang") is taken to be in its title's script.

// The languages search tells apart.
const (
	LangJapanese = "ja"
	LangEnglish  = "en"
)

// otherLangWeight is what a tip in another language than the asker's
// scores, of what it would in the asker's.
const otherLangWeight = 0.8

// QueryLang returns the language of a query: Japanese when it has kana or
// kanji, English when it has Latin letters and no Japanese, else fallback
// (the asker's locale; "" for no preference).
func QueryLang(query, fallback string) string {
	if l := scriptLang(query); l != "" {
		return l
	}
	return fallback
}

// scriptLang is the language s's letters are written in: ja when it has
// kana or kanji, en when it has Latin letters only, "" when it has
// neither (digits, symbols).
func scriptLang(s string) string {
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

// tipLang is t's language: its Lang, else its title's script's.
func tipLang(t Tip) string {
	if t.Lang != "" {
		return t.Lang
	}
	if l := scriptLang(t.Title); l != "" {
		return l
	}
	return scriptLang(t.Body)
}

// langWeight is what t scores for an asker in lang: 1 in their language
// (or when either is unknown), otherLangWeight in another.
func langWeight(t Tip, lang string) float64 {
	if lang == "" {
		return 1
	}
	if tl := tipLang(t); tl != "" && tl != lang {
		return otherLangWeight
	}
	return 1
}
