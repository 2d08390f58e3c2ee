package store

import "github.com/soudan/soudan/store/search"

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
// checks and BM25, over term statistics built in memory from docs
// (search.MemCorpus), so its cost grows with their total length (keep it
// for sets of hundreds). A doc is a hit when it matches every word of the
// query; hits come best first, ties in the order of docs. A query with no
// words gives none.
func (tx *Tx) RankDocs(docs []Doc, query string) []DocHit {
	return tx.rankDocs(docs, query, search.Rank)
}

func (tx *Tx) rankDocs(docs []Doc, query string, rank rankFunc) []DocHit {
	words := search.ParseQuery(query, tx.synonyms())
	if len(words) == 0 || len(docs) == 0 {
		return nil
	}
	fields := make([][]string, len(docs))
	for i, d := range docs {
		fields[i] = d.Fields
	}
	c := search.NewMemCorpus(fields)
	// A memory corpus reads no file: rank has no error to give.
	found, _ := rank(c, words, len(docs), func(cov search.Coverage, _ float64) bool { return cov.Matched == cov.Of })
	hits := make([]DocHit, len(found))
	for i, f := range found {
		hits[i] = DocHit{ID: docs[f.ID].ID, Score: f.Score, Terms: f.Terms}
	}
	return hits
}
