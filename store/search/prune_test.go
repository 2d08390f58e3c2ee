package search

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/soudan/soudan/store/text"
)

var (
	long  = flag.Bool("long", false, "compare over every generated corpus (TestRankMatchesExhaustive: 12), as CI does")
	seeds = flag.Int("search.seeds", 0, "generated corpora TestRankMatchesExhaustive compares over (0: 4, or 12 with -long)")
)

// corpusSeeds is how many corpora TestRankMatchesExhaustive generates:
// what -search.seeds says, else all 12 with -long (.ci/run), else the
// first 4, which keep go test ./... quick.
func corpusSeeds() uint64 {
	switch {
	case *seeds > 0:
		return uint64(*seeds)
	case *long:
		return 12
	}
	return 4
}

var dict = text.NewSynonyms(text.BuiltinSynonyms())

// vocab is a small vocabulary, so that its words are in most documents
// (where pruning matters), with synonyms, variants, kana stems, plurals,
// the 京都/東京都 trap and one-character words among them.
var vocab = strings.Fields(`在宅勤務 テレワーク telework 子ども 子供 こども 超勤 超過勤務 漏れやすい
情報漏れ VPN vpn 京都 東京都 申請 確認 手続き 休暇 育休 引継ぎ 引き継ぎ 手当 住宅手当 laptop laptops
policy policies password 方 中 帰国 赴任 研修 会議 資料 remote work 残業 届出 承認 メール 接続`)

// randText is n words of rng's choosing, run together as Japanese or
// spaced as English.
func randText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		w := vocab[rng.IntN(len(vocab))]
		if i > 0 {
			b.WriteString([]string{" ", "の", "を", "", "、", " "}[rng.IntN(6)])
		}
		b.WriteString(w)
	}
	return b.String()
}

// tipCorpus is an in-memory index kept as the store keeps its tips':
// weighted fields (a title and tags three times the body, learned words a
// quarter of it, in units of 4), a boost from helpful votes, term
// statistics whose peaks only rise (a document edited or deleted leaves
// its peaks, a ceiling above the postings) and ids with holes.
type tipCorpus struct {
	docs     map[uint64]tipDoc
	next     uint64
	postings map[string][]Posting // in id order
	df       map[string]int
	peaks    map[string][]Posting
	length   uint64
	maxBoost float64
	// noStats are terms without statistics (a file before they were
	// kept): no peaks, so a ceiling where BM25 saturates.
	noStats map[string]bool
}

type tipDoc struct {
	texts []string
	tf    map[string]uint64
	dl    uint64
	boost float64
}

const tipScale = 4

func newTipCorpus() *tipCorpus {
	return &tipCorpus{docs: map[uint64]tipDoc{}, postings: map[string][]Posting{}, df: map[string]int{},
		peaks: map[string][]Posting{}, maxBoost: 1, noStats: map[string]bool{}}
}

