package store

import (
	"fmt"
	"math"
	"slices"

	"github.com/soudan/soudan/store/search"
)

// Search of tips: an inverted index in the tips' own buckets, updated in
// the tip's transaction (its format: store/search's codec.go, written by
// tipindex.go), ranked by store/search.
//
// Terms are text.Tokens of the title, the tags and the body (latin words,
// Japanese character bigrams; stop words left out), and of the words the
// tip learned from questions (tiplearn.go). A term's frequency in a tip
// is weighted by field: a term in the title or a tag counts
// tipTitleWeight times a body term, a learned word's a quarter of one
// (in index units of tipTermScale per body term); the weighted
// frequencies of the tip's own fields sum to its length. SearchTips
// ranks with BM25 over these (BM25F-style field weights), with the
// helpful votes as a small prior.
//
// A query is cut into words, each with its synonyms as alternatives (see
// store/search's query.go). An alternative counts for a tip only when the tip has
// every term of it and the alternative itself appears in one of its fields
// under the text package's Matcher rules, where a longer place name that
// holds it other than at its start shadows it: 京都 is not found in 東京都
// (the bigram trap), 東京 still is. A word scores its best alternative
// found; a word of four or more characters not found whole still earns
// half the score of the bigrams it shares with the tip. A tip is a hit
// when it matches at least half the query's words (a word of one kanji or
// kana counts only when the query has nothing else: see search.ParseQuery), one
// of them not generic (方法, 申請: search.ParseQuery), and scores at least
// MinTipScore, so that weak matches give "nothing found".
//
// Terms also hold text.KanaStems (a kanji with the hiragana after it:
// 漏れ), so that an inflected query word finds its stem.

// Ranking parameters.
const (
	tipTitleWeight = 3 // a term in the title or a tag counts this many times
	// tipTermScale is the index's units per unit of field weight: a body
	// term counts tipTermScale, so that a learned word's term can count
	// less than one body term (tipLearnedWeight). BM25 scales its k1 by
	// it, so the scale itself changes no score.
	tipTermScale = 4
	// tipLearnedWeight is what a learned word's term counts, in index
	// units: a quarter of a body term.
	tipLearnedWeight = 1
	// MinTipScore is the least score of a search hit: below it a match is
	// noise (a word every tip has, a stray bigram).
	MinTipScore   = 0.3
	maxSearchHits = 100
)

// TipHit is one tip found by SearchTips.
type TipHit struct {
	Tip   Tip
	Score float64
	Terms []string // the query's words found in the tip, normalised
	// Learned are those of Terms found only among the words the tip
	// learned from questions (see tiplearn.go), not in its own text.
	Learned []string
	// Translated, when set, is the tip the search found, in another
	// language than the asker's: Tip is its translation in the asker's
	// (tiptranslations.go), and Terms are none.
	Translated uint64
}

// TipQueryWords returns the words SearchTips looks for in query,
// normalised; none means the query has nothing to search for.
func TipQueryWords(query string) []string {
	var out []string
	for _, w := range search.ParseQuery(query, builtinDict()) {
		out = append(out, w.Text)
	}
	return out
}

// SearchTips returns up to n tips matching query, best first (see the
// comments on search above and on query parsing at search.ParseQuery), for an
// asker in the query's script's language (SearchTipsIn). A query with no
// words, or no tip scoring at least MinTipScore, gives none.
func (tx *Tx) SearchTips(query string, n int) ([]TipHit, error) {
	return tx.SearchTipsIn(query, QueryLang(query, ""), n)
}

// SearchTipsIn is SearchTips for an asker in lang ("ja", "en"; "" for no
// preference): when the best hits are in the other language, the best
// hit in lang goes before those it is as relevant as (tiplang.go). The
// caller decides lang, as a rule QueryLang of what the asker wrote with
// their locale as the fallback.
func (tx *Tx) SearchTipsIn(query, lang string, n int) ([]TipHit, error) {
	return tx.searchTips(query, lang, n, search.Rank)
}

