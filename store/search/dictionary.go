package search

import (
	"slices"

	"github.com/soudan/soudan/store/text"
)

// Dictionary returns the synonym dictionary a search applies: builtin's
// groups without the words in off (those admins removed), and each of
// admin's groups joined with the groups its words have in what is left,
// so that adding カスミネット to 在宅勤務 makes it a synonym of テレワーク
// too. The words are normalised.
func Dictionary(builtin *text.Synonyms, off []string, admin [][]string) *text.Synonyms {
	var groups [][]string
	for _, g := range builtin.Groups() {
		groups = append(groups, slices.DeleteFunc(slices.Clone(g), func(w string) bool { return slices.Contains(off, w) }))
	}
	base := text.NewSynonyms(groups)
	for _, g := range admin {
		words := slices.Clone(g)
		for _, w := range g {
			for _, o := range base.Of(w) {
				if !slices.Contains(words, o) {
					words = append(words, o)
				}
			}
		}
		groups = append(groups, words)
	}
	return text.NewSynonyms(groups)
}