// put adds document id (0: a new one) with its title, tags, body,
// learned words and helpful votes, replacing what it was.
func (c *tipCorpus) put(id uint64, title string, tags []string, body string, learned []string, helpful int) uint64 {
	if id == 0 {
		c.next++
		id = c.next
	}
	c.remove(id)
	fields := []Field{{Text: title, Weight: 3 * tipScale, Counted: true}}
	for _, g := range tags {
		fields = append(fields, Field{Text: g, Weight: 3 * tipScale, Counted: true})
	}
	fields = append(fields, Field{Text: body, Weight: tipScale, Counted: true})
	for _, l := range learned {
		fields = append(fields, Field{Text: l, Weight: 1})
	}
	d := tipDoc{texts: append(append([]string{title, body}, tags...), learned...),
		boost: 1 + 0.05*math.Log1p(float64(helpful))}
	d.tf, d.dl = Terms(fields)
	c.docs[id] = d
	c.length += d.dl
	c.maxBoost = math.Max(c.maxBoost, d.boost)
	for term, f := range d.tf {
		p := Posting{ID: id, TF: uint32(f), DL: uint32(d.dl)}
		ps := c.postings[term]
		i, _ := slices.BinarySearchFunc(ps, id, func(p Posting, id uint64) int { return cmpUint(p.ID, id) })
		c.postings[term] = slices.Insert(ps, i, p)
		c.df[term]++
		c.peaks[term], _ = RaisePeaks(c.peaks[term], p)
	}
	return id
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// remove deletes document id's postings; its terms' peaks stay.
func (c *tipCorpus) remove(id uint64) {
	d, ok := c.docs[id]
	if !ok {
		return
	}
	for term := range d.tf {
		c.postings[term] = slices.DeleteFunc(c.postings[term], func(p Posting) bool { return p.ID == id })
		c.df[term]--
	}
	c.length -= d.dl
	delete(c.docs, id)
}

func (c *tipCorpus) Stats() (float64, float64) {
	n := float64(len(c.docs))
	return n, math.Max(float64(c.length)/max(n, 1), 1)
}
func (c *tipCorpus) Scale() float64 { return tipScale }
func (c *tipCorpus) MaxID() uint64  { return c.next }
func (c *tipCorpus) Count(term string) int {
	return c.df[term]
}
func (c *tipCorpus) AppendPostings(dst []Posting, term string) []Posting {
	return append(dst, c.postings[term]...)
}
func (c *tipCorpus) Lookup(id uint64, term string) (Posting, bool) {
	d, ok := c.docs[id]
	if !ok {
		return Posting{}, false
	}
	tf, ok := d.tf[term]
	return Posting{ID: id, TF: uint32(tf), DL: uint32(d.dl)}, ok
}
func (c *tipCorpus) Peaks(term string) []Posting {
	if c.noStats[term] {
		return nil
	}
	return c.peaks[term]
}
func (c *tipCorpus) Fields(id uint64) ([]string, float64, error) {
	d, ok := c.docs[id]
	if !ok {
		return nil, 0, fmt.Errorf("document %d: not found", id)
	}
	return d.texts, d.boost, nil
}
func (c *tipCorpus) MaxBoost() float64 { return c.maxBoost }

// randCorpus makes a corpus of docs documents drawn from vocab: some
// tagged, some voted helpful, some that learned words, some edited and
// deleted after, and some terms without statistics.
func randCorpus(rng *rand.Rand, docs int) *tipCorpus {
	c := newTipCorpus()
	doc := func(id uint64) {
		var tags, learned []string
		if rng.IntN(4) == 0 {
			tags = []string{vocab[rng.IntN(len(vocab))]}
		}
		if rng.IntN(5) == 0 {
			learned = []string{randText(rng, 1), randText(rng, 1)}
		}
		c.put(id, randText(rng, 1+rng.IntN(4)), tags, randText(rng, 2+rng.IntN(20)), learned, rng.IntN(3))
	}
	for range docs {
		doc(0)
	}
	for range docs / 10 {
		id := 1 + uint64(rng.IntN(docs))
		if rng.IntN(2) == 0 {
			if _, ok := c.docs[id]; ok {
				doc(id)
			}
		} else {
			c.remove(id)
		}
	}
	for term := range c.df {
		if rng.IntN(8) == 0 {
			c.noStats[term] = true
		}
	}
	return c
}

// tipRule is the store's rule for a tip search hit: half the words that
// count, one not generic, and a least score.
func tipRule(cov Coverage, score float64) bool {
	return cov.Matched > 0 && cov.Content > 0 && 2*cov.Matched >= cov.Of && score >= 0.3
}

// everyWord is the rule of RankDocs: every word that counts.
func everyWord(cov Coverage, _ float64) bool { return cov.Matched == cov.Of }

// probing is Rank probing for theta and setting terms aside whatever the
// query's size, as it does on a large index.
func probing(c Corpus, words []Word, n int, accept Accept) ([]Hit, error) {
	return RankPruned(c, words, n, accept, 0)
}

// agree ranks q in c with Rank and with probing, reports where either
// differs from Exhaustive, and returns how many hits Exhaustive found.
func agree(t *testing.T, c Corpus, q string, n int, accept Accept) int {
	t.Helper()
	words := ParseQuery(q, dict)
	want, err := Exhaustive(c, words, n, accept)
	if err != nil {
		t.Fatal(err)
	}
	for name, rank := range map[string]func(Corpus, []Word, int, Accept) ([]Hit, error){"Rank": Rank, "probing": probing} {
		got, err := rank(c, words, n, accept)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %q n=%d:\n got %s\nwant %s", name, q, n, hitsString(got), hitsString(want))
		}
	}
	return len(want)
}

