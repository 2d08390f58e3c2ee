package store_test

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
)

// openRound opens a round of survey "engagement" for the period with one
// invitation per user id, in department dept[i].
func openRound(t *testing.T, s *store.Store, period, mode string, users []uint64, dept []string) store.SurveyRound {
	t.Helper()
	var invites []store.SurveyInvite
	for i, id := range users {
		invites = append(invites, store.SurveyInvite{UserID: id, Department: dept[i], Band: "1-2"})
	}
	var r store.SurveyRound
	err := s.Update(func(tx *store.Tx) (err error) {
		r, err = tx.Surveys().OpenRound(store.SurveyRound{SurveyID: "engagement", Period: period, Mode: mode, MinGroup: 5}, invites)
		return err
	})
	if err != nil {
		t.Fatalf("OpenSurveyRound(%s): %v", period, err)
	}
	return r
}

func answer(t *testing.T, s *store.Store, round, user uint64, enps int) bool {
	t.Helper()
	var replaced bool
	err := s.Update(func(tx *store.Tx) (err error) {
		replaced, err = tx.Surveys().Answer(round, user, store.SurveyResponse{Scores: map[string]int{"enps": enps}, Texts: map[string]string{"comment": "コメント" + strconv.Itoa(enps)}})
		return err
	})
	if err != nil {
		t.Fatalf("AnswerSurvey(%d, %d): %v", round, user, err)
	}
	return replaced
}

// byDepartment is a releaser for the store's tests: the organisation and
// every department, summed from the cells, each shown with 2 or more
// respondents (the survey feature's figures decide for real).
func byDepartment(r store.SurveyRound, cells []store.SurveyTally) store.SurveyRelease {
	rel := store.SurveyRelease{K: 2, Breakdowns: []string{"department"}, Groups: [][]store.SurveyGroup{nil}}
	add := func(g *store.SurveyGroup, c store.SurveyTally) {
		g.Invited += c.Invited
		g.N += c.N
		for item, h := range c.Scores {
			if g.Scores == nil {
				g.Scores = map[string][]int{}
			}
			if g.Scores[item] == nil {
				g.Scores[item] = make([]int, 11)
			}
			for v, n := range h {
				g.Scores[item][v] += n
			}
		}
	}
	at := map[string]int{}
	for _, c := range cells {
		add(&rel.Org, c)
		i, ok := at[c.Department]
		if !ok {
			i = len(rel.Groups[0])
			at[c.Department] = i
			rel.Groups[0] = append(rel.Groups[0], store.SurveyGroup{Key: c.Department})
		}
		add(&rel.Groups[0][i], c)
	}
	for _, g := range append([]*store.SurveyGroup{&rel.Org}, pointers(rel.Groups[0])...) {
		if g.Shown = g.N >= rel.K; !g.Shown {
			*g = store.SurveyGroup{Key: g.Key}
		}
	}
	return rel
}

func pointers(gs []store.SurveyGroup) []*store.SurveyGroup {
	var out []*store.SurveyGroup
	for i := range gs {
		out = append(out, &gs[i])
	}
	return out
}

// released is a closed round's release.
func released(t *testing.T, s *store.Store, round uint64) store.SurveyRelease {
	t.Helper()
	var rel store.SurveyRelease
	var found bool
	err := s.View(func(tx *store.Tx) (err error) { rel, found, err = tx.Surveys().Release(round); return err })
	if err != nil || !found {
		t.Fatalf("release of round %d: found %v, %v", round, found, err)
	}
	return rel
}

