package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
)

func TestForgetUser(t *testing.T) {
	s, _ := openClocked(t)
	admin := mustUser(t, s, "UADMIN", "管理者")
	asker := mustUser(t, s, "U1", "田中花子")
	mentor := mustUser(t, s, "U2", "佐藤")
	topic := mustTopic(t, s, store.Topic{Name: "キャリア"})
	err := s.Update(func(tx *store.Tx) error {
		if _, err := tx.PutMentor(store.Mentor{UserID: asker.ID, Topics: []uint64{topic.ID}, Message: "人事のことなら"}); err != nil {
			return err
		}
		if _, err := tx.SetRole(asker.ID, store.RoleManager, true); err != nil {
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
	u, err := s.User(asker.ID)
	if err != nil || !u.Deleted || u.Name != store.DeletedUserName || u.PlatformID == "U1" || len(u.Roles) != 0 {
		t.Errorf("tombstone: %+v, %v", u, err)
	}
	if _, err := s.UserByKey(asker.Key()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UserByKey after forget: %v; want ErrNotFound", err)
	}
	if us, err := s.UsersByName("田中花子"); err != nil || len(us) != 0 {
		t.Errorf("UsersByName after forget: %v, %v", us, err)
	}
	err = s.View(func(tx *store.Tx) error {
		if _, err := tx.Mentor(asker.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("mentor after forget: %v", err)
		}
		if ms, _ := tx.MentorsByTopic(topic.ID); len(ms) != 0 {
			t.Errorf("mentors of the topic after forget: %v", ms)
		}
		if ms, _ := tx.UsersWithRole(store.RoleManager); len(ms) != 0 {
			t.Errorf("managers after forget: %v", ms)
		}
		got, err := tx.Consultation(c.ID)
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
		_, err := tx.UpdateConsultation(c.ID, func(c *store.Consultation) error {
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
		got, err := tx.Consultation(c.ID)
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
		if id, err := tx.ConsultationIDByThread(th.Platform, th.Workspace, th.Channel, th.Thread); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the guest's old thread still leads to consultation %d (%v)", id, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
