package main

import (
	"fmt"
	"math/rand/v2"

	"github.com/soudan/soudan/handlers/connections/pairing"
)

// organisation is a synthetic organisation: departments of uneven size
// (a few large bureaus, many small sections), join years from new hires
// to forty years, postings (the head office and branch offices), and a
// few who read English.
type organisation struct {
	people []pairing.Person
}

func newOrganisation(n int, seed uint64, depts int) organisation {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	if depts <= 0 {
		depts = max(4, n/30) // 50 -> 4, 1,170 -> 39
	}
	posts := max(2, n/100)
	// Department sizes fall off as 1/rank: the first holds about a
	// quarter of the staff at 50 people, a tenth at 1,170.
	weights := make([]float64, depts)
	var total float64
	for i := range weights {
		weights[i] = 1 / float64(i+1)
		total += weights[i]
	}
	org := organisation{people: make([]pairing.Person, n)}
	for i := range org.people {
		x := r.Float64() * total
		d := 0
		for d < depts-1 && x > weights[d] {
			x -= weights[d]
			d++
		}
		p := pairing.Person{
			ID:         pairing.ID(fmt.Sprintf("U%05d", i)),
			Department: fmt.Sprintf("局%02d", d),
			JoinYear:   2026 - r.IntN(40),
			Posting:    "本庁",
			Languages:  []string{"ja"},
		}
		if r.IntN(3) == 0 {
			p.Posting = fmt.Sprintf("支所%02d", r.IntN(posts))
		}
		if r.IntN(8) == 0 {
			p.Languages = append(p.Languages, "en")
		}
		org.people[i] = p
	}
	return org
}
