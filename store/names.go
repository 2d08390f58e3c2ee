package store

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/soudan/soudan/store/text"
)

// A registry is the name index of records that are a name with aliases:
// topics and departments. Every name and alias is filed under its key,
// text.Fold, so that a record is found by any of them whatever their
// width, case, spacing and separators ("IT・Teams", "it teams" and
// "ＩＴ／Ｔｅａｍｓ" name one topic, as "総務 課" and "総務課" name one
// department), and one key belongs to one record.
type registry struct {
	records string // the records' bucket, JSON with a "name"
	index   string // key 0x00 itob(id)
	kind    string // what a record is, for messages
}

var (
	topicNames = registry{records: bktTopics, index: bktTopicsByName, kind: "topic"}
	deptNames  = registry{records: bktDepts, index: bktDeptsByName, kind: "department"}
)

// nameKeys returns the distinct keys of names, in order; a name that
// folds to nothing (blank, separators or invisible characters only) has
// none.
func nameKeys(names []string) []string {
	var keys []string
	for _, n := range names {
		if k := text.Fold(n); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// cleanAliases returns aliases without those that fold to nothing, to
// name's key or to an earlier alias's: the same name twice is kept once.
func cleanAliases(name string, aliases []string) []string {
	seen := []string{text.Fold(name)}
	var out []string
	for _, a := range aliases {
		if k := text.Fold(a); k != "" && !slices.Contains(seen, k) {
			seen = append(seen, k)
			out = append(out, a)
		}
	}
	return out
}

// entries are the index entries of names.
func (r registry) entries(names []string) []entry {
	var es []entry
	for _, k := range nameKeys(names) {
		es = append(es, entry{r.index, k})
	}
	return es
}

// claim fails with an error wrapping ErrExists, quoting the name as
// text.Normalize shows it, when one of names has the key of a name or
// alias of a record other than id.
func (r registry) claim(tx *Tx, id uint64, names []string) error {
	for _, n := range names {
		k := text.Fold(n)
		if k == "" {
			continue
		}
		if other, ok := lookupOther(tx, r.index, k, id); ok {
			return fmt.Errorf("%q is already a name or alias of %s %s: %w", text.Normalize(n), r.kind, r.label(tx, other), ErrExists)
		}
	}
	return nil
}

// find returns the id of the record name names, by its key.
func (r registry) find(tx *Tx, name string) (uint64, bool) {
	k := text.Fold(name)
	if k == "" {
		return 0, false
	}
	if ids := lookup(tx, r.index, k); len(ids) > 0 {
		return ids[0], true
	}
	return 0, false
}

// label quotes the name of record id for a message, or gives its id.
func (r registry) label(tx *Tx, id uint64) string {
	var rec struct {
		Name string `json:"name"`
	}
	if raw := tx.bucket(r.records).Get(itob(id)); raw != nil && json.Unmarshal(raw, &rec) == nil {
		return fmt.Sprintf("%q", rec.Name)
	}
	return fmt.Sprintf("#%d", id)
}
