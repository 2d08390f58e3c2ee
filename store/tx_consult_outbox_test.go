package store_test

import (
	"errors"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// updateEnqueue changes consultation id and queues the items fn returns in
// one unit of work, as a handler closing a consultation with its notices
// does.
func updateEnqueue(s *store.Store, id uint64, fn func(*store.Consultation) ([]store.OutboxItem, error)) (store.Consultation, error) {
	var c store.Consultation
	err := s.Update(func(tx *store.Tx) (err error) {
		var items []store.OutboxItem
		c, err = tx.Consultations().Update(id, func(c *store.Consultation) (err error) {
			items, err = fn(c)
			return err
		})
		if err != nil {
			return err
		}
		_, _, err = tx.Outbox().Enqueue(nil, items)
		return err
	})
	return c, err
}

func TestUpdateConsultationAndEnqueueIsAtomic(t *testing.T) {
	s := storetest.MustOpen(t)
	u, _, err := storetest.Write2(s, func(tx *store.Tx) (store.User, bool, error) {
		return tx.Users().Ensure(store.UserKey{Platform: "test", PlatformID: "a"}, "a", "ja")
	})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{AskerID: u.ID,
			Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: u.ID, Text: "q"}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	notice := store.OutboxItem{Platform: "test", User: "a", Key: "close:1", Payload: []byte(`{"Text":"closed"}`)}

	// A refusal from fn stores neither the change nor the notice.
	refuse := errors.New("changed meanwhile")
	_, err = updateEnqueue(s, c.ID, func(c *store.Consultation) ([]store.OutboxItem, error) {
		c.State = store.StateClosed
		return []store.OutboxItem{notice}, refuse
	})
	if !errors.Is(err, refuse) {
		t.Fatalf("err = %v, want the refusal", err)
	}
	if got, _ := storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(c.ID) }); got.State != store.StateOpen {
		t.Errorf("state after refusal = %s, want open", got.State)
	}
	if _, err := storetest.Read(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().ItemByKey("close:1") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("notice after refusal: err %v, want not found", err)
	}

	// An invalid item aborts the change too.
	_, err = updateEnqueue(s, c.ID, func(c *store.Consultation) ([]store.OutboxItem, error) {
		c.State = store.StateClosed
		return []store.OutboxItem{{Key: "bad"}}, nil
	})
	if err == nil {
		t.Fatal("an item without an address was accepted")
	}
	if got, _ := storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(c.ID) }); got.State != store.StateOpen {
		t.Errorf("state after a bad item = %s, want open", got.State)
	}

	// Success stores both.
	got, err := updateEnqueue(s, c.ID, func(c *store.Consultation) ([]store.OutboxItem, error) {
		c.State = store.StateClosed
		return []store.OutboxItem{notice}, nil
	})
	if err != nil || got.State != store.StateClosed {
		t.Fatalf("update = %s, %v", got.State, err)
	}
	if it, err := storetest.Read(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().ItemByKey("close:1") }); err != nil || it.Status != store.OutboxPending {
		t.Errorf("notice = %+v, %v; want it pending", it, err)
	}
	if by, _ := storetest.Read(s, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByState(store.StateClosed) }); len(by) != 1 {
		t.Errorf("closed index has %d, want 1 (reindexed)", len(by))
	}
}
