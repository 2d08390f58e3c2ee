package bottest

import (
	"sync"
	"time"

	"github.com/soudan/soudan/bot"
)

// StateStore is an in-memory bot.StateStore for adapter tests: it keeps
// each value until its expiry by Now, as the store keeps them on the data
// file, and counts the calls. An adapter made afresh on the same
// StateStore is the bot restarted on the same data file.
type StateStore struct {
	// Now is the clock expiries are measured by; nil means time.Now.
	Now func() time.Time

	mu    sync.Mutex
	docs  map[string]stateDoc
	puts  int
	reads int
}

var _ bot.StateStore = (*StateStore)(nil)

// stateDoc is one kept value.
type stateDoc struct {
	value   []byte
	expires time.Time
}

// NewStateStore returns an empty StateStore on the clock now (nil:
// time.Now).
func NewStateStore(now func() time.Time) *StateStore {
	return &StateStore{Now: now}
}

func (s *StateStore) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func stateKey(platform, key string) string { return platform + "\x00" + key }

// PutAdapterState keeps a copy of value under platform's key until
// expires; an expiry not after now forgets the key.
func (s *StateStore) PutAdapterState(platform, key string, value []byte, expires time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.puts++
	if s.docs == nil {
		s.docs = map[string]stateDoc{}
	}
	k := stateKey(platform, key)
	if !expires.After(s.now()) {
		delete(s.docs, k)
		return nil
	}
	s.docs[k] = stateDoc{value: append([]byte{}, value...), expires: expires}
	return nil
}

// AdapterState returns a copy of the value kept under platform's key,
// and false when there is none or it has expired.
func (s *StateStore) AdapterState(platform, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads++
	d, ok := s.docs[stateKey(platform, key)]
	if !ok || !d.expires.After(s.now()) {
		return nil, false, nil
	}
	return append([]byte{}, d.value...), true, nil
}

// Puts is the number of PutAdapterState calls so far.
func (s *StateStore) Puts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.puts
}

// Reads is the number of AdapterState calls so far.
func (s *StateStore) Reads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads
}
