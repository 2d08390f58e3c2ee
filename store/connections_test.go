package store_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// connUsers creates users named by names in one transaction and returns
// their ids.
func connUsers(t *testing.T, s *store.Store, names ...string) []uint64 {
	t.Helper()
	var ids []uint64
	err := s.Update(func(tx *store.Tx) error {
		for _, n := range names {
			u, _, err := tx.Users().Ensure(store.UserKey{Platform: "slack", Workspace: "T1", PlatformID: n}, n, "ja")
			if err != nil {
				return err
			}
			ids = append(ids, u.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestConnRoundOncePerPeriod(t *testing.T) {
	s := storetest.MustOpen(t)
	ids := connUsers(t, s, "佐藤", "鈴木")
	var p store.ConnProgramme
	err := s.Update(func(tx *store.Tx) (err error) {
		p, err = tx.Connections().AddProgramme(store.ConnProgramme{Name: "部局横断コーヒー", Kind: store.ConnCoffee, Cadence: "weekly", Size: 2})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *store.Tx) error {
		_, err := tx.Connections().AddProgramme(store.ConnProgramme{Name: "部局横断 コーヒー"})
		return err
	}); !errors.Is(err, store.ErrExists) {
		t.Errorf("a second programme of the same name: err = %v, want ErrExists", err)
	}
	add := func() (store.ConnRound, error) {
		var r store.ConnRound
		err := s.Update(func(tx *store.Tx) (err error) {
			r, err = tx.Connections().AddRound(store.ConnRound{ProgrammeID: p.ID, Period: "2026-W49", Quarter: "2026-Q4",
				Groups: []store.ConnGroup{{Members: ids}}})
			return err
		})
		return r, err
	}
	r, err := add()
	if err != nil {
		t.Fatal(err)
	}
	if r.Number != 1 {
		t.Errorf("first round's number = %d, want 1", r.Number)
	}
	if _, err := add(); !errors.Is(err, store.ErrConnRoundExists) {
		t.Errorf("second round in one period: err = %v, want ErrConnRoundExists", err)
	}
	err = s.Update(func(tx *store.Tx) error {
		r, in, err := tx.Connections().AnswerCheckin(r.ID, ids[1], store.AnswerMet)
		if err != nil || !in || !r.Groups[0].Met() || r.Groups[0].Answer(ids[1]) != store.AnswerMet {
			t.Errorf("answer: in=%t met=%t err=%v, want the group met", in, r.Groups[0].Met(), err)
		}
		_, in, err = tx.Connections().AnswerCheckin(r.ID, 999, store.AnswerMet)
		if in || err != nil {
			t.Errorf("answer of someone in no group: in=%t err=%v", in, err)
		}
		got, err := tx.Connections().Programme(p.ID)
		if err != nil || got.Rounds != 1 {
			t.Errorf("programme rounds = %d (%v), want 1", got.Rounds, err)
		}
		qs, err := tx.Connections().RoundsInQuarter("2026-Q4")
		if err != nil || len(qs) != 1 {
			t.Errorf("rounds of the quarter = %d (%v), want 1", len(qs), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOneOnOneCountedOnce(t *testing.T) {
	s := storetest.MustOpen(t)
	ids := connUsers(t, s, "課長", "田中")
	err := s.Update(func(tx *store.Tx) error {
		c := tx.Connections()
		a, created, err := c.LogOneOnOne(store.OneOnOne{A: ids[0], B: ids[1], Date: "2026-12-01", Quarter: "2026-Q4", LoggedBy: ids[0]})
		if err != nil || !created {
			t.Fatalf("first log: created=%t err=%v", created, err)
		}
		// The other person logs the same meeting: counted once.
		b, created, err := c.LogOneOnOne(store.OneOnOne{A: ids[1], B: ids[0], Date: "2026-12-01", Quarter: "2026-Q4", LoggedBy: ids[1]})
		if err != nil || created || b.ID != a.ID {
			t.Errorf("second log of one meeting: created=%t id=%d err=%v, want the first (%d)", created, b.ID, err, a.ID)
		}
		if a.A != ids[0] || a.B != ids[1] {
			t.Errorf("pair %d-%d, want %d-%d in order", a.A, a.B, ids[0], ids[1])
		}
		if _, created, _ := c.LogOneOnOne(store.OneOnOne{A: ids[1], B: ids[0], Date: "2026-12-02", Quarter: "2026-Q4", LoggedBy: ids[1]}); !created {
			t.Error("a 1on1 on another day was not counted")
		}
		os, err := c.OneOnOnesInQuarter("2026-Q4")
		if err != nil || len(os) != 2 {
			t.Errorf("1on1s of the quarter = %d (%v), want 2", len(os), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestForgetConnections(t *testing.T) {
	s := storetest.MustOpen(t)
	ids := connUsers(t, s, "佐藤", "鈴木", "高橋")
	sato, suzuki := ids[0], ids[1]
	err := s.Update(func(tx *store.Tx) error {
		c := tx.Connections()
		p, err := c.AddProgramme(store.ConnProgramme{Name: "coffee", Kind: store.ConnCoffee, Size: 2})
		if err != nil {
			return err
		}
		if _, err := c.UpdateMember(sato, func(m *store.ConnMember) error { m.Joined, m.Avoid = true, []uint64{ids[2]}; return nil }); err != nil {
			return err
		}
		if _, err := c.UpdateMember(suzuki, func(m *store.ConnMember) error { m.Joined, m.Avoid = true, []uint64{sato}; return nil }); err != nil {
			return err
		}
		r, err := c.AddRound(store.ConnRound{ProgrammeID: p.ID, Period: "2026-12", Quarter: "2026-Q4", Groups: []store.ConnGroup{{Members: []uint64{sato, suzuki}}}})
		if err != nil {
			return err
		}
		if _, _, err := c.AnswerCheckin(r.ID, sato, store.AnswerMet); err != nil {
			return err
		}
		_, err = c.AddTerm(store.MentorTerm{ProgrammeID: p.ID, MenteeID: sato, MentorID: ids[2], State: store.TermApproved, Start: "2026-12-01", End: "2027-05-31", Why: []string{"other_department"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.Update(func(tx *store.Tx) (err error) { n, err = tx.ForgetConnections(sato); return err }); err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("changed %d records, want 4 (member, 鈴木's list, the answer, the term)", n)
	}
	err = s.View(func(tx *store.Tx) error {
		c := tx.Connections()
		if _, err := c.Member(sato); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("佐藤's member record: err = %v, want ErrNotFound", err)
		}
		if m, _ := c.Member(suzuki); len(m.Avoid) != 0 {
			t.Errorf("鈴木's list still names 佐藤: %v", m.Avoid)
		}
		rs, _ := c.RoundsInQuarter("2026-Q4")
		if len(rs) != 1 || rs[0].Groups[0].Answer(sato) != "" || len(rs[0].Groups[0].Members) != 2 {
			t.Errorf("round after forget: %+v, want the group kept without 佐藤's answer", rs)
		}
		ts, _ := c.Terms()
		if len(ts) != 1 || ts[0].State != store.TermEnded || ts[0].Why != nil {
			t.Errorf("term after forget: %+v, want ended", ts)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestExportLeavesOutConfidentialLists(t *testing.T) {
	s := storetest.MustOpen(t)
	ids := connUsers(t, s, "佐藤", "鈴木")
	err := s.Update(func(tx *store.Tx) error {
		_, err := tx.Connections().UpdateMember(ids[0], func(m *store.ConnMember) error { m.Joined, m.Avoid = true, []uint64{ids[1]}; return nil })
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	counts, err := s.WriteJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if counts["connection_members"] != 1 {
		t.Errorf("exported %d members, want 1", counts["connection_members"])
	}
	if strings.Contains(buf.String(), `"avoid"`) {
		t.Errorf("the export shows a confidential list:\n%s", buf.String())
	}
}
