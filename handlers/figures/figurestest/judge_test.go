package figurestest

import (
	"slices"
	"testing"
)

// TestIsolated: {a,b} minus {b} picks out a; {a,b} and {b,c} pick out no
// single cell (a and c are separate classes, but no combination of the
// two is the indicator of one of them); a class of k or more is safe.
func TestIsolated(t *testing.T) {
	for _, c := range []struct {
		name      string
		published [][]bool
		weight    []int
		k         int
		want      []int
	}{
		{"difference", [][]bool{{true, true, false}, {false, true, false}}, []int{1, 5, 5}, 3, []int{0}},
		{"overlap only", [][]bool{{true, true, false}, {false, true, true}}, []int{1, 5, 1}, 3, nil},
		{"big enough", [][]bool{{true, true, false}, {false, true, false}}, []int{3, 5, 5}, 3, nil},
		{"sum of two small", [][]bool{{true, true, true}, {false, false, true}}, []int{1, 1, 5}, 3, []int{0, 1}},
		{"a cell in no group", [][]bool{{false, true}}, []int{1, 5}, 3, nil},
	} {
		got, ok := Isolated(c.published, c.weight, c.k, 1000)
		if !ok || !slices.Equal(got, c.want) {
			t.Errorf("%s: Isolated = %v, %v; want %v", c.name, got, ok, c.want)
		}
	}
}
