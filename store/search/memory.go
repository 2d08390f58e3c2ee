package search

import (
	"math"
	"sort"
)

// MemCorpus is a few documents indexed in memory, by their position in
// the list they were made from: each field a weight of one, no boost, a
// term's every posting its own peak. Its cost grows with the documents'
// total length: it is for sets of hundreds (mentor profiles).
type MemCorpus struct {
	docs  [][]string
	index map[string][]Posting // in id order, as docs are added in order
	avg   float64
}

// NewMemCorpus indexes docs, each a document's fields; a document's id is
// its position in docs.
func NewMemCorpus(docs [][]string) *MemCorpus {
	c := &MemCorpus{docs: docs, index: map[string][]Posting{}}
	var total float64
	for i, d := range docs {
		fields := make([]Field, len(d))
		for j, f := range d {
			fields[j] = Field{Text: f, Weight: 1, Counted: true}
		}
		tf, n := Terms(fields)
		for term, f := range tf {
			c.index[term] = append(c.index[term], Posting{ID: uint64(i), TF: uint32(f), DL: uint32(n)})
		}
		total += float64(n)
	}
	c.avg = math.Max(total/float64(len(docs)), 1)
	return c
}

func (c *MemCorpus) Stats() (float64, float64) { return float64(len(c.docs)), c.avg }
func (c *MemCorpus) Scale() float64            { return 1 }
func (c *MemCorpus) AppendPostings(dst []Posting, term string) []Posting {
	return append(dst, c.index[term]...)
}
func (c *MemCorpus) Count(term string) int       { return len(c.index[term]) }
func (c *MemCorpus) Peaks(term string) []Posting { return c.index[term] }
func (c *MemCorpus) Lookup(id uint64, term string) (Posting, bool) {
	ps := c.index[term]
	i := sort.Search(len(ps), func(i int) bool { return ps[i].ID >= id })
	if i < len(ps) && ps[i].ID == id {
		return ps[i], true
	}
	return Posting{}, false
}
func (c *MemCorpus) MaxBoost() float64                          { return 1 }
func (c *MemCorpus) Fields(i uint64) ([]string, float64, error) { return c.docs[i], 1, nil }
func (c *MemCorpus) MaxID() uint64                              { return uint64(len(c.docs)) }
