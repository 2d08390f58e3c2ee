package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// closeTheOldWay closes a round as soudan did before releases: the round
// is marked closed, its secret and (anonymous) invitations go, and its
// cells and its responses' departments stay.
func closeTheOldWay(tx *Tx, id uint64) error {
	r, err := tx.Surveys().Round(id)
	if err != nil {
		return err
	}
	r.ClosedAt, r.Secret = tx.Now(), nil
	if r.Mode != SurveyConfidential {
		if err := deletePrefix(tx.bucket(bktInvites), itob(id)); err != nil {
			return err
		}
	}
	if err := tx.bucket(bktRoundsOpen).Delete(itob(id)); err != nil {
		return err
	}
	return tx.Surveys().putRound(r)
}

// orgOnly is a releaser that keeps the organisation total alone.
func orgOnly(r SurveyRound, cells []SurveyTally) SurveyRelease {
	rel := SurveyRelease{K: r.MinGroup, Breakdowns: []string{"department"}, Groups: [][]SurveyGroup{{}}}
	for _, c := range cells {
		rel.Org.Invited += c.Invited
		rel.Org.N += c.N
		rel.Groups[0] = append(rel.Groups[0], SurveyGroup{Key: c.Department})
	}
	rel.Org.Shown = rel.Org.N >= r.MinGroup
	return rel
}

// TestReleaseMigration: a file an older soudan wrote, with a closed
// anonymous round that kept its department x band cells and its
// responses' departments (a department of one: one person's answers with
// their department on them), keeps neither once opened: the migration
// takes departments off the responses, and Open with a releaser replaces
// the cells by the release. Without a releaser the cells wait for one.
func TestReleaseMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	before := -1
	for i, m := range migrations {
		if fmtName(m) == fmtName(createSurveyReleaseBucket) {
			before = i
		}
	}
	if before < 0 {
		t.Fatal("no release migration")
	}
	old, err := open(path, Options{}, migrations[:before])
	if err != nil {
		t.Fatal(err)
	}
	var anon, conf SurveyRound
	err = old.Update(func(tx *Tx) error {
		for _, mode := range []string{SurveyAnonymous, SurveyConfidential} {
			r, err := tx.Surveys().OpenRound(SurveyRound{SurveyID: "engagement", Period: "2026-10-" + mode[:1], Mode: mode, MinGroup: 3},
				[]SurveyInvite{{UserID: 1, Department: "Solo", Band: "1-2"}, {UserID: 2, Department: "Bravo", Band: "3-5"}, {UserID: 3, Department: "Bravo", Band: "3-5"}, {UserID: 4, Department: "Bravo", Band: "3-5"}})
			if err != nil {
				return err
			}
			for u := uint64(1); u <= 4; u++ {
				if _, err := tx.Surveys().Answer(r.ID, u, SurveyResponse{Scores: map[string]int{"enps": int(u)}}); err != nil {
					return err
				}
			}
			if err := closeTheOldWay(tx, r.ID); err != nil {
				return err
			}
			if mode == SurveyAnonymous {
				anon = r
			} else {
				conf = r
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	old.Close()

	// Opened by a tool that passes no releaser: the responses lose their
	// departments; the cells wait.
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkResponses := func(wantCells bool) {
		t.Helper()
		err := s.View(func(tx *Tx) error {
			err := tx.Surveys().Responses(anon.ID, func(resp SurveyResponse) error {
				if resp.Department != "" || resp.Band != "" {
					t.Errorf("anonymous response after the migration: %+v, want no department or band", resp)
				}
				return nil
			})
			if err != nil {
				return err
			}
			if resp, err := tx.Surveys().ConfidentialResponse(conf.ID, 1); err != nil || resp.Department != "Solo" {
				t.Errorf("confidential response: %+v, %v; want its department kept for hr", resp, err)
			}
			for _, r := range []SurveyRound{anon, conf} {
				ts, err := tx.Surveys().Tallies(r.ID)
				if err != nil {
					return err
				}
				_, found, err := tx.Surveys().Release(r.ID)
				if err != nil {
					return err
				}
				if wantCells != (len(ts) > 0) || wantCells == found {
					t.Errorf("round %d: %d cells, release found %v; want cells %v", r.ID, len(ts), found, wantCells)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	checkResponses(true)
	s.Close()

	// Opened by soudan: released.
	s, err = Open(path, Options{SurveyRelease: orgOnly, Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	checkResponses(false)
	err = s.View(func(tx *Tx) error {
		rel, _, err := tx.Surveys().Release(anon.ID)
		if err != nil || !rel.Org.Shown || rel.Org.N != 4 {
			t.Errorf("release = %+v, %v; want the organisation's 4", rel, err)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A backup taken now holds no cell (opened without a releaser, so
	// nothing is released on the way).
	backup := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.Create(backup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s.Close()
	if s, err = Open(backup, Options{}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(func(tx *Tx) error {
		return tx.tx.Bucket(bktTallies).ForEach(func(k, v []byte) error {
			t.Errorf("a tally is left: %s", v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}
