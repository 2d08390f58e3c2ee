package search

import (
	"slices"
	"testing"

	"github.com/soudan/soudan/store/text"
)

// TestDictionary: an admin's group takes in the built-in groups of its
// words, and a word admins removed leaves every built-in group.
func TestDictionary(t *testing.T) {
	builtin := text.NewSynonyms([][]string{{"在宅勤務", "テレワーク", "telework"}, {"子ども", "子供", "こども"}})
	d := Dictionary(builtin, []string{"こども"}, [][]string{{"カスミネット", "在宅勤務"}, {"霞が関", "本省"}})
	for _, tc := range []struct {
		word string
		want []string
	}{
		{"カスミネット", []string{"在宅勤務", "テレワーク", "telework"}},
		{"テレワーク", []string{"在宅勤務", "telework", "カスミネット"}},
		{"霞が関", []string{"本省"}},
		{"子ども", []string{"子供"}},
		{"こども", nil},
	} {
		got := d.Of(tc.word)
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("Of(%q) = %q, want %q", tc.word, got, want)
		}
	}
	// The built-in dictionary itself is left as it was.
	if got := builtin.Of("こども"); len(got) != 2 {
		t.Errorf("the built-in dictionary changed: Of(こども) = %q", got)
	}
}
