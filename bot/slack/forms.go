package slack

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/soudan/soudan/bot"
)

// Forms posted as messages wait in memory for their button to be pressed
// (which opens them as a modal) for at most formTTL, and at most maxForms
// of them.
const (
	formTTL  = 7 * 24 * time.Hour
	maxForms = 5000
)

// pendingForm is a form posted as a message, and where it was posted.
type pendingForm struct {
	form    bot.Form
	origin  origin
	expires time.Time
}

// formStore keeps the forms posted as messages, by the key in their
// button's value. Modals need a trigger id, which only an interaction or
// a command brings; a form the bot posts on its own (or in reply to a
// plain message) is a button that opens the form when pressed.
type formStore struct {
	now func() time.Time

	mu    sync.Mutex
	forms map[string]pendingForm
}

func newFormStore(now func() time.Time) *formStore {
	return &formStore{now: now, forms: map[string]pendingForm{}}
}

// put keeps f, to be opened from o, and returns its key.
func (s *formStore) put(f bot.Form, o origin) string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	key := hex.EncodeToString(b[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if len(s.forms) >= maxForms {
		s.pruneLocked(now)
	}
	if len(s.forms) >= maxForms {
		s.evictOldestLocked()
	}
	s.forms[key] = pendingForm{form: f, origin: o, expires: now.Add(formTTL)}
	return key
}

// get returns the form of key, if it is still kept.
func (s *formStore) get(key string) (pendingForm, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.forms[key]
	if !ok || s.now().After(p.expires) {
		delete(s.forms, key)
		return pendingForm{}, false
	}
	return p, true
}

func (s *formStore) pruneLocked(now time.Time) {
	for k, p := range s.forms {
		if now.After(p.expires) {
			delete(s.forms, k)
		}
	}
}

func (s *formStore) evictOldestLocked() {
	var oldest string
	var at time.Time
	for k, p := range s.forms {
		if oldest == "" || p.expires.Before(at) {
			oldest, at = k, p.expires
		}
	}
	delete(s.forms, oldest)
}
