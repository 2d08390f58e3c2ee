package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/soudan/soudan/store/text"
)

// Search of tips: an inverted index in the tips' own buckets, updated in
// the tip's transaction.
//
// Terms are text.Tokens of the title, the tags and the body (latin words,
// Japanese character bigrams; stop words left out). A term's frequency in
// a tip is weighted by field: a term in the title or a tag counts
// tipTitleWeight times, in the body once; the weighted frequencies sum to
// the tip's length. SearchTips ranks with BM25 over these (BM25F-style
// field weights), with the helpful votes as a small prior.
//
// A query is cut into words: its latin words and its Japanese runs (a
// kanji or katakana run, or a hiragana run that is not a particle). A
// word counts for a tip only when the tip has every bigram of the word
// and the word itself appears in one of its fields under the text
// package's Matcher rules, where a longer place name that holds the word
// other than at its start shadows it: 京都 is not found in 東京都 (the
// bigram trap), 東京 still is. A word of four or more characters not found
// whole still earns half the score of the bigrams it shares with the tip.
// A tip is a hit when it matches at least half the query's words and
// scores at least MinTipScore, so that weak matches give "nothing found".

// Ranking parameters.
const (
	tipTitleWeight = 3 // a term in the title or a tag counts this many times
	bm25K1         = 1.2
	bm25B          = 0.75
	// MinTipScore is the least score of a search hit: below it a match is
	// noise (a word every tip has, a stray bigram).
	MinTipScore    = 0.3
	maxQueryWords  = 16
	maxQueryBytes  = 1000
	maxSearchHits  = 100
	partialMinToks = 3 // a word with this many bigrams may match in part
)

// TipHit is one tip found by SearchTips.
type TipHit struct {
	Tip   Tip
	Score float64
	Terms []string // the query's words found in the tip, normalised
}

// placeNames are longer names that shadow a word found inside them other
// than at their start (京都 inside 東京都): the prefectures.
var placeNames = strings.Fields(`北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県
埼玉県 千葉県 東京都 神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県
三重県 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県
香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県`)

// tipTerms returns the weighted frequencies of t's search terms and its
// weighted length.
func tipTerms(t Tip) (map[string]uint64, uint64) {
	tf := make(map[string]uint64)
	var n uint64
	add := func(s string, w uint64) {
		for _, tok := range text.Tokens(s) {
			if !tok.Stop {
				tf[tok.Text] += w
				n += w
			}
		}
	}
	add(t.Title, tipTitleWeight)
	for _, g := range t.Tags {
		add(g, tipTitleWeight)
	}
	add(t.Body, 1)
	return tf, n
}

// termKey is the tips.terms key of term in tip id.
func termKey(term string, id uint64) []byte { return indexKey(term, id) }

func uvarint(v uint64) []byte { return binary.AppendUvarint(nil, v) }

func readUvarint(b []byte) uint64 {
	v, _ := binary.Uvarint(b)
	return v
}

// addTipStats adds docs and length to the index totals (negative to
// remove).
func (tx *Tx) addTipStats(docs, length int64) error {
	b := tx.bucket(bktTipStats)
	for _, kv := range []struct {
		k string
		d int64
	}{{tipStatDocs, docs}, {tipStatLen, length}} {
		v := int64(readUvarint(b.Get([]byte(kv.k)))) + kv.d
		if v < 0 {
			v = 0
		}
		if err := b.Put([]byte(kv.k), uvarint(uint64(v))); err != nil {
			return err
		}
	}
	return nil
}

// indexTip adds t's search terms.
func (tx *Tx) indexTip(t Tip) error {
	tf, n := tipTerms(t)
	b := tx.bucket(bktTipTerms)
	for term, f := range tf {
		if err := b.Put(termKey(term, t.ID), uvarint(f)); err != nil {
			return fmt.Errorf("index tip: %w", err)
		}
	}
	if err := tx.bucket(bktTipDocs).Put(itob(t.ID), uvarint(n)); err != nil {
		return fmt.Errorf("index tip: %w", err)
	}
	return tx.addTipStats(1, int64(n))
}

// unindexTip removes the search terms of t as stored.
func (tx *Tx) unindexTip(t Tip) error {
	tf, n := tipTerms(t)
	b := tx.bucket(bktTipTerms)
	for term := range tf {
		if err := b.Delete(termKey(term, t.ID)); err != nil {
			return fmt.Errorf("unindex tip: %w", err)
		}
	}
	if err := tx.bucket(bktTipDocs).Delete(itob(t.ID)); err != nil {
		return fmt.Errorf("unindex tip: %w", err)
	}
	return tx.addTipStats(-1, -int64(n))
}

// queryWord is one word of a search query.
type queryWord struct {
	text   string   // normalised
	tokens []string // its distinct search terms
}

