// Package figurestest is the disclosure tests' judge, written apart from
// figures.Publish: plain linear algebra over the rationals on the
// membership vectors of the groups an output shows. Tests of figures and
// of every feature that shows survey figures use it.
package figurestest

import (
	"math/big"
	"slices"
)

// span is the row space of some 0/1 vectors, kept in reduced row echelon
// form.
type span struct {
	rows  [][]*big.Rat
	pivot []int // pivot column of each row
}

// newSpan is the span of vectors, each of length n.
func newSpan(vectors [][]bool, n int) *span {
	s := &span{}
	for _, v := range vectors {
		row := make([]*big.Rat, n)
		for j := range row {
			row[j] = new(big.Rat)
			if v[j] {
				row[j].SetInt64(1)
			}
		}
		s.add(row)
	}
	return s
}

// reduce subtracts the span's rows from row, in place.
func (s *span) reduce(row []*big.Rat) {
	tmp := new(big.Rat)
	for i, r := range s.rows {
		p := s.pivot[i]
		if row[p].Sign() == 0 {
			continue
		}
		f := new(big.Rat).Set(row[p])
		for j := range row {
			if r[j].Sign() != 0 {
				row[j].Sub(row[j], tmp.Mul(f, r[j]))
			}
		}
	}
}

// add puts row in the span (a row already in it changes nothing).
func (s *span) add(row []*big.Rat) {
	s.reduce(row)
	p := slices.IndexFunc(row, func(x *big.Rat) bool { return x.Sign() != 0 })
	if p < 0 {
		return
	}
	inv := new(big.Rat).Inv(row[p])
	for j := range row {
		row[j].Mul(row[j], inv)
	}
	tmp := new(big.Rat)
	for i, r := range s.rows {
		if r[p].Sign() != 0 {
			f := new(big.Rat).Set(r[p])
			for j := range r {
				r[j].Sub(r[j], tmp.Mul(f, row[j]))
			}
			s.rows[i] = r
		}
	}
	s.rows = append(s.rows, row)
	s.pivot = append(s.pivot, p)
}

// contains reports whether the 0/1 vector v lies in the span.
func (s *span) contains(v []bool) bool {
	row := make([]*big.Rat, len(v))
	for j := range row {
		row[j] = new(big.Rat)
		if v[j] {
			row[j].SetInt64(1)
		}
	}
	s.reduce(row)
	return !slices.ContainsFunc(row, func(x *big.Rat) bool { return x.Sign() != 0 })
}

// Isolated looks for a set of people that some sum or difference of the
// published groups picks out, with 1 to k-1 people in it. People are
// counted by cell: weight[c] people are in cell c (respondents, invitees
// or an item's answerers), and published[g][c] says whether group g
// holds cell c. It returns the cells of such a set, or nil.
//
// A combination of published vectors is constant on cells that belong to
// the same published groups (its "classes"): a combination that is a 0/1
// vector over people picks out a union of classes. So it tries every
// union of classes holding 1 to k-1 people (classes of k or more are too
// big to be in one), and asks the span whether its indicator lies in it.
// limit bounds the unions tried (ok is false when it was reached).
func Isolated(published [][]bool, weight []int, k, limit int) (cells []int, ok bool) {
	var cols []int // cells with people in them: the coordinates
	for c, w := range weight {
		if w > 0 {
			cols = append(cols, c)
		}
	}
	vectors := make([][]bool, len(published))
	for g, in := range published {
		vectors[g] = make([]bool, len(cols))
		for j, c := range cols {
			vectors[g][j] = in[c]
		}
	}
	sp := newSpan(vectors, len(cols))
	// Classes: columns with the same membership; a column in no group is
	// zero in every combination and never picked out.
	type class struct {
		cols []int
		w    int
	}
	byKey := map[string]int{}
	var classes []class
	for j, c := range cols {
		key := make([]byte, len(published))
		any := false
		for g := range published {
			if vectors[g][j] {
				key[g], any = 1, true
			}
		}
		if !any {
			continue
		}
		i, seen := byKey[string(key)]
		if !seen {
			i = len(classes)
			byKey[string(key)] = i
			classes = append(classes, class{})
		}
		classes[i].cols = append(classes[i].cols, j)
		classes[i].w += weight[c]
	}
	var small []class
	for _, cl := range classes {
		if cl.w < k {
			small = append(small, cl)
		}
	}
	tried := 0
	var found []int
	var walk func(from, sum int, picked []int) bool
	walk = func(from, sum int, picked []int) bool {
		if sum > 0 {
			tried++
			v := make([]bool, len(cols))
			for _, j := range picked {
				v[j] = true
			}
			if sp.contains(v) {
				for _, j := range picked {
					found = append(found, cols[j])
				}
				return true
			}
			if tried >= limit {
				return true
			}
		}
		for i := from; i < len(small); i++ {
			if sum+small[i].w < k && walk(i+1, sum+small[i].w, append(slices.Clone(picked), small[i].cols...)) {
				return true
			}
		}
		return false
	}
	walk(0, 0, nil)
	slices.Sort(found)
	return found, tried < limit || found != nil
}
