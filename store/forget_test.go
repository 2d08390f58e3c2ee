package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestForgetUser(t *testing.T) {
	s, _ := openClocked(t)
	admin := mustUser(t, s, "UADMIN", "管理者")
	asker := mustUser(t, s, "U1", "田中花子")
	mentor := mustUser(t, s, "U2", "佐藤")
	topic := mustTopic(t, s, store.Topic{Name: "キャリア"})
	err := s.Update(func(tx *store.Tx) error {
		if _, err := tx.Mentors().Put(store.Mentor{UserID: asker.ID, Topics: []uint64{topic.ID}, Message: "人事のことなら"}); err != nil {
			return err
		}
		if _, err := tx.Users().SetRole(asker.ID, store.RoleManager, true); err != nil {
			return err
		}
		if _, err := tx.CreateTip(store.Tip{Title: "異動の準備", Body: "早めに", Author: asker.ID}); err != nil {
			return err
		}
		if err := tx.PutAdapterState("slack", "U1", []byte("ref"), tx.Now().Add(time.Hour)); err != nil {
			return err
		}
		_, err := tx.AppendAudit(store.AuditEntry{UserID: admin.ID, Action: "grant", Detail: "田中花子 (#2 slack/U1): manager"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c := mustConsult(t, s, asker.ID, store.StateOpen, time.Time{}, nil, mentor.ID)

	var r store.ForgetReport
	if err := s.Update(func(tx *store.Tx) (err error) { r, err = tx.ForgetUser(asker.ID); return err }); err != nil {
		t.Fatalf("ForgetUser: %v", err)
	}
	if !r.Mentor || r.Consultations != 1 || r.Threads != 1 || r.Tips != 1 || r.Audit != 1 || r.AlreadyForgot {
		t.Errorf("report: %+v", r)
	}
	u, err := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(asker.ID) })
	if err != nil || !u.Deleted || u.Name != store.DeletedUserName || u.PlatformID == "U1" || len(u.Roles) != 0 {
		t.Errorf("tombstone: %+v, %v", u, err)
	}
	if _, err := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByKey(asker.Key()) }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UserByKey after forget: %v; want ErrNotFound", err)
	}
	if us, err := storetest.Read(s, func(tx *store.Tx) ([]store.User, error) { return tx.Users().ByName("田中花子") }); err != nil || len(us) != 0 {
		t.Errorf("UsersByName after forget: %v, %v", us, err)
	}
	err = s.View(func(tx *store.Tx) error {
		if _, err := tx.Mentors().ByUser(asker.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("mentor after forget: %v", err)
		}
		if ms, _ := tx.Mentors().ByTopic(topic.ID); len(ms) != 0 {
			t.Errorf("mentors of the topic after forget: %v", ms)
		}
		if ms, _ := tx.Users().WithRole(store.RoleManager); len(ms) != 0 {
			t.Errorf("managers after forget: %v", ms)
		}
		got, err := tx.Consultations().ByID(c.ID)
		if err != nil || got.Question() != "異動の相談" || len(got.Threads) != 0 || got.AskerID != asker.ID {
			t.Errorf("consultation after forget: %+v, %v", got, err)
		}
		if _, ok, _ := tx.AdapterState("slack", "U1"); ok {
			t.Error("adapter state kept")
		}
		tips, _ := tx.Tips()
		if len(tips) != 1 || tips[0].Author != 0 {
			t.Errorf("tips after forget: %+v", tips)
		}
		log, _ := tx.AuditLog(0)
		if len(log) != 1 || strings.Contains(log[0].Detail, "田中花子") || strings.Contains(log[0].Detail, "U1") {
			t.Errorf("audit after forget: %+v", log)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	assertLoad(t, s, mentor.ID, "after forget")

	// The same person writing again is a new user.
	again := mustUser(t, s, "U1", "田中花子")
	if again.ID == asker.ID {
		t.Errorf("a forgotten person came back as the tombstone %d", again.ID)
	}
	if err := s.Update(func(tx *store.Tx) (err error) { r, err = tx.ForgetUser(asker.ID); return err }); err != nil || !r.AlreadyForgot {
		t.Errorf("second ForgetUser: %+v, %v; want AlreadyForgot", r, err)
	}
}

// A person brought into a consultation by a mention is neither its asker
// nor a mentor routed to it: forget still finds the DM thread of the card
// they got, so no post in it is taken as theirs again.
func TestForgetUserDropsTheThreadOfAnInvitedPerson(t *testing.T) {
	s, _ := openClocked(t)
	asker := mustUser(t, s, "U1", "田中")
	mentor := mustUser(t, s, "U2", "佐藤")
	guest := mustUser(t, s, "U3", "伊藤")
	c := mustConsult(t, s, asker.ID, store.StateOpen, time.Time{}, nil, mentor.ID)
	th := store.Thread{Platform: "slack", Workspace: "T1", Channel: "D-guest", Thread: "1700000000.000100", UserID: guest.ID}
	err := s.Update(func(tx *store.Tx) error {
		_, err := tx.Consultations().Update(c.ID, func(c *store.Consultation) error {
			c.Participants = append(c.Participants, guest.ID)
			c.Threads = append(c.Threads, th)
			return nil
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var r store.ForgetReport
	if err := s.Update(func(tx *store.Tx) (err error) { r, err = tx.ForgetUser(guest.ID); return err }); err != nil {
		t.Fatalf("ForgetUser: %v", err)
	}
	if r.Consultations != 1 || r.Threads != 1 {
		t.Errorf("report = %+v, want 1 consultation and its 1 thread", r)
	}
	err = s.View(func(tx *store.Tx) error {
		got, err := tx.Consultations().ByID(c.ID)
		if err != nil {
			return err
		}
		for _, t2 := range got.Threads {
			if t2.UserID == guest.ID || t2.Channel == th.Channel {
				t.Errorf("the forgotten guest's thread is still listed: %+v", t2)
			}
		}
		if len(got.Threads) != 1 {
			t.Errorf("threads = %+v, want the asker's alone", got.Threads)
		}
		if id, err := tx.Consultations().IDByThread(th.Platform, th.Workspace, th.Channel, th.Thread); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the guest's old thread still leads to consultation %d (%v)", id, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Forget takes the person out of the outbox: what was queued to them and
// not sent is cancelled (to their DM and to a DM thread of theirs), and
// what was sent to them keeps neither its text nor its address. Messages
// to others are untouched.
func TestForgetUserCancelsWhatWasQueuedToThem(t *testing.T) {
	s, _ := openClocked(t)
	asker := mustUser(t, s, "U1", "田中")
	mentor := mustUser(t, s, "U2", "佐藤")
	c := mustConsult(t, s, asker.ID, store.StateOpen, time.Time{}, nil, mentor.ID)
	th := store.Thread{Platform: "slack", Workspace: "T1", Channel: "D-tanaka", Thread: "1700000000.000100", UserID: asker.ID}
	secret := []byte(`{"text":"田中さんへ: 異動の件、内密に"}`)
	items := []store.OutboxItem{
		{Platform: "slack", Workspace: "T1", User: "U1", Payload: secret, Key: "dm-sent"},
		{Platform: "slack", Workspace: "T1", User: "U1", Payload: secret, Key: "dm-pending"},
		{Platform: "slack", Workspace: "T1", Channel: "D-tanaka", Thread: th.Thread, Payload: secret, Key: "thread-pending"},
		{Platform: "slack", Workspace: "T1", User: "U2", Payload: []byte(`{"text":"佐藤さんへ"}`), Key: "other"},
	}
	var ids []uint64
	err := s.Update(func(tx *store.Tx) error {
		if _, err := tx.Consultations().Update(c.ID, func(c *store.Consultation) error {
			c.Threads = append(c.Threads, th)
			return nil
		}); err != nil {
			return err
		}
		_, out, err := tx.Outbox().Enqueue(nil, items)
		ids = ids[:0] // the function may run more than once
		for _, it := range out {
			ids = append(ids, it.ID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// dm-sent is sent before the forget.
	err = s.Update(func(tx *store.Tx) error {
		claimed, err := tx.Outbox().ClaimDue(t0.Add(time.Hour), 10, func(it store.OutboxItem) bool { return it.Key == "dm-sent" })
		if err != nil || len(claimed) != 1 {
			return fmt.Errorf("claim dm-sent: %v, %v", claimed, err)
		}
		_, err = tx.Outbox().MarkSent(claimed[0].ID, []byte(`{"ts":"1"}`))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var r store.ForgetReport
	if err := s.Update(func(tx *store.Tx) (err error) { r, err = tx.ForgetUser(asker.ID); return err }); err != nil {
		t.Fatalf("ForgetUser: %v", err)
	}
	if r.Outbox != 2 || r.OutboxKept != 1 {
		t.Errorf("report = %+v, want 2 unsent cancelled and 1 sent stripped", r)
	}
	err = s.View(func(tx *store.Tx) error {
		for i, id := range ids {
			it, err := tx.Outbox().Item(id)
			if err != nil {
				return err
			}
			if it.Key == "other" {
				if it.Status != store.OutboxPending || it.User != "U2" || len(it.Payload) == 0 {
					t.Errorf("a message to someone else changed: %+v", it)
				}
				continue
			}
			if i > 0 && it.Status != store.OutboxCancelled {
				t.Errorf("%s is %s, want cancelled", it.Key, it.Status)
			}
			if it.User != "" || it.Channel != "" || it.Thread != "" || len(it.Payload) != 0 || len(it.Result) != 0 {
				t.Errorf("%s still holds an address or text: %+v", it.Key, it)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing to the forgotten person is due any more.
	err = s.Update(func(tx *store.Tx) error {
		claimed, err := tx.Outbox().ClaimDue(t0.Add(2*time.Hour), 10, func(store.OutboxItem) bool { return true })
		for _, it := range claimed {
			if it.Key != "other" {
				t.Errorf("claimed %s after forget", it.Key)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
