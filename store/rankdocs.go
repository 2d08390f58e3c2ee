package store

import (
	"math"
	"sort"

	"github.com/soudan/soudan/store/text"
)

// Doc is a text RankDocs ranks: an id of the caller's and its fields.
type Doc struct {
	ID     uint64
	Fields []string
}

// DocHit is one doc RankDocs found.
type DocHit struct {
	ID    uint64
	Score float64
	Terms []string // the query's words (or their synonyms) found, normalised
}

// RankDocs ranks a few docs, such as mentor profiles, against query the
// way SearchTips ranks tips: the same words, synonyms, kana stems, bigram
// checks and BM25, over term statistics built in memory from docs, so its
// cost grows with their total length (keep it for sets of hundreds). A doc
// is a hit when it matches every word of the query; hits come best first,
// ties in the order of docs. A query with no words gives none.
func (tx *Tx) RankDocs(docs []Doc, query string) []DocHit {
	return tx.rankDocs(docs, query, rank)
}

func (tx *Tx) rankDocs(docs []Doc, query string, rank rankFunc) []DocHit {
	words := parseTipQuery(query, tx.synonyms())
	if len(words) == 0 || len(docs) == 0 {
		return nil
	}
	c := newMemCorpus(docs)
	found, _ := rank(c, words, len(docs), func(cov coverage, _ float64) bool { return cov.matched == cov.of })
	hits := make([]DocHit, len(found))
	for i, f := range found {
		hits[i] = DocHit{ID: docs[f.id].ID, Score: f.score, Terms: f.terms}
	}
	return hits
}

// newMemCorpus indexes docs in memory, by their position in docs.
func newMemCorpus(docs []Doc) *memCorpus {
	c := &memCorpus{docs: docs, index: map[string][]post{}}
	var total float64
	for i, d := range docs {
		tf := map[string]uint32{}
		var n uint32
		for _, f := range d.Fields {
			for _, tok := range text.Tokens(f) {
				if !tok.Stop {
					tf[tok.Text]++
					n++
				}
			}
			for _, st := range text.KanaStems(f) {
				tf[st.Text]++
			}
		}
		for term, f := range tf {
			c.index[term] = append(c.index[term], post{id: uint64(i), tf: f, dl: n})
		}
		total += float64(n)
	}
	c.avg = math.Max(total/float64(len(docs)), 1)
	return c
}

// memCorpus is docs indexed in memory, by their position in docs.
type memCorpus struct {
	docs  []Doc
	index map[string][]post // in id order, as docs are added in order
	avg   float64
}

func (c *memCorpus) stats() (float64, float64) { return float64(len(c.docs)), c.avg }
func (c *memCorpus) scale() float64            { return 1 }
func (c *memCorpus) appendPostings(dst []post, term string) []post {
	return append(dst, c.index[term]...)
}
func (c *memCorpus) count(term string) int    { return len(c.index[term]) }
func (c *memCorpus) peaks(term string) []post { return c.index[term] }
func (c *memCorpus) lookup(id uint64, term string) (post, bool) {
	ps := c.index[term]
	i := sort.Search(len(ps), func(i int) bool { return ps[i].id >= id })
	if i < len(ps) && ps[i].id == id {
		return ps[i], true
	}
	return post{}, false
}
func (c *memCorpus) maxBoost() float64                          { return 1 }
func (c *memCorpus) fields(i uint64) ([]string, float64, error) { return c.docs[i].Fields, 1, nil }
func (c *memCorpus) maxID() uint64                              { return uint64(len(c.docs)) }