func hitsString(hs []Hit) string {
	var b strings.Builder
	for _, h := range hs {
		fmt.Fprintf(&b, "#%d %.17g %v %d; ", h.ID, h.Score, h.Terms, h.Matched)
	}
	return b.String()
}

// TestRankMatchesExhaustive: the pruned search finds exactly what
// checking every document finds (ids, order, scores, words) over many
// generated corpora (edits, deletions, votes, learned words and terms
// without statistics included) and queries, under the tip search's rule
// and RankDocs'. The store's TestTipIndexMatchesExhaustive does the same
// through its index in the file. -long (or -search.seeds=N) compares over
// more corpora.
func TestRankMatchesExhaustive(t *testing.T) {
	hits := 0
	for seed := range corpusSeeds() {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			c := randCorpus(rng, 30+rng.IntN(300))
			for range 150 {
				q := randText(rng, 1+rng.IntN(4))
				n := []int{1, 3, 5, 10, 20}[rng.IntN(5)]
				hits += agree(t, c, q, n, tipRule)
				hits += agree(t, c, q, n, everyWord)
			}
		})
	}
	// The comparison means something only if the queries find things.
	if hits == 0 {
		t.Error("no query found anything")
	}
}

// TestRankMemCorpusMatchesExhaustive: the same over MemCorpus (RankDocs'
// mentor profiles), where every word must be found.
func TestRankMemCorpusMatchesExhaustive(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	hits := 0
	for range 40 {
		docs := make([][]string, 5+rng.IntN(60))
		for i := range docs {
			docs[i] = []string{randText(rng, 2), randText(rng, 1+rng.IntN(12))}
		}
		c := NewMemCorpus(docs)
		for range 20 {
			q := randText(rng, 1+rng.IntN(3))
			hits += agree(t, c, q, len(docs), everyWord)
		}
	}
	if hits == 0 {
		t.Error("no query found anything")
	}
}

// FuzzRankPruned: over documents and a query of any text, the pruned
// search finds what Exhaustive finds, with the tip search's rule and with
// every word needed.
func FuzzRankPruned(f *testing.F) {
	f.Add("在宅勤務の申請|テレワーク 在宅勤務 申請\nVPN 接続|vpn の接続\n東京都 手当|京都の手当", "在宅勤務 申請", 2)
	f.Add("子ども 手当|こども\n子供の 手当|手当 手当\nlaptops policy|laptop", "子供 手当 laptop", 1)
	f.Add("漏れやすい|情報漏れ 情報漏れ\n方 中|方法", "漏れやすい 方", 3)
	f.Fuzz(func(t *testing.T, corpus, query string, n int) {
		n = 1 + max(n, -n)%8
		var docs [][]string
		for _, line := range strings.Split(corpus, "\n") {
			docs = append(docs, strings.Split(line, "|"))
		}
		docs = docs[:min(len(docs), 50)]
		words := ParseQuery(query, dict)
		if len(words) == 0 {
			return
		}
		for _, accept := range []Accept{
			func(cov Coverage, score float64) bool {
				return cov.Matched > 0 && 2*cov.Matched >= cov.Of && score >= 0.3
			},
			everyWord,
		} {
			got, err1 := probing(NewMemCorpus(docs), words, n, accept)
			want, err2 := Exhaustive(NewMemCorpus(docs), words, n, accept)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("query %q: got %+v, want %+v", query, got, want)
			}
		}
	})
}
