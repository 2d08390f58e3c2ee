package slack

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	"github.com/soudan/soudan/bot"
)

// Forms posted as messages wait for their button to be pressed (which
// opens them as a modal) for at most formTTL. At most maxForms of them are
// kept in memory; with a StateStore every one is also saved there, so
// that its button still works after a restart or an eviction.
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
	now   func() time.Time
	state bot.StateStore // nil: memory only
	log   *slog.Logger

	mu    sync.Mutex
	forms map[string]pendingForm
}

func newFormStore(now func() time.Time, state bot.StateStore, log *slog.Logger) *formStore {
	return &formStore{now: now, state: state, log: log, forms: map[string]pendingForm{}}
}

// put keeps f, to be opened from o, and returns its key. A form that
// cannot be saved is still kept in memory.
func (s *formStore) put(f bot.Form, o origin) string {
	var b [formKeyBytes]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	key := hex.EncodeToString(b[:])
	p := pendingForm{form: f, origin: o, expires: s.now().Add(formTTL)}
	s.mu.Lock()
	s.addLocked(key, p)
	s.mu.Unlock()
	if err := s.save(key, p); err != nil {
		s.log.Warn("slack: save posted form; it is kept in memory only", "form", f.ID, "err", err)
	}
	return key
}

// get returns the form of key, if it is still kept: in memory, else in
// the StateStore.
func (s *formStore) get(key string) (pendingForm, bool) {
	s.mu.Lock()
	p, ok := s.forms[key]
	if ok && s.now().After(p.expires) {
		delete(s.forms, key)
		ok = false
	}
	s.mu.Unlock()
	if ok {
		return p, true
	}
	p, ok, err := s.load(key)
	if err != nil {
		s.log.Warn("slack: load posted form", "err", err)
	}
	if !ok || s.now().After(p.expires) {
		return pendingForm{}, false
	}
	s.mu.Lock()
	s.addLocked(key, p)
	s.mu.Unlock()
	return p, true
}

// addLocked keeps p under key in memory, making room when full.
func (s *formStore) addLocked(key string, p pendingForm) {
	if _, ok := s.forms[key]; !ok && len(s.forms) >= maxForms {
		s.pruneLocked(s.now())
		if len(s.forms) >= maxForms {
			s.evictOldestLocked()
		}
	}
	s.forms[key] = p
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
