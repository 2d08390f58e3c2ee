package survey

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/soudan/soudan/handlers/survey/surveydef"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

// Benchmark sizes: the target organisation.
const (
	benchPeople = 30000
	benchRounds = 12
	benchDepts  = 60
)

// benchEnv builds an organisation of benchPeople in benchDepts
// departments with benchRounds closed monthly rounds of the engagement
// survey (7 items) that everyone answered, and a 13th round open with
// half the answers in. Responses go in through the store's own verbs, in
// batches, as answers from the form would.
func benchEnv(b *testing.B) (*testenv.Env, *Feature, []store.SurveyRound, store.SurveyRound) {
	b.Helper()
	start := time.Date(2026, 1, 5, 10, 0, 0, 0, jst)
	now := start
	e := testenv.New(b, testenv.Options{Clock: func() time.Time { return now }})
	f := New(e.Kit, Options{})
	e.Register(f)
	s := record(surveydef.Engagement())
	rng := rand.New(rand.NewPCG(1, 2))
	invites := make([]store.SurveyInvite, benchPeople)
	for i := range invites {
		invites[i] = store.SurveyInvite{UserID: uint64(i + 1), Department: fmt.Sprintf("部署%02d", i%benchDepts), Band: bands[i%4]}
	}
	var closed []store.SurveyRound
	var open store.SurveyRound
	for m := range benchRounds + 1 {
		now = start.AddDate(0, m, 0)
		var r store.SurveyRound
		if err := e.St.Update(func(tx *store.Tx) (err error) {
			r, err = tx.Surveys().OpenRound(store.SurveyRound{SurveyID: s.ID, Period: now.Format("2006-01"), Survey: s, Mode: store.SurveyAnonymous, MinGroup: 5, MinComments: 10, Deadline: now.AddDate(0, 0, 14)}, invites)
			return err
		}); err != nil {
			b.Fatal(err)
		}
		answering := benchPeople
		if m == benchRounds {
			answering = benchPeople / 2
		}
		for lo := 0; lo < answering; lo += 2000 {
			if err := e.St.Update(func(tx *store.Tx) error {
				for i := lo; i < min(lo+2000, answering); i++ {
					resp := store.SurveyResponse{Scores: map[string]int{}}
					for _, it := range s.Items {
						switch it.Kind {
						case store.ItemScale0to10:
							resp.Scores[it.ID] = rng.IntN(11)
						case store.ItemScale1to5:
							resp.Scores[it.ID] = 1 + rng.IntN(5)
						}
					}
					if _, err := tx.Surveys().Answer(r.ID, uint64(i+1), resp); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
		if m == benchRounds {
			open = r
			break
		}
		if err := e.St.Update(func(tx *store.Tx) (err error) { r, _, err = tx.Surveys().CloseRound(r.ID, Release); return err }); err != nil {
			b.Fatal(err)
		}
		closed = append(closed, r)
	}
	return e, f, closed, open
}

// BenchmarkSurveyReport is the full report of the last of 12 monthly
// rounds by department (60 departments, 30,000 people, 7 items), with
// the change against the previous round and the trend, rendered for an
// admin. Target: under 300 ms.
func BenchmarkSurveyReport(b *testing.B) {
	e, f, closed, _ := benchEnv(b)
	admin := e.User("admin")
	last := closed[len(closed)-1]
	b.ResetTimer()
	for b.Loop() {
		var fig report
		if err := e.St.View(func(tx *store.Tx) (err error) { fig, err = figuresOf(tx, last, byDepartment); return err }); err != nil {
			b.Fatal(err)
		}
		rep := f.reportReply(admin, fig, nil, nil)
		if len(rep.Fields) != benchDepts+1 {
			b.Fatalf("report has %d fields, want %d", len(rep.Fields), benchDepts+1)
		}
	}
}

// BenchmarkSurveyStatus is the live status of the open 13th round (half
// of 30,000 answered), by department. Target: under 50 ms.
func BenchmarkSurveyStatus(b *testing.B) {
	e, _, _, open := benchEnv(b)
	b.ResetTimer()
	for b.Loop() {
		if err := e.St.View(func(tx *store.Tx) error {
			rel, err := release(tx, open)
			if err != nil {
				return err
			}
			res := rel.Figures(nil, byDepartment)
			if res.Org.N != benchPeople/2 {
				b.Fatalf("status: %d answered, want %d", res.Org.N, benchPeople/2)
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSurveyOpen is what an admin's Send costs for 30,000 people:
// resolving the audience, the round with its invitations and tallies,
// and one outbox prompt per person, in one commit.
func BenchmarkSurveyOpen(b *testing.B) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, jst)
	e := testenv.New(b, testenv.Options{Clock: func() time.Time { return now }})
	f := New(e.Kit, Options{})
	e.Register(f)
	for lo := 0; lo < benchPeople; lo += 2000 {
		if err := e.St.Update(func(tx *store.Tx) error {
			for i := lo; i < lo+2000; i++ {
				u, _, err := tx.Users().Ensure(store.UserKey{Platform: "test", Workspace: "W", PlatformID: fmt.Sprintf("U%05d", i)}, fmt.Sprintf("職員%05d", i), "ja")
				if err != nil {
					return err
				}
				if _, err := tx.Users().Update(u.ID, func(u *store.User) error {
					u.Department, u.JoinYear = fmt.Sprintf("部署%02d", i%benchDepts), 2019+i%8
					return nil
				}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		now = now.AddDate(0, 1, 0) // a new period each time
		var r store.SurveyRound
		if err := e.St.Update(func(tx *store.Tx) error {
			p, err := f.plan(tx, sendSpec{survey: "engagement"}, now)
			if err != nil {
				return err
			}
			r, err = f.open(tx, p, 0)
			return err
		}); err != nil {
			b.Fatal(err)
		}
		if r.Invited != benchPeople {
			b.Fatalf("invited %d, want %d", r.Invited, benchPeople)
		}
	}
}
