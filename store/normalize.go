package store

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/text"
)

// reindexNames rebuilds the name indexes of topics and users in the
// normalised form of this version (schema version 6: Normalize became
// text.Normalize, which also folds case fully and drops invisible
// characters).
func reindexNames(tx kv.Tx) error {
	for _, ix := range []struct {
		records, index string
		names          func(data []byte) (uint64, []string, error)
	}{
		{bktTopics, bktTopicsByName, func(data []byte) (uint64, []string, error) {
			var t Topic
			err := json.Unmarshal(data, &t)
			return t.ID, normalizedWords(t), err
		}},
		{bktUsers, bktUsersByName, func(data []byte) (uint64, []string, error) {
			var u User
			err := json.Unmarshal(data, &u)
			if n := text.Normalize(u.Name); n != "" {
				return u.ID, []string{n}, err
			}
			return u.ID, nil, err
		}},
	} {
		if err := tx.DeleteBucket(ix.index); err != nil {
			return fmt.Errorf("reindex %s: %w", ix.index, err)
		}
		b, err := tx.CreateBucket(ix.index)
		if err != nil {
			return fmt.Errorf("reindex %s: %w", ix.index, err)
		}
		err = tx.Bucket(ix.records).ForEach(func(_, data []byte) error {
			id, names, err := ix.names(data)
			if err != nil {
				return err
			}
			for _, n := range names {
				if err := b.Put(indexKey(n, id), []byte{}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("reindex %s: %w", ix.index, err)
		}
	}
	return nil
}

// normalizedWords are the distinct text.Normalize forms of t's name and
// aliases: how schema versions 6 to 19 keyed topics (version 20 keys them
// by text.Fold, foldTopicNames).
func normalizedWords(t Topic) []string {
	var words []string
	for _, w := range t.Names() {
		if n := text.Normalize(w); n != "" && !slices.Contains(words, n) {
			words = append(words, n)
		}
	}
	return words
}
