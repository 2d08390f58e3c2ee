// Package text normalises, tokenises and matches the mixed Japanese and
// English text soudan reads: topic names and aliases, questions, mentor
// profiles, department names and tips.
//
// Three forms of a string are used:
//
//   - Normalize: NFKC (full-width and half-width unified), case-folded,
//     invisible characters removed, white space collapsed. Every lookup
//     and every index key starts from it.
//   - Fold: Normalize without spaces and name separators ("・", "/", "-",
//     ...), a key form for names typed differently ("IT・Teams" ==
//     "it teams" == "ＩＴ／Ｔｅａｍｓ"; "総務課" == "総務 課").
//   - Tokens: the search terms of a text: latin words at word boundaries,
//     character bigrams of Japanese runs; KanaStems adds the stems of
//     inflected words (漏れ in 漏れやすい).
//
// Synonyms is a dictionary of synonym and variant groups; the built-in
// one for the public service is synonyms.txt (BuiltinSynonyms).
//
// The package is a leaf: it imports only the standard library and
// golang.org/x/text. Every function accepts arbitrary bytes; invalid UTF-8
// becomes U+FFFD and never panics.
package text