// rankFunc is rank, or the exhaustive search the tests compare it with.
type rankFunc func(c search.Corpus, words []search.Word, n int, accept search.Accept) ([]search.Hit, error)

func (tx *Tx) searchTips(query, lang string, n int, rank rankFunc) ([]TipHit, error) {
	if n <= 0 {
		return nil, nil
	}
	n = min(n, maxSearchHits)
	words := search.ParseQuery(query, tx.synonyms())
	if len(words) == 0 {
		return nil, nil
	}
	c := newTipCorpus(tx)
	stats := tx.bucket(bktTipStats)
	c.docs = float64(readUvarint(stats.Get([]byte(tipStatDocs))))
	if c.docs == 0 {
		return nil, nil
	}
	c.avg = math.Max(float64(readUvarint(stats.Get([]byte(tipStatLen))))/c.docs, 1)
	accept := func(cov search.Coverage, score float64) bool {
		return cov.Matched > 0 && cov.Content > 0 && 2*cov.Matched >= cov.Of && score >= MinTipScore
	}
	foreign := func(id uint64) bool { return foreignTip(c.tips[id], lang) }
	want := n
	for {
		found, err := rank(c, words, want, accept)
		if err != nil {
			return nil, fmt.Errorf("search tips: %w", err)
		}
		search.PreferLang(found, foreign)
		hits, err := tx.tipHits(c, found, lang)
		if err != nil {
			return nil, fmt.Errorf("search tips: %w", err)
		}
		// A group of translations shows once: with fewer hits than
		// asked for and more to be had, ask for as many more.
		if len(hits) >= n || len(found) < want || want >= maxSearchHits {
			return hits[:min(n, len(hits))], nil
		}
		want = min(want+n-len(hits), maxSearchHits)
	}
}

// tipHits makes the hits of found, best first, each group of
// translations once (tiptranslations.go): at the place of its best hit,
// as its hit in lang, or when none of its hits is in lang but one of its
// tips is, that tip in the place of the best (TipHit.Translated).
func (tx *Tx) tipHits(c *tipCorpus, found []search.Hit, lang string) ([]TipHit, error) {
	hits := make([]TipHit, 0, len(found))
	groups := map[uint64]int{} // a group's least id -> its hit's index
	for _, f := range found {
		h := TipHit{Tip: c.tips[f.ID], Score: f.Score, Terms: f.Terms}
		if len(tx.tipLearned(f.ID)) > 0 {
			own, _ := tipTerms(h.Tip, nil)
			for _, term := range f.Terms {
				if !holdsAll(own, search.QueryTerms(term)) {
					h.Learned = append(h.Learned, term)
				}
			}
		}
		if len(h.Tip.Translations) == 0 {
			hits = append(hits, h)
			continue
		}
		key := min(h.Tip.ID, slices.Min(h.Tip.Translations))
		i, seen := groups[key]
		switch {
		case !seen:
			groups[key] = len(hits)
			if foreignTip(h.Tip, lang) {
				t, ok, err := tx.translationIn(h.Tip, lang)
				if err != nil {
					return nil, err
				}
				if ok {
					h = TipHit{Tip: t, Score: h.Score, Translated: h.Tip.ID}
				}
			}
			hits = append(hits, h)
		case hits[i].Translated != 0 && hits[i].Tip.ID == h.Tip.ID:
			// The tip put in its translation's place is a hit itself,
			// lower: its own words and score, at the better place.
			h.Score = hits[i].Score
			hits[i] = h
		}
	}
	return hits, nil
}

// translationIn returns t's translation in lang, if it has one.
func (tx *Tx) translationIn(t Tip, lang string) (Tip, bool, error) {
	ts, err := tx.tipsOf(t.Translations)
	if err != nil {
		return Tip{}, false, err
	}
	for _, o := range ts {
		if tipLang(o) == lang {
			return o, true, nil
		}
	}
	return Tip{}, false, nil
}

