package search

import "testing"

func TestPreferLang(t *testing.T) {
	foreign := func(id uint64) bool { return id >= 10 } // 10 and up: the other language
	for _, tc := range []struct {
		name string
		in   []Hit
		want []uint64
	}{
		{"as relevant: the asker's first",
			[]Hit{{ID: 10, Score: 2, Matched: 2}, {ID: 1, Score: 1.9, Matched: 2}, {ID: 2, Score: 1.8, Matched: 2}},
			[]uint64{1, 10, 2}},
		{"past several as relevant",
			[]Hit{{ID: 10, Score: 2, Matched: 1}, {ID: 11, Score: 1.9, Matched: 1}, {ID: 1, Score: 1.7, Matched: 1}},
			[]uint64{1, 10, 11}},
		{"only as far as it is as relevant",
			[]Hit{{ID: 10, Score: 3, Matched: 1}, {ID: 11, Score: 1.9, Matched: 1}, {ID: 1, Score: 1.7, Matched: 1}},
			[]uint64{10, 1, 11}},
		{"clearly more relevant: the other language first",
			[]Hit{{ID: 10, Score: 2, Matched: 2}, {ID: 1, Score: 1.5, Matched: 2}},
			[]uint64{10, 1}},
		{"more words matched: the other language first",
			[]Hit{{ID: 10, Score: 2, Matched: 2}, {ID: 1, Score: 1.99, Matched: 1}},
			[]uint64{10, 1}},
		{"the asker's first already: no change",
			[]Hit{{ID: 1, Score: 2, Matched: 1}, {ID: 10, Score: 1.9, Matched: 1}, {ID: 2, Score: 1.8, Matched: 1}},
			[]uint64{1, 10, 2}},
		{"only the first in the asker's language moves",
			[]Hit{{ID: 10, Score: 2, Matched: 1}, {ID: 1, Score: 1.1, Matched: 1}, {ID: 11, Score: 1, Matched: 1}, {ID: 2, Score: 1, Matched: 1}},
			[]uint64{10, 1, 11, 2}},
		{"none in the asker's language", []Hit{{ID: 10, Score: 2}, {ID: 11, Score: 1}}, []uint64{10, 11}},
		{"none", nil, nil},
	} {
		PreferLang(tc.in, foreign)
		var got []uint64
		for _, h := range tc.in {
			got = append(got, h.ID)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
}
