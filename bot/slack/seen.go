package slack

import (
	"sync"
	"time"
)

// seenSet remembers the ids of recent events, so that Slack's retries of
// an event still being handled are dropped before they reach the
// handlers (which also dedupe, durably, by Message.ID).
type seenSet struct {
	now func() time.Time

	mu   sync.Mutex
	ids  map[string]time.Time
	next time.Time // next prune
}

// seenTTL is how long an event id is remembered; Slack retries within
// minutes.
const seenTTL = time.Hour

func newSeenSet(now func() time.Time) *seenSet {
	return &seenSet{now: now, ids: map[string]time.Time{}}
}

// first reports whether id is seen for the first time, and remembers it.
func (s *seenSet) first(id string) bool {
	if id == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if now.After(s.next) {
		for k, t := range s.ids {
			if now.Sub(t) > seenTTL {
				delete(s.ids, k)
			}
		}
		s.next = now.Add(seenTTL / 4)
	}
	if t, ok := s.ids[id]; ok && now.Sub(t) <= seenTTL {
		return false
	}
	s.ids[id] = now
	return true
}

// forget drops id, so that a retry of an event that could not be recorded
// is taken again.
func (s *seenSet) forget(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.ids, id)
}