func tallies(t *testing.T, s *store.Store, round uint64) map[string]store.SurveyTally {
	t.Helper()
	out := map[string]store.SurveyTally{}
	err := s.View(func(tx *store.Tx) error {
		ts, err := tx.Surveys().Tallies(round)
		for _, x := range ts {
			out[x.Department] = x
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSurveyRoundOnePerPeriod(t *testing.T) {
	s, _ := openClocked(t)
	openRound(t, s, "2026-12", store.SurveyAnonymous, []uint64{1, 2}, []string{"総務課", "人事課"})
	err := s.Update(func(tx *store.Tx) error {
		_, err := tx.Surveys().OpenRound(store.SurveyRound{SurveyID: "engagement", Period: "2026-12", Mode: store.SurveyAnonymous}, nil)
		return err
	})
	if !errors.Is(err, store.ErrRoundExists) {
		t.Fatalf("second round in 2026-12: err = %v, want ErrRoundExists", err)
	}
	openRound(t, s, "2027-01", store.SurveyAnonymous, []uint64{1}, []string{"総務課"})
	var rounds []store.SurveyRound
	if err := s.View(func(tx *store.Tx) (err error) { rounds, err = tx.Surveys().Rounds("engagement"); return err }); err != nil {
		t.Fatal(err)
	}
	if len(rounds) != 2 || rounds[0].Period != "2026-12" || rounds[1].Period != "2027-01" || rounds[0].Invited != 2 {
		t.Fatalf("rounds = %+v, want 2026-12 (2 invited) then 2027-01", rounds)
	}
}

func TestSurveyAnswerEditKeepsTalliesRight(t *testing.T) {
	s, _ := openClocked(t)
	r := openRound(t, s, "2026-12", store.SurveyAnonymous, []uint64{1, 2, 3}, []string{"総務課", "総務課", "人事課"})
	if answer(t, s, r.ID, 1, 9) {
		t.Fatal("first answer replaced something")
	}
	answer(t, s, r.ID, 3, 2)
	if !answer(t, s, r.ID, 1, 4) {
		t.Fatal("second answer did not replace the first")
	}
	got := tallies(t, s, r.ID)
	soumu := got["総務課"]
	if soumu.Invited != 2 || soumu.N != 1 || soumu.Scores["enps"][4] != 1 || soumu.Scores["enps"][9] != 0 {
		t.Errorf("総務課 tally = %+v, want 2 invited, 1 answer of 4", soumu)
	}
	if got["人事課"].N != 1 || got["人事課"].Scores["enps"][2] != 1 {
		t.Errorf("人事課 tally = %+v", got["人事課"])
	}
	var round store.SurveyRound
	var resp store.SurveyResponse
	var found bool
	err := s.View(func(tx *store.Tx) (err error) {
		if round, err = tx.Surveys().Round(r.ID); err != nil {
			return err
		}
		resp, found, err = tx.Surveys().Response(r.ID, 1)
		return err
	})
	if err != nil || round.Responded != 2 || !found || resp.Scores["enps"] != 4 {
		t.Fatalf("round responded %d, own answer %+v found %v, err %v; want 2, enps 4", round.Responded, resp, found, err)
	}
	err = s.Update(func(tx *store.Tx) error {
		_, err := tx.Surveys().Answer(r.ID, 99, store.SurveyResponse{Scores: map[string]int{"enps": 1}})
		return err
	})
	if !errors.Is(err, store.ErrNotInvited) {
		t.Errorf("answer from someone not invited: err = %v, want ErrNotInvited", err)
	}
}

// TestAnonymousRoundKeepsNoLinkAfterClose closes an anonymous round and
// checks that nothing in the data file links a person to a response: no
// invitation, no secret, no user id in a response, and a compacted copy
// of the file holds neither the secret nor a person's id next to answers.
func TestAnonymousRoundKeepsNoLinkAfterClose(t *testing.T) {
	s, _ := openClockedFile(t)
	r := openRound(t, s, "2026-12", store.SurveyAnonymous, []uint64{1, 2}, []string{"総務課", "総務課"})
	answer(t, s, r.ID, 1, 9)
	answer(t, s, r.ID, 2, 3)
	var closed store.SurveyRound
	if err := s.Update(func(tx *store.Tx) (err error) {
		closed, _, err = tx.Surveys().CloseRound(r.ID, byDepartment)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if closed.Open() || closed.Secret != nil {
		t.Fatalf("closed round = %+v, want closed with no secret", closed)
	}
	err := s.View(func(tx *store.Tx) error {
		if _, err := tx.Surveys().Invite(r.ID, 1); !errors.Is(err, store.ErrNotInvited) {
			t.Errorf("invite after close: err = %v, want ErrNotInvited", err)
		}
		if _, _, err := tx.Surveys().Response(r.ID, 1); !errors.Is(err, store.ErrRoundClosed) {
			t.Errorf("own answer after close: err = %v, want ErrRoundClosed", err)
		}
		n := 0
		err := tx.Surveys().Responses(r.ID, func(resp store.SurveyResponse) error {
			n++
			if resp.UserID != 0 || !resp.UpdatedAt.IsZero() {
				t.Errorf("anonymous response %+v names a person or a time", resp)
			}
			if resp.Department != "" || resp.Band != "" {
				t.Errorf("anonymous response %+v keeps a department or band after close", resp)
			}
			return nil
		})
		if ts, err := tx.Surveys().Tallies(r.ID); err != nil || len(ts) != 0 {
			t.Errorf("cells after close: %+v, %v; want none (the release only)", ts, err)
		}
		if n != 2 {
			t.Errorf("responses after close = %d, want 2", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *store.Tx) error {
		_, err := tx.Surveys().Answer(r.ID, 1, store.SurveyResponse{Scores: map[string]int{"enps": 1}})
		if !errors.Is(err, store.ErrRoundClosed) {
			t.Errorf("answer after close: err = %v, want ErrRoundClosed", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// A hot backup, compacted, holds neither the secret nor who answered.
	dir := t.TempDir()
	f, err := os.Create(dir + "/backup.db")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, _, err := store.Compact(dir+"/backup.db", dir+"/compact.db", time.Second); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(dir + "/compact.db")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Secret) != 32 || bytes.Contains(data, r.Secret) {
		t.Errorf("round secret %d bytes; the compacted file holds it: %v", len(r.Secret), bytes.Contains(data, r.Secret))
	}
	if bytes.Contains(data, []byte("survey_invites")) && bytes.Contains(data, []byte(`"responded":true`)) {
		t.Error("the compacted file still says who responded")
	}
}

func TestConfidentialRoundKeepsLinkForHR(t *testing.T) {
	s, _ := openClocked(t)
	r := openRound(t, s, "2026-12", store.SurveyConfidential, []uint64{1, 2}, []string{"総務課", "人事課"})
	answer(t, s, r.ID, 2, 7)
	if err := s.Update(func(tx *store.Tx) error { _, _, err := tx.Surveys().CloseRound(r.ID, byDepartment); return err }); err != nil {
		t.Fatal(err)
	}
	err := s.View(func(tx *store.Tx) error {
		resp, err := tx.Surveys().ConfidentialResponse(r.ID, 2)
		if err != nil || resp.UserID != 2 || resp.Scores["enps"] != 7 || resp.Department != "人事課" {
			t.Errorf("confidential response = %+v, %v; want user 2, enps 7, 人事課", resp, err)
		}
		in, err := tx.Surveys().Invite(r.ID, 1)
		if err != nil || in.Responded {
			t.Errorf("invite of the non-respondent = %+v, %v", in, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSurveyRetentionKeepsReleases(t *testing.T) {
	s, c := openClocked(t)
	users := []uint64{1, 2, 3}
	r := openRound(t, s, "2026-11", store.SurveyConfidential, users, []string{"総務課", "総務課", "総務課"})
	for _, u := range users {
		answer(t, s, r.ID, u, 8)
	}
	if err := s.Update(func(tx *store.Tx) error { _, _, err := tx.Surveys().CloseRound(r.ID, byDepartment); return err }); err != nil {
		t.Fatal(err)
	}
	before := c.Now()
	c.Advance(time.Hour)
	later := openRound(t, s, "2026-12", store.SurveyConfidential, users, []string{"総務課", "総務課", "総務課"})
	answer(t, s, later.ID, 1, 5)
	// Nothing closed before the cut-off yet.
	var n int
	var more bool
	purge := func(cut time.Time, limit int) {
		t.Helper()
		if err := s.Update(func(tx *store.Tx) (err error) { n, more, err = tx.Surveys().PurgeResponses(cut, limit); return err }); err != nil {
			t.Fatal(err)
		}
	}
	purge(before, 100)
	if n != 0 {
		t.Fatalf("purged %d before any round closed before the cut-off", n)
	}
	// In batches of 4: 3 responses and 3 invitations.
	purge(c.Now(), 4)
	if n != 4 || !more {
		t.Fatalf("first batch: %d, more %v; want 4, more", n, more)
	}
	purge(c.Now(), 4)
	if n != 2 || more {
		t.Fatalf("second batch: %d, more %v; want 2, done", n, more)
	}
	purge(c.Now(), 4)
	if n != 0 {
		t.Fatalf("third run purged %d, want 0", n)
	}
	if got := released(t, s, r.ID).Groups[0][0]; got.Key != "総務課" || got.N != 3 || got.Scores["enps"][8] != 3 {
		t.Errorf("release after purge = %+v, want the 3 answers counted", got)
	}
	count := 0
	if err := s.View(func(tx *store.Tx) error {
		return tx.Surveys().Responses(r.ID, func(store.SurveyResponse) error { count++; return nil })
	}); err != nil || count != 0 {
		t.Errorf("responses left after purge: %d, %v", count, err)
	}
	// The open round is untouched.
	if err := s.View(func(tx *store.Tx) error {
		_, err := tx.Surveys().ConfidentialResponse(later.ID, 1)
		return err
	}); err != nil {
		t.Errorf("the open round's response: %v", err)
	}
}

func TestForgetSurveyRows(t *testing.T) {
	s, _ := openClocked(t)
	r := openRound(t, s, "2026-11", store.SurveyConfidential, []uint64{1, 2}, []string{"総務課", "人事課"})
	answer(t, s, r.ID, 1, 9)
	answer(t, s, r.ID, 2, 3)
	var n int
	if err := s.Update(func(tx *store.Tx) (err error) { n, err = tx.Surveys().ForgetRows(1); return err }); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("forgot %d rows, want the response and the invitation", n)
	}
	if err := s.View(func(tx *store.Tx) error {
		if _, err := tx.Surveys().ConfidentialResponse(r.ID, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("forgotten response: err = %v, want ErrNotFound", err)
		}
		if _, err := tx.Surveys().ConfidentialResponse(r.ID, 2); err != nil {
			t.Errorf("someone else's response: %v", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := tallies(t, s, r.ID)["総務課"]; got.N != 1 {
		t.Errorf("tally after forget = %+v, want the aggregate kept", got)
	}
}

// TestCloseForgetsCountsOfASmallRound: a round whose organisation total
// may not be shown keeps no count once closed (1 of 1 answered would say
// that its one invitee did).
func TestCloseForgetsCountsOfASmallRound(t *testing.T) {
	s, _ := openClocked(t)
	r := openRound(t, s, "2026-12", store.SurveyAnonymous, []uint64{1}, []string{"Solo"})
	answer(t, s, r.ID, 1, 9)
	var closed store.SurveyRound
	if err := s.Update(func(tx *store.Tx) (err error) {
		closed, _, err = tx.Surveys().CloseRound(r.ID, byDepartment)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var kept store.SurveyRound
	if err := s.View(func(tx *store.Tx) (err error) { kept, err = tx.Surveys().Round(r.ID); return err }); err != nil {
		t.Fatal(err)
	}
	for _, x := range []store.SurveyRound{closed, kept} {
		if x.Invited != 0 || x.Responded != 0 {
			t.Errorf("closed round of one keeps %d of %d, want no count", x.Responded, x.Invited)
		}
	}
	if rel := released(t, s, r.ID); rel.Org.Shown || rel.Org.N != 0 || rel.Groups[0][0].N != 0 {
		t.Errorf("release of a round of one = %+v, want nothing shown", rel)
	}
}

// TestBackupAfterCloseHoldsNoCell: a backup taken after a round closed
// holds nothing closing deleted, not even in the file's free pages: no
// department x band cell, no department on an anonymous response.
func TestBackupAfterCloseHoldsNoCell(t *testing.T) {
	s, _ := openClockedFile(t)
	r := openRound(t, s, "2026-12", store.SurveyAnonymous, []uint64{1, 2, 3}, []string{"Solo", "Bravo", "Bravo"})
	answer(t, s, r.ID, 1, 9)
	answer(t, s, r.ID, 2, 3)
	if err := s.Update(func(tx *store.Tx) (err error) { _, _, err = tx.Surveys().CloseRound(r.ID, byDepartment); return err }); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := s.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{`"department":"Solo","band"`, `"department":"Solo"`, `"department":"Bravo"`} {
		if bytes.Contains(buf.Bytes(), []byte(b)) {
			t.Errorf("the backup holds %s", b)
		}
	}
	// It is a data file Open accepts, with the release in it.
	path := t.TempDir() + "/restored.db"
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	restored, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if rel := released(t, restored, r.ID); !rel.Org.Shown || rel.Org.N != 2 {
		t.Errorf("restored release = %+v, want the organisation's 2", rel)
	}
}

// TestJSONExportShowsNoCountOfASmallRound: the JSON export shows a round's
// counts only from k respondents on, like every other output.
func TestJSONExportShowsNoCountOfASmallRound(t *testing.T) {
	s, _ := openClocked(t)
	r := openRound(t, s, "2026-12", store.SurveyAnonymous, []uint64{1, 2}, []string{"Solo", "Bravo"})
	answer(t, s, r.ID, 1, 9)
	var buf bytes.Buffer
	if _, err := s.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, `"survey_id":"engagement"`) || strings.Contains(out, `"responded":1`) || strings.Contains(out, `"invited":2`) {
		t.Errorf("export of a round with 1 of 2 answered (k=5) = %s, want the round without counts", out)
	}
}
