package knowledge

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/knowledge/tipfile"
	"github.com/soudan/soudan/store"
)

// sourcePrefix makes the export id of a tip that was not imported:
// "soudan-12". Importing an export elsewhere keeps it as the source key.
const sourcePrefix = "soudan-"

// Records are every tip as files hold them, in id order: the id is the
// tip's source key, or "soudan-ID" for a tip added in soudan. A tip in
// several languages is the translation_of the first of them.
func Records(st handlers.Transactions) ([]tipfile.Record, error) {
	var recs []tipfile.Record
	err := st.View(func(tx *store.Tx) error {
		topics := map[uint64]string{}
		ts, err := tx.Topics().All()
		if err != nil {
			return err
		}
		for _, t := range ts {
			topics[t.ID] = t.Name
		}
		tips, err := tx.Tips()
		if err != nil {
			return err
		}
		ids := map[uint64]string{}
		for _, t := range tips {
			ids[t.ID] = t.Source
			if t.Source == "" {
				ids[t.ID] = sourcePrefix + strconv.FormatUint(t.ID, 10)
			}
		}
		for _, t := range tips {
			r := tipfile.Record{ID: ids[t.ID], Title: t.Title, Body: t.Body, Topic: topics[t.TopicID], Tags: t.Tags, Links: t.Links, Lang: t.Lang}
			if len(t.Translations) > 0 {
				if first := slices.Min(t.Translations); first < t.ID {
					r.TranslationOf = ids[first]
				}
			}
			recs = append(recs, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export tips: %w", err)
	}
	return recs, nil
}

// Export writes every tip to dir as Markdown, a directory per topic
// (tipfile.WriteDir), and returns how many it wrote.
func Export(st handlers.Transactions, dir string) (int, error) {
	recs, err := Records(st)
	if err != nil {
		return 0, err
	}
	n, err := tipfile.WriteDir(dir, recs)
	if err != nil {
		return n, fmt.Errorf("export tips: %w", err)
	}
	return n, nil
}

// compareWhere orders places "FILE:LINE" by file, then line number.
func compareWhere(a, b string) int {
	fa, la := splitWhere(a)
	fb, lb := splitWhere(b)
	if c := strings.Compare(fa, fb); c != 0 {
		return c
	}
	return la - lb
}

func splitWhere(w string) (string, int) {
	i := strings.LastIndexByte(w, ':')
	if i < 0 {
		return w, 0
	}
	n, err := strconv.Atoi(w[i+1:])
	if err != nil {
		return w, 0
	}
	return w[:i], n
}
