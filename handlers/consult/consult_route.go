package consult

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/soudan/soudan/store"
)

// pickMentors chooses who is asked: up to MaxRouted mentors of the topic
// who are available now and on the asker's platform, never the asker,
// fewest active consultations first.
func (a *Feature) pickMentors(c store.Consultation, asker store.User) ([]store.User, error) {
	ranked, err := a.rankMentors(c, asker)
	if len(ranked) > a.opt.MaxRouted {
		ranked = ranked[:a.opt.MaxRouted]
	}
	return ranked, err
}

// rankMentors is every mentor pickMentors could choose, in its order.
func (a *Feature) rankMentors(c store.Consultation, asker store.User) ([]store.User, error) {
	ms, err := a.Store.MentorsByTopic(c.TopicID)
	if err != nil {
		return nil, fmt.Errorf("route: mentors of topic: %w", err)
	}
	load, err := a.Store.ActiveLoad()
	if err != nil {
		return nil, fmt.Errorf("route: load: %w", err)
	}
	now := a.Now()
	type cand struct {
		u    store.User
		load int
	}
	var cands []cand
	for _, m := range ms {
		if m.UserID == c.AskerID || !m.Available(now) {
			continue
		}
		u, err := a.Store.User(m.UserID)
		if err != nil {
			return nil, fmt.Errorf("route: mentor %d: %w", m.UserID, err)
		}
		if u.Platform != asker.Platform || u.Workspace != asker.Workspace {
			continue
		}
		// The new consultation counts towards nobody yet.
		cands = append(cands, cand{u: u, load: load[m.UserID]})
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

// matchTopic finds the topic whose name or alias appears in text, the
// longest match winning, or the default topic.
func (a *Feature) matchTopic(text string) (store.Topic, error) {
	topics, err := a.Store.Topics()
	if err != nil {
		return store.Topic{}, fmt.Errorf("match topic: %w", err)
	}
	norm := store.Normalize(text)
	var best store.Topic
	bestLen := 0
	for _, t := range topics {
		if t.Default {
			continue
		}
		for _, w := range topicWords(t) {
			if n := utf8.RuneCountInString(w); n > bestLen && containsWord(norm, w) {
				best, bestLen = t, n
			}
		}
	}
	if bestLen > 0 {
		return best, nil
	}
	if t, err := a.Store.DefaultTopic(); err == nil {
		return t, nil
	}
	return a.ensureDefaultTopic()
}

// topicWords are the words that name t: its name, its aliases, and the
// parts of a name that joins several ("IT・Teams", "キャリア／異動"),
// normalised.
func topicWords(t store.Topic) []string {
	words := []string{store.Normalize(t.Name)}
	for _, a := range t.Aliases {
		words = append(words, store.Normalize(a))
	}
	parts := strings.FieldsFunc(store.Normalize(t.Name), func(r rune) bool {
		return strings.ContainsRune("・/,、&+ ", r)
	})
	if len(parts) > 1 {
		for _, p := range parts {
			if utf8.RuneCountInString(p) >= 2 {
				words = append(words, p)
			}
		}
	}
	return words
}

// containsWord reports whether w occurs in s. Words in scripts written
// with spaces (Latin letters, digits) must stand alone ("it" is not in
// "with"); Japanese words match anywhere.
func containsWord(s, w string) bool {
	if w == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		if boundary(s, start, end, w) {
			return true
		}
		_, size := utf8.DecodeRuneInString(s[start:])
		i = start + size
	}
}

func boundary(s string, start, end int, w string) bool {
	first, _ := utf8.DecodeRuneInString(w)
	last, _ := utf8.DecodeLastRuneInString(w)
	if start > 0 && spaced(first) {
		if r, _ := utf8.DecodeLastRuneInString(s[:start]); spaced(r) {
			return false
		}
	}
	if end < len(s) && spaced(last) {
		if r, _ := utf8.DecodeRuneInString(s[end:]); spaced(r) {
			return false
		}
	}
	return true
}

// spaced reports whether r belongs to a script written with spaces
// between words.
func spaced(r rune) bool {
	return r < 0x3000 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
