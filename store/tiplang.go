package store

import "github.com/soudan/soudan/store/search"

// Languages of tips and of the people who search them.
//
// A search prefers tips in the asker's language: the query's, when its
// script says it (kana or kanji: Japanese; Latin letters alone:
// English), else the asker's locale. When the best hits are in the other
// language, the best hit in the asker's language goes before those of
// them it is as relevant as: it matched as many of the query's words and
// scores at least 0.8 of it (the weight of a synonym: what separates a
// word from its translation; search.PreferLang). A tip in the other language
// that matched more words, or scores clearly more, keeps its place, and
// so does every hit after the first in the asker's language: moving the
// others too put tips that were no answer above answers in the other
// language (cmd/searcheval: nDCG@10 0.865 -> 0.855) for little gain.
// The hits and their scores are those of the search without a language;
// only their order changes, among the hits asked for, so the search reads
// nothing more (the pruning is untouched). Looking further down for a
// hit in the asker's language when none of those is (a second, wider
// search) changed no figure of cmd/searcheval and doubled the CPU time
// of searchbench -dense, and was left out.
//
// A tip's language is its Lang; a tip without one (imported without
// "lang") is taken to be in its title's script.

// The languages search tells apart.
const (
	LangJapanese = search.LangJapanese
	LangEnglish  = search.LangEnglish
)

// QueryLang returns the language of a query: Japanese when it has kana or
// kanji, English when it has Latin letters and no Japanese, else fallback
// (the asker's locale; "" for no preference).
func QueryLang(query, fallback string) string {
	if l := search.ScriptLang(query); l != "" {
		return l
	}
	return fallback
}

// tipLang is t's language: its Lang, else its title's script's.
func tipLang(t Tip) string {
	if t.Lang != "" {
		return t.Lang
	}
	if l := search.ScriptLang(t.Title); l != "" {
		return l
	}
	return search.ScriptLang(t.Body)
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
