package store_test

import (
	"fmt"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// loadFixture stores n consultations in one Update: three of 40 mentors
// routed to each, three in five active (open or answered, the answered
// ones taken), the rest resolved or closed.
func loadFixture(b *testing.B, n int) *store.Store {
	b.Helper()
	s := storetest.MustOpen(b)
	err := s.Update(func(tx *store.Tx) error {
		for i := range n {
			c := benchConsultation(i)
			c.Routed = []uint64{uint64(i%40) + 100, uint64((i+13)%40) + 100, uint64((i+27)%40) + 100}
			c.State = []store.State{store.StateResolved, store.StateClosed, store.StateAnswered, store.StateOpen, store.StateOpen}[i%5]
			if c.State == store.StateAnswered {
				c.TakenBy = c.Routed[1]
			}
			if _, _, err := tx.Consultations().Create(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("store %d consultations: %v", n, err)
	}
	return s
}

// BenchmarkActiveLoad measures one routing's load lookup at 1,000 and
// 10,000 stored consultations: reference is the full decode ActiveLoad did
// before the counts, ActiveLoad and MentorLoad (a topic's five mentors)
// read the counts and should cost the same at both sizes.
func BenchmarkActiveLoad(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		s := loadFixture(b, n)
		run := func(name string, fn func(*store.Tx) (map[uint64]int, error)) {
			b.Run(fmt.Sprintf("consultations=%d/%s", n, name), func(b *testing.B) {
				for b.Loop() {
					if err := s.View(func(tx *store.Tx) error { _, err := fn(tx); return err }); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		run("reference", referenceLoad)
		run("ActiveLoad", func(tx *store.Tx) (map[uint64]int, error) { return tx.Mentors().ActiveLoad() })
		run("MentorLoad", func(tx *store.Tx) (map[uint64]int, error) { return tx.Mentors().Load(100, 107, 113, 121, 139) })
	}
}
