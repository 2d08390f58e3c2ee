package slack

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/soudan/soudan/bot"
)

// formKeyBytes is the length of a form's key before hex encoding.
const formKeyBytes = 12

// formStateKey is the StateStore key of the form posted under key.
func formStateKey(key string) string { return "form:" + key }

// savedForm is a form posted as a message, as the StateStore keeps it.
type savedForm struct {
	Form    bot.Form  `json:"form"`
	Origin  originDoc `json:"origin"`
	Expires time.Time `json:"expires"`
}

// save keeps p in the StateStore, if there is one, until it expires.
func (s *formStore) save(key string, p pendingForm) error {
	if s.state == nil {
		return nil
	}
	b, err := json.Marshal(savedForm{
		Form:    p.form,
		Origin:  p.origin.doc(),
		Expires: p.expires.Round(0),
	})
	if err != nil {
		return fmt.Errorf("encode form %s: %w", p.form.ID, err)
	}
	if err := s.state.PutAdapterState(bot.PlatformSlack, formStateKey(key), b, p.expires); err != nil {
		return fmt.Errorf("save form %s: %w", p.form.ID, err)
	}
	return nil
}

// load returns the form saved under key; ok is false when there is no
// StateStore, key is not a form key, or no form is saved under it.
func (s *formStore) load(key string) (p pendingForm, ok bool, err error) {
	if s.state == nil || !isFormKey(key) {
		return pendingForm{}, false, nil
	}
	b, ok, err := s.state.AdapterState(bot.PlatformSlack, formStateKey(key))
	if err != nil || !ok {
		return pendingForm{}, false, err
	}
	var sf savedForm
	if err := json.Unmarshal(b, &sf); err != nil {
		return pendingForm{}, false, fmt.Errorf("decode saved form: %w", err)
	}
	return pendingForm{
		form:    sf.Form,
		origin:  sf.Origin.origin(),
		expires: sf.Expires,
	}, true, nil
}

// isFormKey reports whether key is one put makes: the hex of
// formKeyBytes bytes. Other button values are never looked up.
func isFormKey(key string) bool {
	if len(key) != 2*formKeyBytes {
		return false
	}
	_, err := hex.DecodeString(key)
	return err == nil
}
