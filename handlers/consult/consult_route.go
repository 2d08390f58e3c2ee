package consult

import (
	"cmp"
	"fmt"
	"slices"

	storetext "github.com/soudan/soudan/store/text"

	"github.com/soudan/soudan/store"
)

// rankMentors is every mentor who could be asked about c: the mentors of
// its topic who are available now and on the asker's platform, never the
// asker, fewest active consultations first. A question goes to the first
// MaxRouted.
func (a *Feature) rankMentors(c store.Consultation, asker store.User) (ranked []store.User, err error) {
	err = a.View(func(tx *store.Tx) error {
		ranked, err = a.rankMentorsTx(tx, c, asker, 0)
		return err
	})
	return ranked, err
}

// rankMentorsTx is rankMentors in tx, the first limit of them (all when
// limit is 0). The topic's mentors are ordered by their load counts (kept
// with every consultation write) before any record is read, and profiles
// and users are read in that order only until limit are found: routing a
// question reads about MaxRouted mentors, not every mentor of the topic,
// and its cost grows neither with history nor with the topic's mentors.
// The order is the one of filtering every mentor first: fewest active
// consultations, then the lowest user id.
func (a *Feature) rankMentorsTx(tx *store.Tx, c store.Consultation, asker store.User, limit int) ([]store.User, error) {
	now := a.Now()
	ids := tx.Mentors().IDsByTopic(c.TopicID)
	load, err := tx.Mentors().Load(ids...)
	if err != nil {
		return nil, fmt.Errorf("route: load: %w", err)
	}
	slices.SortFunc(ids, func(x, y uint64) int {
		if d := cmp.Compare(load[x], load[y]); d != 0 {
			return d
		}
		return cmp.Compare(x, y)
	})
	var out []store.User
	for _, id := range ids {
		if limit > 0 && len(out) == limit {
			break
		}
		if id == c.AskerID {
			continue
		}
		m, err := tx.Mentors().ByUser(id)
		if err != nil {
			return nil, fmt.Errorf("route: mentor of topic: %w", err)
		}
		if !m.Available(now) {
			continue
		}
		u, err := tx.Users().ByID(id)
		if err != nil {
			return nil, fmt.Errorf("route: mentor %d: %w", id, err)
		}
		if u.Platform != asker.Platform || u.Workspace != asker.Workspace {
			continue
		}
		out = append(out, u)
	}
	return out, nil
}

// matchTopicTx finds the topic whose name, alias or a word of its name
// appears in text (the text package's rules: the longest term wins; an
// English word stands alone, and a stop word such as "it" names no topic
// in running English), or the default topic.
func (a *Feature) matchTopicTx(tx *store.Tx, text string) (store.Topic, error) {
	topics, err := tx.Topics().All()
	if err != nil {
		return store.Topic{}, fmt.Errorf("match topic: %w", err)
	}
	entries := make([]storetext.Entry, 0, len(topics))
	byID := make(map[uint64]store.Topic, len(topics))
	for _, t := range topics {
		if t.Default {
			continue
		}
		entries = append(entries, storetext.Entry{ID: t.ID, Names: append([]string{t.Name}, t.Aliases...)})
		byID[t.ID] = t
	}
	if m, ok := storetext.NewMatcher(entries).Best(text); ok {
		return byID[m.ID], nil
	}
	return tx.Topics().Default()
}
