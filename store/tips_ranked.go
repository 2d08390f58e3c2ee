package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// Buckets of the tips' rankings and keys (schema version 14 on merge).
const (
	// bktTipsByHelpful orders every tip by helpful votes:
	// ^helpful(8) id(8) -> empty, so a cursor from the start walks the
	// best first.
	bktTipsByHelpful = "tips.by_helpful"
	// bktTipsLinks orders the tips that have links within their topic:
	// topic(8) ^helpful(8) id(8) -> empty (topic 0: tips without one).
	bktTipsLinks = "tips.links"
	// bktTipsBySource files imported tips under their source system's key.
	bktTipsBySource = "tips.by_source"
	// bktTipsFeatured holds when a tip was last posted as the tip of the
	// week: itob(id) -> JSON time.
	bktTipsFeatured = "tips.featured"
	maxTipSource    = 200
)

// tipRankBuckets are the buckets of createTipRankBuckets.
var tipRankBuckets = []string{bktTipsByHelpful, bktTipsLinks, bktTipsBySource, bktTipsFeatured}

// createTipRankBuckets is the migration that adds the tips' rankings (by
// helpful votes; the links of each topic), the index of imported tips by
// their source key and the tip-of-the-week marks, and ranks the tips
// already stored.
func createTipRankBuckets(tx kv.Tx) error {
	for _, name := range tipRankBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	tips := tx.Bucket(bktTips)
	if tips == nil {
		return nil
	}
	return tips.ForEach(func(_, data []byte) error {
		var t Tip
		if err := json.Unmarshal(data, &t); err != nil {
			return err
		}
		for _, k := range rankKeys(t) {
			if err := tx.Bucket(k.bucket).Put(k.key, []byte{}); err != nil {
				return err
			}
		}
		return nil
	})
}

// rankKey is one key of a tip in a ranking bucket.
type rankKey struct {
	bucket string
	key    []byte
}

// rankKeys are t's keys in the rankings.
func rankKeys(t Tip) []rankKey {
	h := itob(^uint64(max(t.Helpful, 0)))
	keys := []rankKey{{bktTipsByHelpful, append(h, itob(t.ID)...)}}
	if len(t.Links) > 0 {
		k := append(append(itob(t.TopicID), h...), itob(t.ID)...)
		keys = append(keys, rankKey{bktTipsLinks, k})
	}
	return keys
}

// rerankTip moves a tip from its keys as old (nil: a new tip) to its keys
// as t (nil: deleted).
func (tx *Tx) rerankTip(old, t *Tip) error {
	if old != nil {
		for _, k := range rankKeys(*old) {
			if err := tx.bucket(k.bucket).Delete(k.key); err != nil {
				return fmt.Errorf("rank tip: %w", err)
			}
		}
	}
	if t != nil {
		for _, k := range rankKeys(*t) {
			if err := tx.bucket(k.bucket).Put(k.key, []byte{}); err != nil {
				return fmt.Errorf("rank tip: %w", err)
			}
		}
	}
	return nil
}

// LinkTips returns up to n tips of the topic (0: tips without a topic)
// that have links, the most helpful first (then the oldest). It reads n
// keys of an index, however many tips there are.
func (tx *Tx) LinkTips(topicID uint64, n int) ([]Tip, error) {
	prefix := itob(topicID)
	var out []Tip
	c := tx.bucket(bktTipsLinks).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(out) < n; k, _ = c.Next() {
		if len(k) != 24 {
			continue
		}
		t, err := getByID[Tip](tx, bktTips, btoi(k[16:]))
		if err != nil {
			return nil, fmt.Errorf("link tips of topic %d: %w", topicID, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// errStopTips ends BestTips early.
var errStopTips = errors.New("stop")

// BestTips calls fn with each tip, the most helpful first (then the
// oldest), until fn returns false or an error.
func (tx *Tx) BestTips(fn func(Tip) (bool, error)) error {
	err := tx.bucket(bktTipsByHelpful).ForEach(func(k, _ []byte) error {
		if len(k) != 16 {
			return nil
		}
		t, err := getByID[Tip](tx, bktTips, btoi(k[8:]))
		if err != nil {
			return err
		}
		more, err := fn(t)
		if err == nil && !more {
			err = errStopTips
		}
		return err
	})
	if errors.Is(err, errStopTips) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("best tips: %w", err)
	}
	return nil
}

// TipBySource returns the tip imported under the source system's key, or
// ErrNotFound.
func (tx *Tx) TipBySource(key string) (Tip, error) {
	ids := lookup(tx, bktTipsBySource, key)
	if key == "" || len(ids) == 0 {
		return Tip{}, fmt.Errorf("tip with source key %q: %w", key, ErrNotFound)
	}
	return tx.Tip(ids[0])
}

// MarkTipFeatured records that the tip was posted as the tip of the week
// now.
func (tx *Tx) MarkTipFeatured(id uint64) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if err := putJSON(tx.bucket(bktTipsFeatured), itob(id), tx.Now()); err != nil {
		return fmt.Errorf("mark tip %d featured: %w", id, err)
	}
	return nil
}

// TipFeaturedAt returns when the tip was last posted as the tip of the
// week, and whether it ever was.
func (tx *Tx) TipFeaturedAt(id uint64) (time.Time, bool, error) {
	var at time.Time
	err := getJSON(tx.bucket(bktTipsFeatured), itob(id), &at)
	if errors.Is(err, ErrNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("tip %d featured at: %w", id, err)
	}
	return at, true, nil
}
