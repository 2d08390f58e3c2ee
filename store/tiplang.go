package store

import (
	"unicode"

	"github.com/soudan/soudan/store/text"
)

// Languages of tips and of the people who search them.
//
// A search prefers tips in the asker's language: the query's, when its
// script says it (kana or kanji: Japanese; Latin letters alone:
// English), else the asker's locale. When the best hits are in the other
// language, the best hit in the asker's language goes before those of
// them it is as relevant as: it matched as many of the query's words and
// scores at least otherLangWeight of it (the weight of a synonym: what
// separates a word from its translation). A tip in the other language
// that matched more words, or scores clearly more, keeps its place, and
// so does every hit after the first in the asker's language: moving the
// others too put tips that were no answer above answers in the other
// language (cmd/searcheval: nDCG@10 0.865 -> 0.855) for little gain.
// The hits and their scores are those of the search without a language;
// only their order changes, among the hits asked for, so the search reads
// nothing more (rankprune.go is untouched). Looking further down for a
// hit in the asker's language when none of those is (a second, wider
// search) changed no figure of cmd/searcheval and doubled the CPU time
// of searchbench -dense, and was left out.
//
// A tip's language is its Lang; a tip without one (imported without
// "lang") is taken to be in its title's script.

// The languages search tells apart.
const (
	LangJapanese = "ja"
	LangEnglish  = "en"
)

// otherLangWeight is the least share of a tip's score in the other
// language that a tip in the asker's language must score to go before it.
const otherLangWeight = synonymWeight

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

// foreignTip reports whether t is in another language than lang (false
// when either is unknown).
func foreignTip(t Tip, lang string) bool {
	if lang == "" {
		return false
	}
	tl := tipLang(t)
	return tl != "" && tl != lang
}

// preferLang reorders hits, best first, for an asker in a language:
// when the best hits are foreign, the first hit in the asker's language
// moves up past those of them it equals in words matched and scores at
// least otherLangWeight of, from the nearest, and stops at the first it
// does not. The rest keep their order.
func preferLang(hits []ranked, foreign func(id uint64) bool) {
	i := 0
	for i < len(hits) && foreign(hits[i].id) {
		i++
	}
	for j := i; j > 0 && j < len(hits); j-- {
		f, h := hits[j-1], hits[j]
		if h.matched < f.matched || h.score < otherLangWeight*f.score {
			break
		}
		hits[j-1], hits[j] = h, f
	}
}
