package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"

	"github.com/soudan/soudan/store"
)

// engine is a search engine under measurement.
type engine interface {
	name() string
	// search returns the ids of the tips found for q, best first, at most
	// cutoff; none means "nothing found".
	search(q string) ([]string, error)
	close() error
}

// soudanEngine is soudan's own search: the store's index in a bbolt file.
type soudanEngine struct {
	st  *store.Store
	dir string
	ids map[uint64]string
}

func newSoudan(tips []tip) (*soudanEngine, error) {
	dir, err := os.MkdirTemp("", "searcheval")
	if err != nil {
		return nil, err
	}
	st, err := store.Open(filepath.Join(dir, "eval.db"), store.Options{})
	if err != nil {
		return nil, err
	}
	e := &soudanEngine{st: st, dir: dir, ids: map[uint64]string{}}
	err = st.Update(func(tx *store.Tx) error {
		for _, t := range tips {
			got, err := tx.CreateTip(store.Tip{Title: t.Title, Body: t.Body, Tags: t.Tags, Lang: t.Lang, Author: 1})
			if err != nil {
				return fmt.Errorf("tip %s: %w", t.ID, err)
			}
			e.ids[got.ID] = t.ID
		}
		return nil
	})
	return e, err
}

func (e *soudanEngine) name() string { return "soudan" }

func (e *soudanEngine) search(q string) ([]string, error) {
	var out []string
	err := e.st.View(func(tx *store.Tx) error {
		hits, err := tx.SearchTips(q, cutoff)
		for _, h := range hits {
			out = append(out, e.ids[h.Tip.ID])
		}
		return err
	})
	return out, err
}

func (e *soudanEngine) close() error {
	err := e.st.Close()
	_ = os.RemoveAll(e.dir)
	return err
}

// bleveEngine is bleve v2 with its cjk analyzer (unicode segmentation,
// width folding, lower case, CJK bigrams) on every field, queried with a
// match query on the composite field: how a keyword engine does it.
type bleveEngine struct {
	idx bleve.Index
}

// bleveDoc is a tip as bleve indexes it.
type bleveDoc struct {
	Title string   `json:"title"`
	Body  string   `json:"body"`
	Tags  []string `json:"tags"`
}

func newBleve(tips []tip) (*bleveEngine, error) {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = cjk.AnalyzerName
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		return nil, err
	}
	b := idx.NewBatch()
	for _, t := range tips {
		if err := b.Index(t.ID, bleveDoc{Title: t.Title, Body: t.Body, Tags: t.Tags}); err != nil {
			return nil, err
		}
	}
	return &bleveEngine{idx: idx}, idx.Batch(b)
}

func (e *bleveEngine) name() string { return "bleve cjk" }

func (e *bleveEngine) search(q string) ([]string, error) {
	mq := bleve.NewMatchQuery(q)
	mq.Analyzer = cjk.AnalyzerName
	res, err := e.idx.Search(bleve.NewSearchRequestOptions(mq, cutoff, 0, false))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out, nil
}

func (e *bleveEngine) close() error { return e.idx.Close() }
