package store

import (
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/search"
	"github.com/soudan/soudan/store/text"
)

// Buckets of the synonyms admins add (schema version 13). The built-in
// dictionary (text.BuiltinSynonyms) is not stored: it ships with the
// binary, and search applies both at query time, so neither a new binary
// nor an admin's change needs a reindex.
const (
	bktSynonyms       = "synonyms"         // itob(id) -> JSON SynonymGroup
	bktSynonymsByWord = "synonyms.by_word" // normalised word 0x00 itob(id)
	bktSynonymsOff    = "synonyms.off"     // normalised word -> empty: the built-in groups leave it out
	bktSynonymsMeta   = "synonyms.meta"    // "version" -> random bytes, new at every change
	synonymVersionKey = "version"
)

// ErrSynonymWords is the refusal of a synonym group of fewer than two
// distinct words, or of a word text.SynonymEntryOK refuses.
var ErrSynonymWords = errors.New("store: a synonym group needs two or more words of 2 to 30 characters")

// SynonymGroup is a group of words an admin linked as synonyms.
type SynonymGroup struct {
	ID        uint64    `json:"id"`
	Words     []string  `json:"words"` // normalised
	By        uint64    `json:"by"`    // the admin who made the last change
	UpdatedAt time.Time `json:"updated_at"`
}

