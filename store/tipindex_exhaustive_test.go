package store

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/soudan/soudan/store/search"
)

// pruneVocab is a small vocabulary, so that its words are in most tips
// (where pruning matters), with synonyms, variants, kana stems, plurals,
// the 京都/東京都 trap and one-character words among them.
var pruneVocab = strings.Fields(`在宅勤務 テレワーク telework 子ども 子供 こども 超勤 超過勤務 漏れやすい
情報漏れ VPN vpn 京都 東京都 申請 確認 手続き 休暇 育休 引継ぎ 引き継ぎ 手当 住宅手当 laptop laptops
policy policies password 方 中 帰国 赴任 研修 会議 資料 remote work 残業 届出 承認 メール 接続`)

// pruneText is n words of rng's choosing, run together as Japanese or
// spaced as English.
func pruneText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		w := pruneVocab[rng.IntN(len(pruneVocab))]
		if i > 0 {
			b.WriteString([]string{" ", "の", "を", "", "、", " "}[rng.IntN(6)])
		}
		b.WriteString(w)
	}
	return b.String()
}

// pruneCorpus makes a store of tips drawn from pruneVocab: some voted
// helpful, some that learned words, some edited and deleted after.
func pruneCorpus(t *testing.T, rng *rand.Rand, tips int) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "soudan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.Update(func(tx *Tx) error {
		for range tips {
			tp := Tip{Title: pruneText(rng, 1+rng.IntN(4)), Body: pruneText(rng, 2+rng.IntN(20)), Author: 1}
			if rng.IntN(4) == 0 {
				tp.Tags = []string{pruneVocab[rng.IntN(len(pruneVocab))]}
			}
			// A language of its own, or none (its title's script).
			tp.Lang = []string{"", LangJapanese, LangEnglish}[rng.IntN(3)]
			tp, err := tx.CreateTip(tp)
			if err != nil {
				return err
			}
			// Some are translations of an earlier one.
			if rng.IntN(6) == 0 && tp.ID > 1 {
				err := tx.LinkTranslation(tp.ID, 1+uint64(rng.IntN(int(tp.ID)-1)))
				if err != nil && !errors.Is(err, ErrSameLanguage) {
					return err
				}
			}
			for v := range rng.IntN(3) {
				if _, err := tx.MarkTipHelpful(tp.ID, uint64(10+v)); err != nil {
					return err
				}
			}
			if rng.IntN(5) == 0 {
				if _, err := tx.LearnTipWords(tp.ID, pruneText(rng, 3)); err != nil {
					return err
				}
			}
		}
		for range tips / 10 {
			id := 1 + uint64(rng.IntN(tips))
			var err error
			if rng.IntN(2) == 0 {
				_, err = tx.UpdateTip(id, func(tp *Tip) error { tp.Body = pruneText(rng, 1+rng.IntN(10)); return nil })
			} else {
				err = tx.DeleteTip(id)
			}
			if err != nil && !strings.Contains(err.Error(), "not found") {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// searchesAgree runs queries through the whole tip search with
// search.Rank (and probing always) and with search.Exhaustive, and
// reports any difference.
func searchesAgree(t *testing.T, s *Store, rng *rand.Rand, queries int) {
	t.Helper()
	err := s.View(func(tx *Tx) error {
		for range queries {
			q := pruneText(rng, 1+rng.IntN(4))
			n := []int{1, 3, 5, 10, 20}[rng.IntN(5)]
			lang := []string{"", LangJapanese, LangEnglish}[rng.IntN(3)]
			want, err := tx.searchTips(q, lang, n, search.Exhaustive)
			if err != nil {
				return err
			}
			for _, f := range []rankFunc{search.Rank, rankProbing} {
				got, err := tx.searchTips(q, lang, n, f)
				if err != nil {
					return err
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("search %q lang=%q n=%d:\n got %s\nwant %s", q, lang, n, hitsString(got), hitsString(want))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rankProbing is rank probing for theta and setting terms aside whatever
// the query's size, as it does on a large index.
func rankProbing(c search.Corpus, words []search.Word, n int, accept search.Accept) ([]search.Hit, error) {
	return search.RankPruned(c, words, n, accept, 0)
}

func hitsString(hs []TipHit) string {
	var b strings.Builder
	for _, h := range hs {
		fmt.Fprintf(&b, "#%d %.17g %v %v; ", h.Tip.ID, h.Score, h.Terms, h.Learned)
	}
	return b.String()
}

var (
	long  = flag.Bool("long", false, "compare over every generated corpus (TestTipIndexMatchesExhaustive: 12), as CI does")
	seeds = flag.Int("search.seeds", 0, "generated corpora TestTipIndexMatchesExhaustive compares over (0: 2, or 12 with -long)")
)

// TestTipIndexMatchesExhaustive: the pruned search over the tip index in
// the file (its postings, term statistics and the tips' own text) finds
// exactly what checking every tip finds (ids, order, scores, words),
// through the whole tip search (languages and translations included)
// over generated corpora and queries. store/search's
// TestRankMatchesExhaustive does the same in memory, at a tenth of the
// cost; by default this one compares over the first 2 corpora, with
// -long (.ci/run) over all 12, or over -search.seeds=N.
func TestTipIndexMatchesExhaustive(t *testing.T) {
	n := uint64(2)
	switch {
	case *seeds > 0:
		n = uint64(*seeds)
	case *long:
		n = 12
	}
	for seed := range n {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(seed, 7))
			s := pruneCorpus(t, rng, 30+rng.IntN(300))
			searchesAgree(t, s, rng, 150)
		})
	}
}

// TestRankWithoutTermStats: terms with no statistics (a file before
// migration 18) are counted from their postings and capped where BM25
// saturates, with the same results.
func TestRankWithoutTermStats(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(99, 7))
	s := pruneCorpus(t, rng, 200)
	err := s.Update(func(tx *Tx) error {
		b := tx.bucket(bktTipTermStats)
		var keys [][]byte
		c := b.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(keys)%2 == 0 {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	searchesAgree(t, s, rng, 200)
}

// TestTermStats: after tips are added, edited, taught words and deleted,
// every term's count is its postings' and some peak of it beats or equals
// each of them.
func TestTermStats(t *testing.T) {
	t.Parallel()
	s := pruneCorpus(t, rand.New(rand.NewPCG(8, 8)), 300)
	_ = s.View(func(tx *Tx) error {
		terms := 0
		c := tx.bucket(bktTipTermStats).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			terms++
			term := string(k)
			df, peaks, ok := tx.termStats(term)
			ps := tx.appendPostings(nil, term)
			if !ok || df != len(ps) || tx.termCount(term) != len(ps) {
				t.Errorf("%q: count %d (ok %v), counted %d, %d postings", term, df, ok, tx.termCount(term), len(ps))
			}
			for _, p := range ps {
				if !slices.ContainsFunc(peaks, func(q search.Posting) bool { return q.TF >= p.TF && q.DL <= p.DL }) {
					t.Errorf("%q: no peak of %v beats %+v", term, peaks, p)
				}
			}
		}
		if terms < 50 {
			t.Errorf("%d terms with statistics", terms)
		}
		return nil
	})
}

// TestTipTermStatsMigration: a file indexed before term statistics gets
// them from migration 18, and searches as checking every tip does.
func TestTipTermStatsMigration(t *testing.T) {
	t.Parallel()
	at := slices.IndexFunc(migrations, func(m migration) bool {
		return reflect.ValueOf(m).Pointer() == reflect.ValueOf(migration(rebuildTipTermStats)).Pointer()
	})
	if at < 0 {
		t.Fatal("rebuildTipTermStats is not a migration")
	}
	path := filepath.Join(t.TempDir(), "soudan.db")
	old, err := open(path, Options{}, migrations[:at])
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	err = old.Update(func(tx *Tx) error {
		for range 50 {
			if _, err := tx.CreateTip(Tip{Title: pruneText(rng, 3), Body: pruneText(rng, 10), Author: 1}); err != nil {
				return err
			}
		}
		// The release before kept no statistics.
		return tx.tx.DeleteBucket(bktTipTermStats)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_ = s.View(func(tx *Tx) error {
		for _, term := range []string{"申請", "vpn", "テレ"} {
			if df, _, ok := tx.termStats(term); !ok || df != len(tx.appendPostings(nil, term)) {
				t.Errorf("%q: count %d (ok %v) after the migration", term, df, ok)
			}
		}
		return nil
	})
	searchesAgree(t, s, rng, 50)
}
