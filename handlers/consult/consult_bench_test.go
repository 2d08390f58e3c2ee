package consult

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// BenchmarkQuestionRoutedAndAnswered measures one consultation's round
// trip through the real router, handlers and a bbolt file: a DM question
// routed to 3 of 20 mentors (cards queued and delivered through the
// outbox), an answer in a card thread relayed to the asker, and the
// asker's resolution. Each step is a few fsync'd bbolt transactions,
// which dominate the cost.
//
// "flush" delivers after each step as the console does (a claim and a
// record per message); "worker" runs the outbox worker as serve does,
// which claims and records in groups, and waits until it has delivered.
func BenchmarkQuestionRoutedAndAnswered(b *testing.B) {
	b.Run("flush", func(b *testing.B) { benchConsultation(b, false) })
	b.Run("worker", func(b *testing.B) { benchConsultation(b, true) })
}

func benchConsultation(b *testing.B, worker bool) {
	e := newConsultEnvWith(b, 3, testenv.Options{Clock: time.Now})
	st, ad, rt := e.St, e.Ad, e.Router
	topic := e.Topic("キャリア")
	for i := range 20 {
		u, _, err := storetest.Write2(st, func(tx *store.Tx) (store.User, bool, error) {
			return tx.Users().Ensure(store.UserKey{Platform: bottest.Platform, Workspace: bottest.Workspace, PlatformID: fmt.Sprintf("m%d", i)}, fmt.Sprintf("メンター%d", i), "ja")
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := storetest.Write(st, func(tx *store.Tx) (store.Mentor, error) {
			return tx.Mentors().Put(store.Mentor{UserID: u.ID, Topics: []uint64{topic.ID}, Message: "どうぞ"})
		}); err != nil {
			b.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	deliver := func() error { return e.Out.Flush(ctx) }
	if worker {
		run, ok := e.Out.(interface{ Run(context.Context) error })
		if !ok {
			b.Fatal("the env's outbox has no Run")
		}
		go func() { _ = run.Run(ctx) }()
		deliver = func() error { return drained(ctx, st) }
	}
	do := func(m *bot.Message) *bottest.Turn {
		turn := ad.Do(ctx, rt, m)
		if turn.Err != nil {
			b.Fatal(turn.Err)
		}
		if err := deliver(); err != nil {
			b.Fatal(err)
		}
		return turn
	}
	b.ResetTimer()
	start, commits := time.Now(), st.Commits()
	for i := range b.N {
		asker := fmt.Sprintf("u%d", i%50)
		before := len(ad.Sent())
		do(bottest.DM(asker, "キャリアパスについて相談したいです"))
		var card bottest.Delivery
		for _, d := range ad.Sent()[before:] {
			if len(d.Reply.Buttons) == 2 {
				card = d
				break
			}
		}
		if card.ID == "" {
			b.Fatal("no mentor card was delivered")
		}
		do(bottest.ThreadPost(card.To.User, card.At.Channel, card.At.Thread, "秋の面談で伝えるのが一般的です"))
		do(bottest.Command(asker, fmt.Sprintf("/soudan resolve %d 9", i+1)))
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "consultations/s")
	b.ReportMetric(float64(st.Commits()-commits)/float64(b.N), "commits/consultation")
}

// drained waits until the outbox has nothing pending or in flight.
func drained(ctx context.Context, st *store.Store) error {
	for ctx.Err() == nil {
		_, pending, err := storetest.Read2(st, func(tx *store.Tx) (time.Time, bool, error) { return tx.Outbox().NextDue() })
		if err != nil {
			return err
		}
		inflight, err := storetest.Read(st, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().InDoubt() })
		if err != nil {
			return err
		}
		if !pending && len(inflight) == 0 {
			return nil
		}
		time.Sleep(200 * time.Microsecond)
	}
	return ctx.Err()
}
