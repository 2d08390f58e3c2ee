package store_test

import (
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestFinishEvent(t *testing.T) {
	s := storetest.MustOpen(t)
	u, _, err := storetest.Write2(s, func(tx *store.Tx) (store.User, bool, error) {
		return tx.Users().Ensure(store.UserKey{Platform: "test", PlatformID: "a"}, "a", "ja")
	})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{AskerID: u.ID, EventID: "ev1",
			Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: u.ID, Text: "q"}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if done, err := storetest.Read(s, func(tx *store.Tx) (bool, error) { return tx.Events().Done("ev1") }); err != nil || done {
		t.Errorf("EventDone after create = %v, %v; want false: the handler has not finished", done, err)
	}
	if err := s.Update(func(tx *store.Tx) error { return tx.Events().Finish("ev1") }); err != nil {
		t.Fatal(err)
	}
	if done, err := storetest.Read(s, func(tx *store.Tx) (bool, error) { return tx.Events().Done("ev1") }); err != nil || !done {
		t.Errorf("EventDone after finish = %v, %v; want true", done, err)
	}
	// Finishing keeps the record's ref: a lookup by event still finds it.
	again, created, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{AskerID: u.ID, EventID: "ev1",
			Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: u.ID, Text: "q"}}})
	})
	if err != nil || created || again.ID != c.ID {
		t.Errorf("create after finish = %d created=%v err=%v; want the same consultation %d", again.ID, created, err, c.ID)
	}
	// An event nothing claimed can be finished directly.
	if err := s.Update(func(tx *store.Tx) error { return tx.Events().Finish("ev2") }); err != nil {
		t.Fatal(err)
	}
	if done, _ := storetest.Read(s, func(tx *store.Tx) (bool, error) { return tx.Events().Done("ev2") }); !done {
		t.Errorf("EventDone(ev2) = false after FinishEvent")
	}
	if done, _ := storetest.Read(s, func(tx *store.Tx) (bool, error) { return tx.Events().Done("never") }); done {
		t.Errorf("EventDone(never) = true")
	}
}
