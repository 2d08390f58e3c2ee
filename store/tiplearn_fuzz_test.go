package store_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// errRollback undoes a fuzz iteration's transaction.
var errRollback = errors.New("rollback")

// FuzzLearnTipWords teaches a tip arbitrary questions: no panic, only
// short words without digits or mentions learned, at most 32 kept, and
// unlearning them leaves the search as it was.
func FuzzLearnTipWords(f *testing.F) {
	for _, q := range []string{"パソコンが社外からつながらない", "<@U0123ABCD> VPN が\xffつながらない", "@tanaka taro@example.com https://x.jp/a 内線1234",
		"", "の の の", "remote work ＰＣ telework 子ども 漏れやすい", strings.Repeat("社外", 40), "京都 東京都 29:1abc"} {
		f.Add(q)
	}
	s := storetest.MustOpen(f, store.Options{})
	sampleTipsF(f, s)
	f.Fuzz(func(t *testing.T, q string) {
		err := s.Update(func(tx *store.Tx) error {
			before, err := tx.SearchTips(q, 10)
			if err != nil {
				return err
			}
			words, err := tx.LearnTipWords(1, q)
			if err != nil {
				return err
			}
			for _, w := range words {
				if !utf8.ValidString(w) || w == "" || utf8.RuneCountInString(w) > 20 || strings.ContainsAny(w, "@<>") || strings.ContainsFunc(w, unicode.IsDigit) {
					t.Errorf("question %q: learned %q", q, w)
				}
			}
			if ls, _ := tx.TipLearned(1); len(ls) > 32 {
				t.Errorf("question %q: %d words learned", q, len(ls))
			}
			if _, err := tx.UnlearnTipWords(1, ""); err != nil {
				return err
			}
			after, err := tx.SearchTips(q, 10)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(before, after) {
				t.Errorf("question %q: search after unlearning %+v, before %+v", q, after, before)
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("learn %q: %v", q, err)
		}
	})
}
