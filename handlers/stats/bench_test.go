package stats

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
)

// perMonth is how many consultations each month of the benchmark holds.
const perMonth = 300

// history stores months of consultations ending with November 2026, each
// asked on a weekday morning, answered two hours later by one of five
// mentors, resolved the next day with a rating; ten a day.
func history(b *testing.B, e *statsEnv, months int) {
	b.Helper()
	tps := []uint64{e.Topic("キャリア").ID, e.Topic("海外赴任").ID, e.Topic("IT").ID}
	var mentors, askers []uint64
	for i := 0; i < 5; i++ {
		mentors = append(mentors, e.User(fmt.Sprintf("mentor%d", i)).ID)
		askers = append(askers, e.User(fmt.Sprintf("asker%d", i)).ID)
	}
	n := 0
	for m := months - 1; m >= 0; m-- {
		first := time.Date(2026, time.November-time.Month(m), 1, 10, 0, 0, 0, jst)
		for day := 0; day < perMonth/10; day++ {
			asked := first.AddDate(0, 0, day)
			e.clk.Set(asked)
			err := e.St.Update(func(tx *store.Tx) error {
				for i := 0; i < 10; i++ {
					n++
					r := n % 11
					_, _, err := tx.Consultations().Create(store.Consultation{
						TopicID: tps[n%len(tps)], AskerID: askers[n%len(askers)], Anonymous: n%4 == 0,
						State: store.StateResolved, TakenBy: mentors[n%len(mentors)], Rating: &r,
						Messages: []store.ConsultMessage{
							{Kind: store.MsgQuestion, AuthorID: askers[n%len(askers)], Text: "相談です"},
							{Kind: store.MsgAnswer, AuthorID: mentors[n%len(mentors)], Text: "回答です", At: asked.Add(2 * time.Hour)},
						},
						History: []store.StateChange{
							{To: store.StateOpen, At: asked},
							{From: store.StateOpen, To: store.StateAnswered, At: asked.Add(2 * time.Hour)},
							{From: store.StateAnswered, To: store.StateResolved, At: asked.Add(26 * time.Hour)},
						},
					})
					if err != nil {
						return err
					}
				}
				return tx.AddMonthly(e.Kit.Month(asked), store.StatSearches, 10)
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkStats measures /soudan stats for November 2026 on a file
// holding 1 month of consultations and on one holding 24: the month index
// makes both read the same records, so the cost per report must not grow
// with the other months.
//
//	go test -run XXX -bench Stats -benchtime 200x ./handlers/stats/
func BenchmarkStats(b *testing.B) {
	for _, months := range []int{1, 24} {
		b.Run(fmt.Sprintf("months=%d", months), func(b *testing.B) {
			e := newStatsEnv(b)
			history(b, e, months)
			now := time.Date(2026, 12, 2, 12, 0, 0, 0, jst)
			e.clk.Set(now)
			from, to, _ := monthRange("2026-11", jst)
			var read int
			if err := e.St.View(func(tx *store.Tx) error {
				cs, err := tx.ConsultationsActiveIn(from, to)
				read = len(cs)
				return err
			}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, err := e.f.Build(context.Background(), "2026-11", now)
				if err != nil {
					b.Fatal(err)
				}
				if r.Opened != perMonth {
					b.Fatalf("opened = %d, want %d", r.Opened, perMonth)
				}
			}
			b.ReportMetric(float64(read), "records/op")
		})
	}
}
