package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestWriteVerbInViewFails(t *testing.T) {
	s, _ := openClocked(t)
	u := mustUser(t, s, "U1", "asker")
	tp := mustTopic(t, s, store.Topic{Name: "career"})
	c, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{AskerID: u.ID,
			Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: u.ID, Text: "q"}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.ClosedDay, error) {
		return tx.AddClosedDay(store.ClosedDay{Date: "2026-12-29"})
	}); err != nil {
		t.Fatal(err)
	}
	item := store.OutboxItem{Platform: "slack", User: "U1", Key: "k1", Payload: []byte(`{}`)}
	verbs := map[string]func(tx *store.Tx) error{
		"CreateConsultation": func(tx *store.Tx) error {
			_, _, err := tx.Consultations().Create(store.Consultation{AskerID: u.ID})
			return err
		},
		"UpdateConsultation": func(tx *store.Tx) error {
			_, err := tx.Consultations().Update(c.ID, func(c *store.Consultation) error { c.State = store.StateClosed; return nil })
			return err
		},
		"AddConsultMessage": func(tx *store.Tx) error {
			_, _, err := tx.Consultations().AddMessage(c.ID, store.ConsultMessage{Kind: store.MsgFollowUp, AuthorID: u.ID, Text: "x"})
			return err
		},
		"EnqueueOutbox": func(tx *store.Tx) error {
			_, _, err := tx.Outbox().Enqueue(nil, []store.OutboxItem{item})
			return err
		},
		"ClaimDue": func(tx *store.Tx) error {
			_, err := tx.Outbox().ClaimDue(t0, 1, nil)
			return err
		},
		"MarkEvent":   func(tx *store.Tx) error { _, err := tx.Events().Mark("Ev1", ""); return err },
		"FinishEvent": func(tx *store.Tx) error { return tx.Events().Finish("Ev1") },
		"PurgeEvents": func(tx *store.Tx) error { _, err := tx.Events().Purge(t0); return err },
		"AppendAudit": func(tx *store.Tx) error {
			_, err := tx.AppendAudit(store.AuditEntry{UserID: u.ID, Action: "x"})
			return err
		},
		"ClaimPeriod": func(tx *store.Tx) error { _, err := tx.ClaimPeriod("p"); return err },
		"EnsureUser (new)": func(tx *store.Tx) error {
			_, _, err := tx.Users().Ensure(store.UserKey{Platform: "slack", PlatformID: "U2"}, "b", "ja")
			return err
		},
		"SetRole":     func(tx *store.Tx) error { _, err := tx.Users().SetRole(u.ID, store.RoleAdmin, true); return err },
		"CreateTopic": func(tx *store.Tx) error { _, err := tx.Topics().Create(store.Topic{Name: "money"}); return err },
		"MapChannel": func(tx *store.Tx) error {
			_, err := tx.Topics().MapChannel(tp.ID, store.ChannelRef{Platform: "slack", Channel: "C1"})
			return err
		},
		"PutMentor":       func(tx *store.Tx) error { _, err := tx.Mentors().Put(store.Mentor{UserID: u.ID}); return err },
		"AddClosedDay":    func(tx *store.Tx) error { _, err := tx.AddClosedDay(store.ClosedDay{Date: "2026-12-30"}); return err },
		"RemoveClosedDay": func(tx *store.Tx) error { return tx.RemoveClosedDay("2026-12-29") },
		"SaveConsole":     func(tx *store.Tx) error { return tx.SaveConsole([]byte("x")) },
		"PutAdapterState": func(tx *store.Tx) error {
			return tx.PutAdapterState("slack", "k", []byte("v"), t0.Add(time.Hour))
		},
	}
	for name, verb := range verbs {
		t.Run(name, func(t *testing.T) {
			err := s.View(verb)
			if !errors.Is(err, store.ErrTxNotWritable) {
				t.Errorf("%s in View: got %v, want an error wrapping ErrTxNotWritable", name, err)
			}
		})
	}

	// Nothing changed.
	if got, err := storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(c.ID) }); err != nil || got.State != store.StateOpen || len(got.Messages) != 1 {
		t.Errorf("consultation after the Views: got %s with %d messages, %v; want open with 1", got.State, len(got.Messages), err)
	}
	if n, err := storetest.Read(s, func(tx *store.Tx) (int, error) { return tx.Users().Count() }); err != nil || n != 1 {
		t.Errorf("users after the Views: got %d, %v; want 1", n, err)
	}

	// A read inside View of what needs no write still works: a known user.
	err = s.View(func(tx *store.Tx) error {
		got, created, err := tx.Users().Ensure(u.Key(), "", "")
		if err == nil && (created || got.ID != u.ID) {
			t.Errorf("EnsureUser of a known user in View: got %d created %t, want %d not created", got.ID, created, u.ID)
		}
		return err
	})
	if err != nil {
		t.Errorf("EnsureUser of a known user in View: got %v, want nil", err)
	}
}