// createSynonymBuckets is the migration that creates the admins' synonym
// buckets and rebuilds the tip search index, whose terms gained the kana
// stems (text.KanaStems).
func createSynonymBuckets(btx kv.Tx) error {
	for _, name := range []string{bktSynonyms, bktSynonymsByWord, bktSynonymsOff, bktSynonymsMeta} {
		if _, err := btx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return reindexTips(&Tx{tx: btx, now: time.Now()})
}

// reindexTips rebuilds the tip search index from the tips.
func reindexTips(tx *Tx) error {
	for _, name := range []string{bktTipTerms, bktTipDocs, bktTipStats, bktTipTermStats} {
		if err := tx.tx.DeleteBucket(name); err != nil && !errors.Is(err, kv.ErrBucketNotFound) {
			return fmt.Errorf("reindex tips: %w", err)
		}
		if _, err := tx.tx.CreateBucket(name); err != nil {
			return fmt.Errorf("reindex tips: %w", err)
		}
	}
	tips, err := getAll[Tip](tx, bktTips)
	if err != nil {
		return fmt.Errorf("reindex tips: %w", err)
	}
	most := 0
	for _, t := range tips {
		if err := tx.indexTip(t, true); err != nil {
			return err
		}
		most = max(most, t.Helpful)
	}
	if err := tx.flushTermStats(); err != nil {
		return fmt.Errorf("reindex tips: %w", err)
	}
	return tx.bucket(bktTipStats).Put([]byte(tipStatMaxHelpful), uvarint(uint64(most)))
}

// synonymWords normalises words, drops repeats and checks each.
func synonymWords(words []string) ([]string, error) {
	var out []string
	for _, w := range words {
		if text.SynonymEntryOK(w) != nil {
			return nil, fmt.Errorf("%w: %q", ErrSynonymWords, w)
		}
		if n := text.Normalize(w); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// AddSynonyms links words as synonyms, by admin by. When some of them are
// already in groups admins made, those groups and the new words become one
// group; otherwise a new group is made. A word an admin had removed from
// the built-in dictionary gets its built-in groups back. It needs two or
// more distinct words (ErrSynonymWords) and returns the group as stored.
func (tx *Tx) AddSynonyms(words []string, by uint64) (SynonymGroup, error) {
	if err := tx.writable(); err != nil {
		return SynonymGroup{}, err
	}
	ws, err := synonymWords(words)
	if err == nil && len(ws) < 2 {
		err = ErrSynonymWords
	}
	if err != nil {
		return SynonymGroup{}, fmt.Errorf("add synonyms: %w", err)
	}
	g := SynonymGroup{By: by, UpdatedAt: tx.Now()}
	var merged []uint64
	for _, w := range ws {
		for _, id := range lookup(tx, bktSynonymsByWord, w) {
			if !slices.Contains(merged, id) {
				merged = append(merged, id)
			}
		}
	}
	for _, id := range merged {
		old, err := getByID[SynonymGroup](tx, bktSynonyms, id)
		if err != nil {
			return SynonymGroup{}, fmt.Errorf("add synonyms: %w", err)
		}
		if g.ID == 0 {
			g.ID = id
		}
		for _, w := range old.Words {
			if !slices.Contains(g.Words, w) {
				g.Words = append(g.Words, w)
			}
		}
		if err := tx.deleteSynonymGroup(old); err != nil {
			return SynonymGroup{}, err
		}
	}
	for _, w := range ws {
		if !slices.Contains(g.Words, w) {
			g.Words = append(g.Words, w)
		}
		if err := tx.bucket(bktSynonymsOff).Delete([]byte(w)); err != nil {
			return SynonymGroup{}, fmt.Errorf("add synonyms: %w", err)
		}
	}
	if g.ID == 0 {
		if g.ID, err = tx.bucket(bktSynonyms).NextSequence(); err != nil {
			return SynonymGroup{}, fmt.Errorf("add synonyms: %w", err)
		}
	}
	if err := tx.putSynonymGroup(g); err != nil {
		return SynonymGroup{}, err
	}
	return g, tx.bumpSynonyms()
}

// RemoveSynonyms takes each word out of the groups admins made (a group
// left with one word goes) and out of the built-in dictionary's groups,
// for this file. It returns the words it found; none found is
// ErrNotFound and changes nothing.
func (tx *Tx) RemoveSynonyms(words []string, by uint64) ([]string, error) {
	if err := tx.writable(); err != nil {
		return nil, err
	}
	ws, err := synonymWords(words)
	if err != nil {
		return nil, fmt.Errorf("remove synonyms: %w", err)
	}
	dict := builtinDict()
	var found []string
	for _, w := range ws {
		hit := false
		for _, id := range lookup(tx, bktSynonymsByWord, w) {
			g, err := getByID[SynonymGroup](tx, bktSynonyms, id)
			if err != nil {
				return nil, fmt.Errorf("remove synonyms: %w", err)
			}
			if err := tx.deleteSynonymGroup(g); err != nil {
				return nil, err
			}
			g.Words = slices.DeleteFunc(g.Words, func(x string) bool { return x == w })
			g.By, g.UpdatedAt = by, tx.Now()
			if len(g.Words) >= 2 {
				if err := tx.putSynonymGroup(g); err != nil {
					return nil, err
				}
			}
			hit = true
		}
		if dict.Has(w) && tx.bucket(bktSynonymsOff).Get([]byte(w)) == nil {
			if err := tx.bucket(bktSynonymsOff).Put([]byte(w), []byte{}); err != nil {
				return nil, fmt.Errorf("remove synonyms: %w", err)
			}
			hit = true
		}
		if hit {
			found = append(found, w)
		}
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("remove synonyms: %w", ErrNotFound)
	}
	return found, tx.bumpSynonyms()
}

func (tx *Tx) putSynonymGroup(g SynonymGroup) error {
	for _, w := range g.Words {
		if err := tx.bucket(bktSynonymsByWord).Put(indexKey(w, g.ID), []byte{}); err != nil {
			return fmt.Errorf("put synonyms: %w", err)
		}
	}
	if err := putJSON(tx.bucket(bktSynonyms), itob(g.ID), g); err != nil {
		return fmt.Errorf("put synonyms: %w", err)
	}
	return nil
}

func (tx *Tx) deleteSynonymGroup(g SynonymGroup) error {
	for _, w := range g.Words {
		if err := tx.bucket(bktSynonymsByWord).Delete(indexKey(w, g.ID)); err != nil {
			return fmt.Errorf("delete synonyms: %w", err)
		}
	}
	if err := tx.bucket(bktSynonyms).Delete(itob(g.ID)); err != nil {
		return fmt.Errorf("delete synonyms: %w", err)
	}
	return nil
}

// bumpSynonyms marks the admins' synonyms changed, so that searches
// rebuild their dictionary.
func (tx *Tx) bumpSynonyms() error {
	v := make([]byte, 16)
	_, _ = rand.Read(v)
	if err := tx.bucket(bktSynonymsMeta).Put([]byte(synonymVersionKey), v); err != nil {
		return fmt.Errorf("synonyms version: %w", err)
	}
	return nil
}

// SynonymGroups returns the groups admins made, in id order.
func (tx *Tx) SynonymGroups() ([]SynonymGroup, error) {
	gs, err := getAll[SynonymGroup](tx, bktSynonyms)
	if err != nil {
		return nil, fmt.Errorf("list synonyms: %w", err)
	}
	return gs, nil
}

// RemovedSynonyms returns the words admins took out of the built-in
// dictionary, normalised, in byte order.
func (tx *Tx) RemovedSynonyms() []string {
	var out []string
	_ = tx.bucket(bktSynonymsOff).ForEach(func(k, _ []byte) error {
		out = append(out, string(k))
		return nil
	})
	return out
}

// SynonymsOf returns the other words word is linked with in this file's
// dictionary (the built-in one with the admins' changes), normalised.
func (tx *Tx) SynonymsOf(word string) []string { return tx.synonyms().Of(word) }

// BuiltinSynonymGroups returns how many groups the built-in dictionary has.
func BuiltinSynonymGroups() int { return builtinDict().Len() }

var builtinDict = sync.OnceValue(func() *text.Synonyms { return text.NewSynonyms(text.BuiltinSynonyms()) })

// dictCache is the dictionary last built with the admins' synonyms, by
// the version it was built for.
var dictCache struct {
	sync.Mutex
	version string
	dict    *text.Synonyms
}

// synonyms returns the dictionary search applies in tx
// (search.Dictionary): the built-in groups without the words admins
// removed, and the admins' groups, each with the built-in groups of its
// words. It is rebuilt only when the admins' synonyms changed (a random
// version, so a rolled-back change never matches a later one).
func (tx *Tx) synonyms() *text.Synonyms {
	b := tx.tx.Bucket(bktSynonymsMeta)
	if b == nil {
		return builtinDict()
	}
	v := string(b.Get([]byte(synonymVersionKey)))
	if v == "" {
		return builtinDict()
	}
	dictCache.Lock()
	defer dictCache.Unlock()
	if dictCache.version == v {
		return dictCache.dict
	}
	var admin [][]string
	groups, _ := tx.SynonymGroups()
	for _, g := range groups {
		admin = append(admin, g.Words)
	}
	dictCache.version, dictCache.dict = v, search.Dictionary(builtinDict(), tx.RemovedSynonyms(), admin)
	return dictCache.dict
}
