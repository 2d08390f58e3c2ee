package connections

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/internal/testclock"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

// BenchmarkWeeklyRound1170 forms one weekly round of 1,170 members in 12
// departments the way the schedule does (read everyone, the history, the
// matcher, store the round, queue 1,170 introductions, in one commit),
// week after week, so the history grows as it would.
func BenchmarkWeeklyRound1170(b *testing.B) {
	const people, depts = 1170, 12
	c := testclock.New(monday)
	e := testenv.New(b, testenv.Options{Clock: c.Now, Config: func(cfg *handlers.Config) { cfg.Location = monday.Location() }})
	f := New(e.Kit, Options{})
	e.Register(f)
	var prog store.ConnProgramme
	err := e.St.Update(func(tx *store.Tx) error {
		for i := range people {
			u, _, err := tx.Users().Ensure(store.UserKey{Platform: bottest.Platform, Workspace: bottest.Workspace, PlatformID: fmt.Sprintf("u%d", i)}, fmt.Sprintf("職員%d", i), "ja")
			if err != nil {
				return err
			}
			if _, err := tx.Users().Update(u.ID, func(x *store.User) error {
				x.Department, x.JoinYear = fmt.Sprintf("部署%d", i%depts), 1990+i%36
				return nil
			}); err != nil {
				return err
			}
			if _, err := tx.Connections().UpdateMember(u.ID, func(m *store.ConnMember) error { m.Joined = true; return nil }); err != nil {
				return err
			}
		}
		p := newProgramme("全庁コーヒー", store.ConnCoffee)
		p.Cadence, p.CrossDepartment = cadenceWeekly, true
		var err error
		prog, err = tx.Connections().AddProgramme(p)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		c.Advance(7 * 24 * time.Hour)
		rd, _, err := f.form(ctx, prog.ID, c.Now(), store.User{})
		if err != nil {
			b.Fatal(err)
		}
		if len(rd.LeftOut) > 1 {
			b.Fatalf("round %d left out %d", rd.Number, len(rd.LeftOut))
		}
		// Everyone answers the check-in, or three rounds would pause them.
		b.StopTimer()
		err = e.St.Update(func(tx *store.Tx) error {
			for _, g := range rd.Groups {
				for _, id := range g.Members {
					if _, _, err := tx.Connections().AnswerCheckin(rd.ID, id, store.AnswerMet); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
