package store

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/text"
)

// Buckets of tips (schema version 8).
const (
	bktTips        = "tips"
	bktTipsByTopic = "tips.by_topic"
	bktTipsHelpful = "tips.helpful" // itob(tip) itob(user) -> empty: one vote per user
	bktTipTerms    = "tips.terms"   // term 0x00 block -> postings (see tipindex.go)
	bktTipDocs     = "tips.doc_len" // itob(tip) -> uvarint weighted document length
	bktTipStats    = "tips.stats"   // "docs", "len": totals for BM25
	tipStatDocs    = "docs"
	tipStatLen     = "len"
	// tipStatMaxHelpful is the most helpful votes a tip has had: search
	// bounds the helpful prior with it.
	tipStatMaxHelpful = "max_helpful"
	maxTipTitle       = 200
	maxTipTags        = 20
	maxTipLinks       = 20
	maxTipTagRunes    = 50
)

// ErrAlreadyVoted is the refusal of a second helpful vote by one user.
var ErrAlreadyVoted = errors.New("store: already voted")

// Tip is a piece of know-how: a title, a body, a topic, tags and links.
type Tip struct {
	ID      uint64   `json:"id"`
	Title   string   `json:"title"`
	Body    string   `json:"body"`
	TopicID uint64   `json:"topic_id,omitempty"`
	Tags    []string `json:"tags,omitempty"`
	Links   []string `json:"links,omitempty"`
	Author  uint64   `json:"author"`
	Lang    string   `json:"lang,omitempty"`
	Helpful int      `json:"helpful,omitempty"`
	// Source is the key of an imported tip in the system it came from
	// (unique): importing it again updates the tip.
	Source string `json:"source,omitempty"`
	// ConsultationID is the consultation the tip was saved from, if any.
	ConsultationID uint64 `json:"consultation_id,omitempty"`
	// CreditTo is the asker of that consultation, once they agreed to be
	// named on the tip (never without their consent).
	CreditTo uint64 `json:"credit_to,omitempty"`
	// Translations are the tips that say the same in other languages, one
	// per language (tiptranslations.go): a search shows one of them, in
	// the asker's language. Set only by LinkTranslation and
	// UnlinkTranslation.
	Translations []uint64  `json:"translations,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// createTipBuckets is the migration that creates the tip buckets and their
// search index.
func createTipBuckets(tx kv.Tx) error {
	for _, name := range []string{bktTips, bktTipsByTopic, bktTipsHelpful, bktTipTerms, bktTipDocs, bktTipStats} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// tipEntries are the index entries of t other than its search terms.
func tipEntries(t Tip) []entry {
	var es []entry
	if t.TopicID != 0 {
		es = append(es, entry{bktTipsByTopic, idValue(t.TopicID)})
	}
	if t.Source != "" {
		es = append(es, entry{bktTipsBySource, t.Source})
	}
	return es
}

// cleanTip trims t's fields and checks them.
func cleanTip(t *Tip) error {
	t.Title = strings.TrimSpace(t.Title)
	t.Body = strings.TrimSpace(t.Body)
	t.Source = strings.TrimSpace(t.Source)
	if len([]rune(t.Source)) > maxTipSource || strings.Contains(t.Source, sep) {
		return fmt.Errorf("a tip's source key is at most %d characters", maxTipSource)
	}
	if t.Title == "" {
		return fmt.Errorf("a tip title is required")
	}
	if len([]rune(t.Title)) > maxTipTitle {
		return fmt.Errorf("a tip title is at most %d characters", maxTipTitle)
	}
	var tags []string
	for _, g := range t.Tags {
		if g = strings.TrimSpace(g); g != "" && !slices.ContainsFunc(tags, func(o string) bool { return text.Normalize(o) == text.Normalize(g) }) {
			if len([]rune(g)) > maxTipTagRunes {
				return fmt.Errorf("a tag is at most %d characters", maxTipTagRunes)
			}
			tags = append(tags, g)
		}
	}
	var links []string
	for _, l := range t.Links {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(links, l) {
			links = append(links, l)
		}
	}
	if len(tags) > maxTipTags || len(links) > maxTipLinks {
		return fmt.Errorf("a tip has at most %d tags and %d links", maxTipTags, maxTipLinks)
	}
	t.Tags, t.Links = tags, links
	return nil
}

// CreateTip stores a new tip, assigning ID, CreatedAt and UpdatedAt, and
// indexes it for search in the same transaction. Title is required; a
// TopicID, when set, must name a topic.
func (tx *Tx) CreateTip(t Tip) (Tip, error) {
	if err := tx.writable(); err != nil {
		return Tip{}, err
	}
	id, err := tx.bucket(bktTips).NextSequence()
	if err == nil {
		t.ID, t.CreatedAt, t.UpdatedAt, t.Helpful, t.Translations = id, tx.Now(), tx.Now(), 0, nil
		err = tx.putTip(nil, &t)
	}
	if err != nil {
		return Tip{}, fmt.Errorf("create tip: %w", err)
	}
	return t, nil
}

// UpdateTip applies fn to the tip with id and stores the result, its
// topic index and search terms replaced. ID, Author, CreatedAt, Helpful
// and Translations stay as they were. An error from fn aborts and is returned
// wrapped.
func (tx *Tx) UpdateTip(id uint64, fn func(*Tip) error) (Tip, error) {
	t, err := tx.updateTip(id, fn)
	if err != nil {
		return Tip{}, fmt.Errorf("update tip %d: %w", id, err)
	}
	return t, nil
}

func (tx *Tx) updateTip(id uint64, fn func(*Tip) error) (Tip, error) {
	if err := tx.writable(); err != nil {
		return Tip{}, err
	}
	old, err := getByID[Tip](tx, bktTips, id)
	if err != nil {
		return Tip{}, err
	}
	t := old
	t.Tags, t.Links = slices.Clone(old.Tags), slices.Clone(old.Links)
	if err := fn(&t); err != nil {
		return Tip{}, err
	}
	t.ID, t.Author, t.CreatedAt, t.Helpful, t.UpdatedAt = old.ID, old.Author, old.CreatedAt, old.Helpful, tx.Now()
	t.Translations = slices.Clone(old.Translations)
	if len(t.Translations) > 0 && tipLang(t) != tipLang(old) {
		group, err := tx.tipsOf(t.Translations)
		if err != nil {
			return Tip{}, err
		}
		if err := sameLanguage(t, group); err != nil {
			return Tip{}, err
		}
	}
	if err := tx.putTip(&old, &t); err != nil {
		return Tip{}, err
	}
	return t, nil
}

// putTip checks t, previously old (nil for a new tip), and stores it with
// its index entries and search terms.
func (tx *Tx) putTip(old *Tip, t *Tip) error {
	if err := cleanTip(t); err != nil {
		return err
	}
	if t.TopicID != 0 {
		if _, err := getByID[Topic](tx, bktTopics, t.TopicID); err != nil {
			return fmt.Errorf("topic %d: %w", t.TopicID, err)
		}
	}
	if t.Source != "" {
		if other, ok := lookupOther(tx, bktTipsBySource, t.Source, t.ID); ok {
			return fmt.Errorf("source key %q is tip %d's: %w", t.Source, other, ErrExists)
		}
	}
	if err := tx.rerankTip(old, t); err != nil {
		return err
	}
	var oldEntries []entry
	if old != nil {
		oldEntries = tipEntries(*old)
		if err := tx.unindexTip(*old); err != nil {
			return err
		}
	}
	if err := reindex(tx, t.ID, oldEntries, tipEntries(*t)); err != nil {
		return err
	}
	if err := tx.indexTip(*t, old == nil); err != nil {
		return err
	}
	return putJSON(tx.bucket(bktTips), itob(t.ID), t)
}

// DeleteTip removes the tip with id, its votes, its index entries and its
// search terms.
func (tx *Tx) DeleteTip(id uint64) error {
	if err := tx.writable(); err != nil {
		return err
	}
	t, err := getByID[Tip](tx, bktTips, id)
	if err == nil {
		err = tx.unindexTip(t)
	}
	if err == nil {
		err = tx.leaveTranslations(t)
	}
	if err == nil {
		err = reindex(tx, id, tipEntries(t), nil)
	}
	if err == nil {
		err = tx.rerankTip(&t, nil)
	}
	if err == nil {
		err = tx.bucket(bktTipsFeatured).Delete(itob(id))
	}
	if err == nil && tx.bucket(bktTipLearned) != nil {
		err = tx.bucket(bktTipLearned).Delete(itob(id))
	}
	if err == nil {
		err = deletePrefix(tx.bucket(bktTipsHelpful), itob(id))
	}
	if err == nil {
		err = tx.bucket(bktTips).Delete(itob(id))
	}
	if err != nil {
		return fmt.Errorf("delete tip %d: %w", id, err)
	}
	return nil
}

// Tip returns the tip with id.
func (tx *Tx) Tip(id uint64) (Tip, error) {
	t, err := getByID[Tip](tx, bktTips, id)
	if err != nil {
		return Tip{}, fmt.Errorf("get tip %d: %w", id, err)
	}
	return t, nil
}

// Tips returns every tip, in id order.
func (tx *Tx) Tips() ([]Tip, error) {
	ts, err := getAll[Tip](tx, bktTips)
	if err != nil {
		return nil, fmt.Errorf("list tips: %w", err)
	}
	return ts, nil
}

// TipsByTopic returns the tips of the topic, in id order.
func (tx *Tx) TipsByTopic(topicID uint64) ([]Tip, error) {
	ts, err := getIDs[Tip](tx, bktTips, lookup(tx, bktTipsByTopic, idValue(topicID)))
	if err != nil {
		return nil, fmt.Errorf("list tips of topic %d: %w", topicID, err)
	}
	return ts, nil
}

// MarkTipHelpful counts user's helpful vote on the tip, once per user: a
// second vote fails with ErrAlreadyVoted and changes nothing.
func (tx *Tx) MarkTipHelpful(id, userID uint64) (Tip, error) {
	if err := tx.writable(); err != nil {
		return Tip{}, err
	}
	t, err := getByID[Tip](tx, bktTips, id)
	if err != nil {
		return Tip{}, fmt.Errorf("vote on tip %d: %w", id, err)
	}
	key := append(itob(id), itob(userID)...)
	b := tx.bucket(bktTipsHelpful)
	if b.Get(key) != nil {
		return t, ErrAlreadyVoted
	}
	old := t
	t.Helpful++
	if err := tx.rerankTip(&old, &t); err != nil {
		return Tip{}, fmt.Errorf("vote on tip %d: %w", id, err)
	}
	if err := b.Put(key, []byte{}); err != nil {
		return Tip{}, fmt.Errorf("vote on tip %d: %w", id, err)
	}
	stats := tx.bucket(bktTipStats)
	if uint64(t.Helpful) > readUvarint(stats.Get([]byte(tipStatMaxHelpful))) {
		if err := stats.Put([]byte(tipStatMaxHelpful), uvarint(uint64(t.Helpful))); err != nil {
			return Tip{}, fmt.Errorf("vote on tip %d: %w", id, err)
		}
	}
	if err := putJSON(tx.bucket(bktTips), itob(id), t); err != nil {
		return Tip{}, fmt.Errorf("vote on tip %d: %w", id, err)
	}
	return t, nil
}

// deletePrefix deletes every key of b that starts with prefix.
func deletePrefix(b kv.Bucket, prefix []byte) error {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