// parseTipQuery cuts a query into its words (see the package comment on
// search above); stop words are left out.
func parseTipQuery(q string) []queryWord {
	if len(q) > maxQueryBytes {
		q = strings.ToValidUTF8(q[:maxQueryBytes], "")
	}
	n := text.Normalize(q)
	var words []queryWord
	var cur *queryWord
	start, end := 0, 0
	flush := func() {
		if cur != nil {
			cur.text = n[start:end]
			if !containsWord(words, cur.text) {
				words = append(words, *cur)
			}
			cur = nil
		}
	}
	for _, tok := range text.Tokens(q) {
		if tok.Stop {
			flush()
			continue
		}
		if cur != nil && tok.Script != text.Latin && tok.Start < end {
			if !contains(cur.tokens, tok.Text) {
				cur.tokens = append(cur.tokens, tok.Text)
			}
			end = tok.End
			continue
		}
		flush()
		if len(words) == maxQueryWords {
			break
		}
		cur, start, end = &queryWord{tokens: []string{tok.Text}}, tok.Start, tok.End
	}
	flush()
	return words
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func containsWord(ws []queryWord, s string) bool {
	for _, w := range ws {
		if w.text == s {
			return true
		}
	}
	return false
}

// TipQueryWords returns the words SearchTips looks for in query,
// normalised; none means the query has nothing to search for.
func TipQueryWords(query string) []string {
	var out []string
	for _, w := range parseTipQuery(query) {
		out = append(out, w.text)
	}
	return out
}

// wordMatcher finds a query word in a field under the Matcher's rules,
// shadowed by the place names that hold it other than at their start.
func wordMatcher(w string) *text.Matcher {
	entries := []text.Entry{{ID: 1, Names: []string{w}}}
	for _, p := range placeNames {
		if i := strings.Index(p, w); i > 0 && p != w {
			entries = append(entries, text.Entry{ID: 2, Names: []string{p}})
		}
	}
	return text.NewMatcher(entries)
}

// found reports whether m finds its word in one of fields.
func found(m *text.Matcher, fields []string) bool {
	for _, f := range fields {
		for _, hit := range m.Match(f) {
			if hit.ID == 1 {
				return true
			}
		}
	}
	return false
}

// posting is a tip's weighted frequency of one term.
type posting map[uint64]uint64

// postings reads the tips that have term, with its frequencies.
func (tx *Tx) postings(term string) posting {
	prefix := []byte(term + sep)
	p := posting{}
	c := tx.bucket(bktTipTerms).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if len(k) == len(prefix)+8 {
			p[btoi(k[len(prefix):])] = readUvarint(v)
		}
	}
	return p
}

// SearchTips returns up to n tips matching query, best first (see the
// comment on search above). A query with no words, or no tip scoring at
// least MinTipScore, gives none.
func (tx *Tx) SearchTips(query string, n int) ([]TipHit, error) {
	if n <= 0 {
		return nil, nil
	}
	n = min(n, maxSearchHits)
	words := parseTipQuery(query)
	if len(words) == 0 {
		return nil, nil
	}
	stats := tx.bucket(bktTipStats)
	docs := float64(readUvarint(stats.Get([]byte(tipStatDocs))))
	total := float64(readUvarint(stats.Get([]byte(tipStatLen))))
	if docs == 0 {
		return nil, nil
	}
	avg := math.Max(total/docs, 1)
	lens := tx.bucket(bktTipDocs)
	dl := func(id uint64) float64 { return float64(readUvarint(lens.Get(itob(id)))) }

	// tokScore[w][i][doc] is the BM25 score of word w's i-th term in doc.
	type wordScores struct {
		perDoc map[uint64]float64 // sum over the word's terms the doc has
		have   map[uint64]int     // how many of the word's terms the doc has
	}
	ws := make([]wordScores, len(words))
	cand := map[uint64]float64{} // upper bound of each candidate's score
	cache := map[string]posting{}
	for wi, w := range words {
		ws[wi] = wordScores{perDoc: map[uint64]float64{}, have: map[uint64]int{}}
		for _, term := range w.tokens {
			p, ok := cache[term]
			if !ok {
				p = tx.postings(term)
				cache[term] = p
			}
			df := float64(len(p))
			idf := math.Log(1 + (docs-df+0.5)/(df+0.5))
			for id, f := range p {
				tf := float64(f)
				s := idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*dl(id)/avg))
				ws[wi].perDoc[id] += s
				ws[wi].have[id]++
				cand[id] += s
			}
		}
	}
	ids := make([]uint64, 0, len(cand))
	for id := range cand {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if cand[ids[i]] != cand[ids[j]] {
			return cand[ids[i]] > cand[ids[j]]
		}
		return ids[i] < ids[j]
	})
	matchers := make([]*text.Matcher, len(words))
	var hits []TipHit
	for _, id := range ids {
		// Scores only fall on checking; once the upper bound of the next
		// candidate is below the n-th hit (with the prior), stop.
		if len(hits) >= n && cand[id]*prior(1<<20) < hits[n-1].Score {
			break
		}
		t, err := getByID[Tip](tx, bktTips, id)
		if err != nil {
			return nil, fmt.Errorf("search tips: %w", err)
		}
		fields := append([]string{t.Title, t.Body}, t.Tags...)
		var score float64
		var terms []string
		matched := 0
		for wi, w := range words {
			have := ws[wi].have[id]
			if have == 0 {
				continue
			}
			if have == len(w.tokens) {
				if matchers[wi] == nil {
					matchers[wi] = wordMatcher(w.text)
				}
				if found(matchers[wi], fields) {
					score += ws[wi].perDoc[id]
					terms = append(terms, w.text)
					matched++
					continue
				}
			}
			if len(w.tokens) >= partialMinToks && 2*have >= len(w.tokens) {
				score += ws[wi].perDoc[id] / 2
				matched++
				for _, term := range w.tokens {
					if _, ok := cache[term][id]; ok && !contains(terms, term) {
						terms = append(terms, term)
					}
				}
			}
		}
		if 2*matched < len(words) || score < MinTipScore {
			continue
		}
		hits = append(hits, TipHit{Tip: t, Score: score * prior(t.Helpful), Terms: terms})
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	}
	if len(hits) > n {
		hits = hits[:n]
	}
	return hits, nil
}

// prior is the weight of a tip's helpful votes in its score: a little,
// growing slowly.
func prior(helpful int) float64 { return 1 + 0.05*math.Log1p(float64(max(helpful, 0))) }