func newTipCorpus(tx *Tx) *tipCorpus {
	return &tipCorpus{tx: tx, tips: map[uint64]Tip{}, counts: map[string]termStat{}, terms: map[uint64]tipTermFreqs{},
		postings: map[string][]search.Posting{}}
}

// tipCorpus is the tip index, for search.Rank.
type tipCorpus struct {
	tx        *Tx
	docs, avg float64
	tips      map[uint64]Tip // the tips rank looked at
	counts    map[string]termStat
	terms     map[uint64]tipTermFreqs     // the tips rank looked terms up in
	postings  map[string][]search.Posting // the postings rank read
}

// termStat is how many tips have a term, and its peaks (tipstats.go).
type termStat struct {
	df    int
	peaks []search.Posting
}

// tipTermFreqs is a tip's weighted term frequencies and length.
type tipTermFreqs struct {
	tf map[string]uint64
	dl uint64
}

func (c *tipCorpus) Stats() (float64, float64) { return c.docs, c.avg }
func (c *tipCorpus) Scale() float64            { return tipTermScale }

// AppendPostings appends term's postings to dst, decoding them once per
// search: a search that ranks again for more hits (searchTips, when a
// group of translations shows once) reads them again free.
func (c *tipCorpus) AppendPostings(dst []search.Posting, term string) []search.Posting {
	ps, ok := c.postings[term]
	if !ok {
		ps = slices.Clip(c.tx.appendPostings(nil, term))
		c.postings[term] = ps
	}
	if len(dst) == 0 {
		return ps // clipped: an append copies
	}
	return append(dst, ps...)
}

func (c *tipCorpus) termStat(term string) termStat {
	st, ok := c.counts[term]
	if !ok {
		var found bool
		if st.df, st.peaks, found = c.tx.termStats(term); !found {
			st = termStat{df: c.tx.termCount(term)}
		}
		c.counts[term] = st
	}
	return st
}

func (c *tipCorpus) Count(term string) int              { return c.termStat(term).df }
func (c *tipCorpus) Peaks(term string) []search.Posting { return c.termStat(term).peaks }

// Lookup finds term in tip id's own text and learned words, counted as
// the index counts them (tipTerms), so that a few tips are scored
// exactly without decoding the postings of their terms.
func (c *tipCorpus) Lookup(id uint64, term string) (search.Posting, bool) {
	f, ok := c.terms[id]
	if !ok {
		t, err := c.tip(id)
		if err != nil {
			return search.Posting{}, false
		}
		f.tf, f.dl = tipTerms(t, c.tx.tipLearned(id))
		c.terms[id] = f
	}
	tf, ok := f.tf[term]
	return search.Posting{ID: id, TF: uint32(tf), DL: uint32(f.dl)}, ok
}

func (c *tipCorpus) tip(id uint64) (Tip, error) {
	t, ok := c.tips[id]
	if !ok {
		var err error
		if t, err = getByID[Tip](c.tx, bktTips, id); err != nil {
			return Tip{}, err
		}
		c.tips[id] = t
	}
	return t, nil
}

func (c *tipCorpus) MaxID() uint64 { return c.tx.bucket(bktTips).Sequence() }

// MaxBoost bounds the boost of fields: the most helpful tip's prior.
func (c *tipCorpus) MaxBoost() float64 {
	return prior(int(readUvarint(c.tx.bucket(bktTipStats).Get([]byte(tipStatMaxHelpful)))))
}

func (c *tipCorpus) Fields(id uint64) ([]string, float64, error) {
	t, err := c.tip(id)
	if err != nil {
		return nil, 0, err
	}
	fs := append([]string{t.Title, t.Body}, t.Tags...)
	for _, l := range c.tx.tipLearned(id) {
		fs = append(fs, l.Word)
	}
	return fs, prior(t.Helpful), nil
}

// prior is the weight of a tip's helpful votes in its score: a little,
// growing slowly.
func prior(helpful int) float64 { return 1 + 0.05*math.Log1p(float64(max(helpful, 0))) }
