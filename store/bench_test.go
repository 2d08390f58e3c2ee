package store_test

import (
	"fmt"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// benchConsultation is a realistic consultation: a public thread, a DM card
// per routed mentor and a question.
func benchConsultation(i int) store.Consultation {
	pub := store.Thread{Platform: "slack", Workspace: "T1", Channel: "C1", Thread: fmt.Sprintf("1700000000.%06d", i)}
	return store.Consultation{
		TopicID: 1, AskerID: uint64(i%50 + 1), EventID: fmt.Sprintf("Ev%d", i),
		Public:  &pub,
		Threads: []store.Thread{pub, {Platform: "slack", Workspace: "T1", Channel: "D1", Thread: fmt.Sprintf("1700000001.%06d", i), UserID: 100}},
		Routed:  []uint64{100, 101, 102},
		Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: uint64(i%50 + 1),
			Text: "来年の海外赴任に向けて、家族の帯同について相談したいです。"}},
	}
}

func BenchmarkCreateConsultation(b *testing.B) {
	s := storetest.MustOpen(b)
	roundTrips(b, s)
	i := 0
	for b.Loop() {
		if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
			return tx.Consultations().Create(benchConsultation(i))
		}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkConsultationByThread(b *testing.B) {
	s := storetest.MustOpen(b)
	const n = 2000
	for i := range n {
		if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
			return tx.Consultations().Create(benchConsultation(i))
		}); err != nil {
			b.Fatal(err)
		}
	}
	roundTrips(b, s)
	i := 0
	for b.Loop() {
		ts := fmt.Sprintf("1700000000.%06d", i%n)
		if _, err := storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) {
			return tx.Consultations().ByThread("slack", "T1", "C1", ts)
		}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
