package store_test

import (
	"errors"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestRemoveTopicMovesActiveConsultationsAndFreesItsNames(t *testing.T) {
	st := storetest.MustOpen(t, store.Options{})
	def, err := storetest.Write(st, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().Create(store.Topic{Name: "その他", Default: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	ch := store.ChannelRef{Platform: "test", Workspace: "w", Channel: "C1", Name: "career"}
	car := storetest.Update(t, st, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().Create(store.Topic{Name: "キャリア", Aliases: []string{"career"}, Channels: []store.ChannelRef{ch}})
	})
	it, _ := storetest.Write(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Create(store.Topic{Name: "IT"}) })
	u, _, err := storetest.Write2(st, func(tx *store.Tx) (store.User, bool, error) {
		return tx.Users().Ensure(store.UserKey{Platform: "test", Workspace: "w", PlatformID: "m"}, "m", "ja")
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storetest.Write(st, func(tx *store.Tx) (store.Mentor, error) {
		return tx.Mentors().Put(store.Mentor{UserID: u.ID, Topics: []uint64{car.ID, it.ID}})
	}); err != nil {
		t.Fatal(err)
	}
	open, _, err := storetest.Write2(st, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{TopicID: car.ID, AskerID: 1, Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: 1, Text: "q"}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	done, _, _ := storetest.Write2(st, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{TopicID: car.ID, AskerID: 1, Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: 1, Text: "q2"}}})
	})
	if _, err := storetest.Write(st, func(tx *store.Tx) (store.Consultation, error) {
		return tx.Consultations().Update(done.ID, func(c *store.Consultation) error { c.State = store.StateResolved; return nil })
	}); err != nil {
		t.Fatal(err)
	}

	var rm store.TopicRemoval
	if err := st.Update(func(tx *store.Tx) (err error) { rm, err = tx.Topics().Remove(car.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if rm.Moved != 1 || rm.Mentors != 1 || rm.MovedTo.ID != def.ID {
		t.Errorf("removal = %+v, want 1 moved to the default, 1 mentor", rm)
	}
	if c, _ := storetest.Read(st, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(open.ID) }); c.TopicID != def.ID {
		t.Errorf("open consultation's topic = %d, want the default %d", c.TopicID, def.ID)
	}
	if m, _ := storetest.Read(st, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(u.ID) }); len(m.Topics) != 1 || m.Topics[0] != it.ID {
		t.Errorf("mentor topics = %v, want only IT", m.Topics)
	}
	if ms, _ := storetest.Read(st, func(tx *store.Tx) ([]store.Mentor, error) { return tx.Mentors().ByTopic(car.ID) }); len(ms) != 0 {
		t.Errorf("mentors.by_topic still files %d mentors under the removed topic", len(ms))
	}
	for _, name := range []string{"キャリア", "career"} {
		if _, err := storetest.Read(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName(name) }); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("TopicByName(%q) = %v, want not found", name, err)
		}
	}
	if _, err := storetest.Read(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByChannel("test", "w", "C1") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("channel still mapped: %v", err)
	}
	if _, err := storetest.Write(st, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().Create(store.Topic{Name: "career", Channels: []store.ChannelRef{ch}})
	}); err != nil {
		t.Errorf("the removed topic's name and channel are not free: %v", err)
	}
	err = st.Update(func(tx *store.Tx) error { _, err := tx.Topics().Remove(def.ID); return err })
	if !errors.Is(err, store.ErrDefaultTopic) {
		t.Errorf("removing the default topic: %v, want ErrDefaultTopic", err)
	}
}

func TestUnmapChannel(t *testing.T) {
	st := storetest.MustOpen(t, store.Options{})
	ch := store.ChannelRef{Platform: "test", Workspace: "w", Channel: "C1"}
	car, _ := storetest.Write(st, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().Create(store.Topic{Name: "キャリア", Channels: []store.ChannelRef{ch}})
	})
	var got store.Topic
	if err := st.Update(func(tx *store.Tx) (err error) { got, err = tx.Topics().UnmapChannel(ch); return err }); err != nil {
		t.Fatal(err)
	}
	if got.ID != car.ID || len(got.Channels) != 0 {
		t.Errorf("unmapped topic = %+v, want キャリア without channels", got)
	}
	if _, err := storetest.Read(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByChannel("test", "w", "C1") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("channel still mapped: %v", err)
	}
	err := st.Update(func(tx *store.Tx) error { _, err := tx.Topics().UnmapChannel(ch); return err })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unmapping again: %v, want not found", err)
	}
}
