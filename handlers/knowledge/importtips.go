package knowledge

import (
	"errors"
	"fmt"
	"slices"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/knowledge/tipfile"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// importBatch is how many tips one transaction of an import writes.
const importBatch = 500

// auditImport is the audit action of an applied tip import.
const auditImport = "tips.import"

// Change is what importing one record does (or, in a dry run, would do).
type Change string

// Changes of an import.
const (
	Created   Change = "created"
	Updated   Change = "updated"
	Unchanged Change = "unchanged"
)

// ImportResult is what an import did or, in a dry run, would do.
type ImportResult struct {
	Created, Updated, Unchanged int
	// Translated counts the records linked to their translation_of
	// (store.LinkTranslation) that were not linked already.
	Translated int
	NewTopics  []string          // topics created for the tips
	Problems   []tipfile.Problem // records refused by the store; nothing of them stored
}

// Import creates or updates a tip for each record, found again by its
// source key (the record's ID), so that importing the same records again
// changes nothing; a topic named by a record that does not exist is
// created. It writes importBatch records per transaction, with an audit
// entry naming source; a record the store refuses is a Problem and
// nothing of it is stored. With dry it changes nothing and reports what
// it would do.
func Import(st handlers.Transactions, source string, recs []tipfile.Record, dry bool) (ImportResult, error) {
	var res ImportResult
	for start := 0; start < len(recs); start += importBatch {
		batch := recs[start:min(start+importBatch, len(recs))]
		for {
			var part ImportResult
			var bad *tipfile.Problem
			refused := -1
			run := st.Update
			if dry {
				run = st.View
			}
			// The function may run more than once (a retried
			// transaction): it changes only what it resets first, and
			// the refused record leaves the batch after it returns.
			err := run(func(tx *store.Tx) error {
				part, bad, refused = ImportResult{}, nil, -1
				for i, r := range batch {
					ch, newTopic, err := importRecord(tx, r, dry, res.NewTopics, part.NewTopics)
					if err != nil {
						if errors.Is(err, errRefused) {
							bad, refused = &tipfile.Problem{Where: r.Where, Err: err.Error()}, i
							return errRetry
						}
						return err
					}
					if newTopic != "" {
						part.NewTopics = append(part.NewTopics, newTopic)
					}
					switch ch {
					case Created:
						part.Created++
					case Updated:
						part.Updated++
					default:
						part.Unchanged++
					}
				}
				if dry || part.Created+part.Updated == 0 {
					return nil
				}
				_, err := tx.AppendAudit(store.AuditEntry{Action: auditImport,
					Detail: fmt.Sprintf("%s %s..%s: created %d, updated %d", source, batch[0].Where, batch[len(batch)-1].Where, part.Created, part.Updated)})
				return err
			})
			if errors.Is(err, errRetry) {
				res.Problems = append(res.Problems, *bad)
				batch = slices.Delete(slices.Clone(batch), refused, refused+1)
				continue // the batch again, without the refused record
			}
			if err != nil {
				return res, fmt.Errorf("import tips: %w", err)
			}
			res.Created += part.Created
			res.Updated += part.Updated
			res.Unchanged += part.Unchanged
			res.NewTopics = append(res.NewTopics, part.NewTopics...)
			break
		}
	}
	if err := linkTranslations(st, recs, dry, &res); err != nil {
		return res, err
	}
	slices.SortFunc(res.Problems, func(a, b tipfile.Problem) int { return compareWhere(a.Where, b.Where) })
	return res, nil
}

// linkTranslations links each record's tip to its translation_of's, once
// every record is in: a record the store refused, a translation_of that
// names no tip (nor, in a dry run, a record), or a link refused (two tips
// in one language) is a Problem; the tip itself stays imported.
func linkTranslations(st handlers.Transactions, recs []tipfile.Record, dry bool, res *ImportResult) error {
	inFile := map[string]bool{}
	for _, r := range recs {
		inFile[r.ID] = true
	}
	for _, p := range res.Problems {
		for _, r := range recs {
			if r.Where == p.Where {
				delete(inFile, r.ID)
			}
		}
	}
	run := st.Update
	if dry {
		run = st.View
	}
	var probs []tipfile.Problem
	linked := 0
	err := run(func(tx *store.Tx) error {
		probs, linked = nil, 0
		for _, r := range recs {
			if r.TranslationOf == "" || !inFile[r.ID] {
				continue
			}
			other, err := tx.TipBySource(r.TranslationOf)
			if errors.Is(err, store.ErrNotFound) && dry && inFile[r.TranslationOf] {
				linked++
				continue
			}
			if errors.Is(err, store.ErrNotFound) {
				probs = append(probs, tipfile.Problem{Where: r.Where, Err: fmt.Sprintf("translation_of %q names no tip", r.TranslationOf)})
				continue
			}
			if err != nil {
				return err
			}
			t, err := tx.TipBySource(r.ID)
			if errors.Is(err, store.ErrNotFound) && dry {
				linked++
				continue
			}
			if err != nil {
				return err
			}
			if slices.Contains(t.Translations, other.ID) {
				continue
			}
			if dry {
				linked++
				continue
			}
			err = tx.LinkTranslation(t.ID, other.ID)
			if errors.Is(err, store.ErrSameLanguage) {
				probs = append(probs, tipfile.Problem{Where: r.Where, Err: fmt.Sprintf("translation_of %q: %v", r.TranslationOf, err)})
				continue
			}
			if err != nil {
				return err
			}
			linked++
		}
		if dry || linked == 0 {
			return nil
		}
		_, err := tx.AppendAudit(store.AuditEntry{Action: auditImport, Detail: fmt.Sprintf("translations linked: %d", linked)})
		return err
	})
	if err != nil {
		return fmt.Errorf("import tips: translations: %w", err)
	}
	res.Problems = append(res.Problems, probs...)
	res.Translated = linked
	return nil
}

var (
	errRefused = errors.New("refused")
	errRetry   = errors.New("retry without a refused record")
)

// importRecord creates or updates r's tip in tx (in a dry run only finds
// out which), creating its topic if need be (newTopic names it). The
// topics a dry run would have created before (earlier, this batch) count
// as there. An error wrapping errRefused is the record's own problem.
func importRecord(tx *store.Tx, r tipfile.Record, dry bool, earlier, this []string) (Change, string, error) {
	var topicID uint64
	var newTopic string
	if r.Topic != "" {
		tp, err := tx.Topics().ByName(r.Topic)
		switch {
		case err == nil:
			topicID = tp.ID
		case !errors.Is(err, store.ErrNotFound):
			return "", "", err
		case dry:
			if !slices.Contains(earlier, r.Topic) && !slices.Contains(this, r.Topic) {
				newTopic = r.Topic
			}
		default:
			tp, err := tx.Topics().Create(store.Topic{Name: r.Topic})
			if err != nil {
				return "", "", fmt.Errorf("topic %q: %v: %w", r.Topic, err, errRefused)
			}
			topicID, newTopic = tp.ID, tp.Name
		}
	}
	want := store.Tip{
		Title: handlers.OneLine(handlers.Clean(r.Title)), Body: handlers.Clean(r.Body), TopicID: topicID,
		Tags: cleanAll(r.Tags), Links: uniq(r.Links), Lang: r.Lang, Source: r.ID,
	}
	old, err := tx.TipBySource(r.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		if !dry {
			if _, err := tx.CreateTip(want); err != nil {
				return "", "", fmt.Errorf("%v: %w", err, errRefused)
			}
		}
		return Created, newTopic, nil
	case err != nil:
		return "", "", err
	}
	if sameTip(old, want) && newTopic == "" {
		return Unchanged, "", nil
	}
	if !dry {
		_, err := tx.UpdateTip(old.ID, func(t *store.Tip) error {
			t.Title, t.Body, t.TopicID, t.Tags, t.Links, t.Lang = want.Title, want.Body, want.TopicID, want.Tags, want.Links, want.Lang
			return nil
		})
		if err != nil {
			return "", "", fmt.Errorf("%v: %w", err, errRefused)
		}
	}
	return Updated, newTopic, nil
}

// sameTip reports whether an import of want changes nothing of t.
func sameTip(t, want store.Tip) bool {
	return t.Title == want.Title && t.Body == want.Body && t.TopicID == want.TopicID && t.Lang == want.Lang &&
		slices.Equal(t.Tags, want.Tags) && slices.Equal(t.Links, want.Links)
}

// cleanAll cleans each of ss and leaves out those the store would count
// as the same as an earlier one (normalised), so that an unchanged file
// compares equal to what it stored.
func cleanAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = handlers.OneLine(handlers.Clean(s)); s != "" && !slices.ContainsFunc(out, func(o string) bool { return text.Normalize(o) == text.Normalize(s) }) {
			out = append(out, s)
		}
	}
	return out
}

// uniq is ss without later duplicates.
func uniq(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
