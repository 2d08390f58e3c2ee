package store

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/text"
)

// bktSearchTerms counts what people searched for, by month (schema
// version 16): key "month 0x00 query" (the query as Normalize folds it),
// value SearchTerm. Admins read the most searched and the unanswered
// queries in the statistics: what to write next.
const bktSearchTerms = "stats.search_terms"

// maxTermRunes is the longest query kept; longer ones are cut.
const maxTermRunes = 100

// SearchTerm is one query's count in a month.
type SearchTerm struct {
	Query    string `json:"q"`
	Searches int    `json:"n"`
	Empty    int    `json:"empty,omitempty"` // searches of it that found nothing
}

// createSearchTermBucket is the migration that creates the search terms'
// counters.
func createSearchTermBucket(tx kv.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bktSearchTerms); err != nil {
		return fmt.Errorf("create bucket %s: %w", bktSearchTerms, err)
	}
	return nil
}

// CountSearchTerm counts a search for query in month ("2006-01"), and
// whether it found nothing, in the transaction of the search's event.
func (tx *Tx) CountSearchTerm(month, query string, empty bool) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if err := checkMonth(month); err != nil {
		return fmt.Errorf("count search term: %w", err)
	}
	q := []rune(text.Normalize(query))
	if len(q) == 0 {
		return nil
	}
	if len(q) > maxTermRunes {
		q = q[:maxTermRunes]
	}
	b := tx.bucket(bktSearchTerms)
	key := []byte(joinKey(month, string(q)))
	t := SearchTerm{Query: string(q)}
	if raw := b.Get(key); raw != nil {
		if err := json.Unmarshal(raw, &t); err != nil {
			return fmt.Errorf("count search term: %w", err)
		}
	}
	t.Searches++
	if empty {
		t.Empty++
	}
	if err := putJSON(b, key, t); err != nil {
		return fmt.Errorf("count search term: %w", err)
	}
	return nil
}

// SearchTerms returns month's n most searched queries and its n most
// searched queries that found nothing, most first (ties by query). It
// reads that month's queries only.
func (tx *Tx) SearchTerms(month string, n int) (top, empty []SearchTerm, err error) {
	if err := checkMonth(month); err != nil {
		return nil, nil, fmt.Errorf("search terms: %w", err)
	}
	var all []SearchTerm
	prefix := []byte(month + sep)
	c := tx.bucket(bktSearchTerms).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var t SearchTerm
		if err := json.Unmarshal(v, &t); err != nil {
			return nil, nil, fmt.Errorf("search terms of %s: %w", month, err)
		}
		all = append(all, t)
	}
	pick := func(count func(SearchTerm) int) []SearchTerm {
		var out []SearchTerm
		for _, t := range all {
			if count(t) > 0 {
				out = append(out, t)
			}
		}
		slices.SortFunc(out, func(a, b SearchTerm) int {
			return cmp.Or(cmp.Compare(count(b), count(a)), cmp.Compare(a.Query, b.Query))
		})
		return out[:min(n, len(out))]
	}
	return pick(func(t SearchTerm) int { return t.Searches }), pick(func(t SearchTerm) int { return t.Empty }), nil
}

// PurgeSearchTerms deletes the search terms of months before before's
// month, at most limit per call; more reports whether some are left.
// The monthly totals (searches, searches with no result) stay.
func (tx *Tx) PurgeSearchTerms(before time.Time, limit int) (n int, more bool, err error) {
	if err := tx.writable(); err != nil {
		return 0, false, err
	}
	cut := []byte(before.Format(monthLayout))
	b := tx.bucket(bktSearchTerms)
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k, cut) < 0; k, _ = c.Next() {
		if len(keys) == limit {
			more = true
			break
		}
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return 0, false, fmt.Errorf("purge search terms: %w", err)
		}
	}
	return len(keys), more, nil
}
