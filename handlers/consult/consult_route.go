package consult

import (
	"fmt"
	"sort"

	storetext "github.com/soudan/soudan/store/text"

	"github.com/soudan/soudan/store"
)

// rankMentors is every mentor who could be asked about c: the mentors of
// its topic who are available now and on the asker's platform, never the
// asker, fewest active consultations first. A question goes to the first
// MaxRouted.
func (a *Feature) rankMentors(c store.Consultation, asker store.User) (ranked []store.User, err error) {
	err = a.View(func(tx *store.Tx) error {
		ranked, err = a.rankMentorsTx(tx, c, asker)
		return err
	})
	return ranked, err
}

// rankMentorsTx is rankMentors in tx.
func (a *Feature) rankMentorsTx(tx *store.Tx, c store.Consultation, asker store.User) ([]store.User, error) {
	now := a.Now()
	type cand struct {
		u    store.User
		load int
	}
	var cands []cand
	// The mentors of the topic and their loads (counts kept with every
	// consultation write): the cost does not grow with history.
	err := func() error {
		ms, err := tx.Mentors().ByTopic(c.TopicID)
		if err != nil {
			return fmt.Errorf("route: mentors of topic: %w", err)
		}
		ids := make([]uint64, len(ms))
		for i, m := range ms {
			ids[i] = m.UserID
		}
		load, err := tx.Mentors().Load(ids...)
		if err != nil {
			return fmt.Errorf("route: load: %w", err)
		}
		for _, m := range ms {
			if m.UserID == c.AskerID || !m.Available(now) {
				continue
			}
			u, err := tx.Users().ByID(m.UserID)
			if err != nil {
				return fmt.Errorf("route: mentor %d: %w", m.UserID, err)
			}
			if u.Platform != asker.Platform || u.Workspace != asker.Workspace {
				continue
			}
			cands = append(cands, cand{u: u, load: load[m.UserID]})
		}
		return nil
	}()
	if err != nil {
		return nil, err
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].load != cands[j].load {
			return cands[i].load < cands[j].load
		}
		return cands[i].u.ID < cands[j].u.ID
	})
	out := make([]store.User, len(cands))
	for i, c := range cands {
		out[i] = c.u
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
