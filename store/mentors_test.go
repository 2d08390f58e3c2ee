package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestPutMentorKeepsCreatedAt(t *testing.T) {
	s, clk := openClocked(t)
	u := mustUser(t, s, "U1", "Sato")
	m, err := storetest.Write(s, func(tx *store.Tx) (store.Mentor, error) {
		return tx.Mentors().Put(store.Mentor{UserID: u.ID, Message: "ask me about careers"})
	})
	if err != nil || !m.CreatedAt.Equal(t0) || !m.UpdatedAt.Equal(t0) {
		t.Fatalf("PutMentor: got created %v updated %v, %v; want both %v", m.CreatedAt, m.UpdatedAt, err, t0)
	}
	clk.Advance(time.Hour)
	m, err = storetest.Write(s, func(tx *store.Tx) (store.Mentor, error) {
		return tx.Mentors().Put(store.Mentor{UserID: u.ID, Message: "new"})
	})
	if err != nil || !m.CreatedAt.Equal(t0) || !m.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("PutMentor again: got created %v updated %v, %v; want %v and %v", m.CreatedAt, m.UpdatedAt, err, t0, t0.Add(time.Hour))
	}
	if got, err := storetest.Read(s, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(u.ID) }); err != nil || got.Message != "new" {
		t.Errorf("Mentor: got %q, %v; want %q", got.Message, err, "new")
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().Put(store.Mentor{UserID: 99}) }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PutMentor(missing user): got %v, want ErrNotFound", err)
	}
	if _, err := storetest.Read(s, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(99) }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Mentor(99): got %v, want ErrNotFound", err)
	}
}

func TestMentorsByTopicFollowsEdits(t *testing.T) {
	s := storetest.MustOpen(t)
	it := mustTopic(t, s, store.Topic{Name: "IT"})
	hr := mustTopic(t, s, store.Topic{Name: "HR"})
	a := mustUser(t, s, "U1", "A")
	b := mustUser(t, s, "U2", "B")
	for _, m := range []store.Mentor{
		{UserID: b.ID, Topics: []uint64{it.ID, hr.ID}},
		{UserID: a.ID, Topics: []uint64{it.ID, it.ID}},
	} {
		if _, err := storetest.Write(s, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().Put(m) }); err != nil {
			t.Fatalf("PutMentor(%d): %v", m.UserID, err)
		}
	}
	check := func(step string, topic uint64, want []uint64) {
		t.Helper()
		got, err := storetest.Read(s, func(tx *store.Tx) ([]store.Mentor, error) { return tx.Mentors().ByTopic(topic) })
		if err != nil || !slices.Equal(ids(got, mentorID), want) {
			t.Errorf("%s: MentorsByTopic(%d) got %v, %v; want %v", step, topic, ids(got, mentorID), err, want)
		}
	}
	check("put", it.ID, []uint64{a.ID, b.ID})
	check("put", hr.ID, []uint64{b.ID})

	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Mentor, error) {
		return tx.Mentors().Update(b.ID, func(m *store.Mentor) error { m.Topics = []uint64{hr.ID}; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	check("update", it.ID, []uint64{a.ID})
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Mentor, error) {
		return tx.Mentors().Put(store.Mentor{UserID: a.ID, Topics: []uint64{hr.ID}})
	}); err != nil {
		t.Fatal(err)
	}
	check("replace", it.ID, []uint64{})
	check("replace", hr.ID, []uint64{a.ID, b.ID})

	all, err := storetest.Read(s, func(tx *store.Tx) ([]store.Mentor, error) { return tx.Mentors().All() })
	if want := []uint64{a.ID, b.ID}; err != nil || !slices.Equal(ids(all, mentorID), want) {
		t.Errorf("Mentors: got %v, %v; want %v", ids(all, mentorID), err, want)
	}
	boom := errors.New("boom")
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Mentor, error) {
		return tx.Mentors().Update(a.ID, func(m *store.Mentor) error { m.Topics = nil; return boom })
	}); !errors.Is(err, boom) {
		t.Errorf("UpdateMentor(fn fails): got %v, want the fn error", err)
	}
	check("aborted update", hr.ID, []uint64{a.ID, b.ID})
}
