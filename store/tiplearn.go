package store

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/search"
	"github.com/soudan/soudan/store/text"
)

// Learned words: the search learns from the bot's own data. When an
// asker resolves a consultation with a suggested tip, or a tip is saved
// from a consultation, the question's words that the tip does not hold
// yet become the tip's learned words: a field of its own in the index,
// weighted a quarter of a body term (tipLearnedWeight), so that a later
// question put the same way finds the tip though it shares no word with
// its title or body. A tip keeps at most maxLearnedWords, the most often
// learned (the newest first among equals); no one's identity is kept,
// only words, and words that look like mentions, ids, addresses or the
// names of users are left out.

// Buckets of learned words (schema version 17 on merge).
const (
	// bktTipLearned holds each tip's learned words: itob(tip) -> JSON
	// []LearnedWord, most learned first.
	bktTipLearned = "tips.learned"
	// maxLearnedWords bounds the words a tip learns.
	maxLearnedWords = 32
	// maxLearnedRunes bounds a learned word's length: a longer run is not
	// a word someone asks with.
	maxLearnedRunes = 20
)

// LearnedWord is a word a tip learned from the questions it answered,
// normalised, and how many times.
type LearnedWord struct {
	Word  string `json:"w"`
	Count int    `json:"n"`
}

// createTipLearnedBucket is the migration that adds the tips' learned
// words and rebuilds the tip index in the units that let a learned word
// count less than a body term.
func createTipLearnedBucket(btx kv.Tx) error {
	if _, err := btx.CreateBucketIfNotExists(bktTipLearned); err != nil {
		return fmt.Errorf("create bucket %s: %w", bktTipLearned, err)
	}
	return reindexTips(&Tx{tx: btx, now: time.Now()})
}

// tipLearned returns the words tip id learned; none before migration 17.
func (tx *Tx) tipLearned(id uint64) []LearnedWord {
	b := tx.bucket(bktTipLearned)
	if b == nil {
		return nil
	}
	var ls []LearnedWord
	if v := b.Get(itob(id)); v != nil {
		_ = json.Unmarshal(v, &ls) // a damaged entry learned nothing
	}
	return ls
}

// TipLearned returns the words the tip with id learned, most learned
// first.
func (tx *Tx) TipLearned(id uint64) ([]LearnedWord, error) {
	if _, err := getByID[Tip](tx, bktTips, id); err != nil {
		return nil, fmt.Errorf("learned words of tip %d: %w", id, err)
	}
	return tx.tipLearned(id), nil
}

// LearnTipWords teaches the tip with id the words of question it does not
// hold yet (see above) and returns them, normalised. Its cost is bounded
// by the question's words and maxLearnedWords, whatever the history.
func (tx *Tx) LearnTipWords(id uint64, question string) ([]string, error) {
	if err := tx.writable(); err != nil {
		return nil, err
	}
	t, err := getByID[Tip](tx, bktTips, id)
	if err != nil {
		return nil, fmt.Errorf("learn words for tip %d: %w", id, err)
	}
	own, _ := tipTerms(t, nil)
	old := tx.tipLearned(id)
	ls := slices.Clone(old)
	var learned []string
	var fresh []LearnedWord
	for _, w := range tx.learnableWords(question) {
		if holdsAll(own, search.QueryTerms(w)) {
			continue
		}
		learned = append(learned, w)
		if i := slices.IndexFunc(ls, func(l LearnedWord) bool { return l.Word == w }); i >= 0 {
			ls[i].Count++
		} else {
			fresh = append(fresh, LearnedWord{Word: w, Count: 1})
		}
	}
	if len(learned) == 0 {
		return nil, nil
	}
	// The newest first among equals: they outlast older ones.
	ls = append(fresh, ls...)
	slices.SortStableFunc(ls, func(a, b LearnedWord) int { return b.Count - a.Count })
	ls = ls[:min(len(ls), maxLearnedWords)]
	if err := tx.relearn(t, old, ls); err != nil {
		return nil, fmt.Errorf("learn words for tip %d: %w", id, err)
	}
	return learned, nil
}

// UnlearnTipWords makes the tip with id forget word (normalised), or
// every learned word when word is empty, and returns the words forgotten.
func (tx *Tx) UnlearnTipWords(id uint64, word string) ([]string, error) {
	if err := tx.writable(); err != nil {
		return nil, err
	}
	t, err := getByID[Tip](tx, bktTips, id)
	if err != nil {
		return nil, fmt.Errorf("unlearn words of tip %d: %w", id, err)
	}
	word = text.Normalize(strings.TrimSpace(word))
	old := tx.tipLearned(id)
	var keep []LearnedWord
	var gone []string
	for _, l := range old {
		if word == "" || l.Word == word {
			gone = append(gone, l.Word)
		} else {
			keep = append(keep, l)
		}
	}
	if len(gone) == 0 {
		return nil, nil
	}
	if err := tx.relearn(t, old, keep); err != nil {
		return nil, fmt.Errorf("unlearn words of tip %d: %w", id, err)
	}
	return gone, nil
}

// relearn replaces t's learned words old with ls: only the postings of
// the terms whose frequency changed are rewritten (the tip's length does
// not count learned words, so it stays).
func (tx *Tx) relearn(t Tip, old, ls []LearnedWord) error {
	before, _ := tipTerms(t, old)
	after, n := tipTerms(t, ls)
	for term, f := range before {
		if _, ok := after[term]; !ok && f > 0 {
			if err := tx.putPosting(term, search.Posting{ID: t.ID}, false); err != nil {
				return err
			}
		}
	}
	for term, f := range after {
		if before[term] != f {
			if err := tx.putPosting(term, search.Posting{ID: t.ID, TF: uint32(f), DL: uint32(n)}, false); err != nil {
				return err
			}
		}
	}
	b := tx.bucket(bktTipLearned)
	if len(ls) == 0 {
		return b.Delete(itob(t.ID))
	}
	return putJSON(b, itob(t.ID), ls)
}

// holdsAll reports whether tf has every one of terms.
func holdsAll(tf map[string]uint64, terms []string) bool {
	for _, term := range terms {
		if tf[term] == 0 {
			return false
		}
	}
	return len(terms) > 0
}

// notWords are the parts of a normalised question that are not words to
// learn: mentions (<@u123>, @name), addresses, links and platform ids
// (29:1abc); a word with a digit (u0123abcd) is left out after.
var notWords = regexp.MustCompile(`<[^>]*>|https?://\S+|[\w.+-]+@[\w.-]+|@[\w.\-]+|\d+:[\w\-]+`)

// learnableWords are the search words of question worth learning: not
// mentions, ids, addresses or links, no word with a digit, none of one
// kanji or kana, no generic word (方法, 申請: text.IsGenericWord), none
// too long, and no user's name. A word in hiragana alone (つながらない)
// is learned, though a search does not need it for a hit.
func (tx *Tx) learnableWords(question string) []string {
	question = notWords.ReplaceAllString(text.Normalize(question), " ")
	var out []string
	for _, w := range search.ParseQuery(question, tx.synonyms()) {
		if w.OneChar() || text.IsGenericWord(w.Text) || utf8.RuneCountInString(w.Text) > maxLearnedRunes ||
			strings.ContainsFunc(w.Text, unicode.IsDigit) ||
			len(lookup(tx, bktUsersByName, w.Text)) > 0 {
			continue
		}
		out = append(out, w.Text)
	}
	return out
}
