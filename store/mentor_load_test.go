package store_test

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// referenceLoad is ActiveLoad as it was before the counts: it decodes every
// open or answered consultation and counts each mentor routed to or taking
// it, once per consultation. Tests compare the counts with it, and
// BenchmarkActiveLoad measures it as the cost the counts replace.
func referenceLoad(tx *store.Tx) (map[uint64]int, error) {
	cs, err := tx.Consultations().ByState(store.StateOpen, store.StateAnswered)
	if err != nil {
		return nil, err
	}
	load := map[uint64]int{}
	for _, c := range cs {
		seen := map[uint64]bool{}
		for _, id := range append(slices.Clone(c.Routed), c.TakenBy) {
			if id != 0 && !seen[id] {
				seen[id] = true
				load[id]++
			}
		}
	}
	return load, nil
}

// assertLoad fails t unless ActiveLoad, and MentorLoad for every mentor
// id up to maxMentor+1 asked at once and one by one, agree with
// referenceLoad.
func assertLoad(t *testing.T, s *store.Store, maxMentor uint64, step string) {
	t.Helper()
	var want map[uint64]int
	if err := s.View(func(tx *store.Tx) (err error) { want, err = referenceLoad(tx); return err }); err != nil {
		t.Fatalf("%s: referenceLoad: %v", step, err)
	}
	got := storetest.View(t, s, func(tx *store.Tx) (map[uint64]int, error) { return tx.Mentors().ActiveLoad() })
	if !maps.Equal(got, want) {
		t.Fatalf("%s: ActiveLoad: got %v, want %v", step, got, want)
	}
	var all []uint64
	for id := range maxMentor + 2 {
		all = append(all, id)
	}
	if got, err := storetest.Read(s, func(tx *store.Tx) (map[uint64]int, error) { return tx.Mentors().Load(all...) }); err != nil || !maps.Equal(got, want) {
		t.Fatalf("%s: MentorLoad(0..%d): got %v, %v; want %v", step, maxMentor+1, got, err, want)
	}
	for _, id := range all {
		got, err := storetest.Read(s, func(tx *store.Tx) (map[uint64]int, error) { return tx.Mentors().Load(id) })
		if n := want[id]; err != nil || got[id] != n || len(got) != min(n, 1) {
			t.Fatalf("%s: MentorLoad(%d): got %v, %v; want %d", step, id, got, err, n)
		}
	}
}

func TestMentorLoad(t *testing.T) {
	s := storetest.MustOpen(t)
	ask(t, s, 1, store.Consultation{Routed: []uint64{10, 11, 10}, TakenBy: 11})
	ask(t, s, 1, store.Consultation{State: store.StateAnswered, TakenBy: 12})
	ask(t, s, 1, store.Consultation{State: store.StateClosed, Routed: []uint64{13}})

	got, err := storetest.Read(s, func(tx *store.Tx) (map[uint64]int, error) { return tx.Mentors().Load(10, 12, 13, 99) })
	if want := map[uint64]int{10: 1, 12: 1}; err != nil || !maps.Equal(got, want) {
		t.Errorf("MentorLoad(10, 12, 13, 99): got %v, %v; want %v (only asked mentors with load)", got, err, want)
	}
	if got, err := storetest.Read(s, func(tx *store.Tx) (map[uint64]int, error) { return tx.Mentors().Load() }); err != nil || len(got) != 0 {
		t.Errorf("MentorLoad(): got %v, %v; want empty", got, err)
	}
}

// TestLoadFollowsRandomWrites applies random creates, routings, takes,
// state changes, messages and rolled-back writes, and checks after each
// that the counts equal referenceLoad.
func TestLoadFollowsRandomWrites(t *testing.T) {
	const mentors, steps = 6, 150
	for seed := range uint64(6) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			s := storetest.MustOpen(t)
			r := rand.New(rand.NewPCG(seed, 42))
			var ids []uint64
			mentor := func() uint64 { return uint64(r.IntN(mentors)) + 1 }
			for i := range steps {
				step := randomWrite(t, s, r, &ids, mentor)
				assertLoad(t, s, mentors, fmt.Sprintf("step %d (%s)", i, step))
			}
		})
	}
}

// states are every consultation state, for random picks.
var states = []store.State{store.StateOpen, store.StateAnswered, store.StateResolved, store.StateClosed}

// randomWrite makes one random write to s, appending the id of any
// consultation it creates to ids, and names it.
func randomWrite(t *testing.T, s *store.Store, r *rand.Rand, ids *[]uint64, mentor func() uint64) string {
	t.Helper()
	if len(*ids) == 0 || r.IntN(5) == 0 {
		c := store.Consultation{State: states[r.IntN(len(states))], EventID: fmt.Sprintf("Ev%d", r.IntN(40))}
		for range r.IntN(4) {
			c.Routed = append(c.Routed, mentor())
		}
		if r.IntN(2) == 0 {
			c.TakenBy = mentor()
		}
		got := ask(t, s, uint64(r.IntN(3))+100, c)
		if !slices.Contains(*ids, got.ID) {
			*ids = append(*ids, got.ID)
		}
		return fmt.Sprintf("create %s routed %v taken by %d", c.State, c.Routed, c.TakenBy)
	}
	id := (*ids)[r.IntN(len(*ids))]
	var name string
	var change func(*store.Consultation) error
	switch r.IntN(7) {
	case 0:
		m := mentor()
		name, change = fmt.Sprintf("route %d to %d", id, m), func(c *store.Consultation) error { c.Routed = append(c.Routed, m); return nil }
	case 1:
		name, change = fmt.Sprintf("unroute %d", id), func(c *store.Consultation) error {
			if len(c.Routed) > 0 {
				c.Routed = slices.Delete(c.Routed, 0, 1)
			}
			return nil
		}
	case 2:
		m := mentor() * uint64(r.IntN(2)) // 0 releases it
		name, change = fmt.Sprintf("take %d by %d", id, m), func(c *store.Consultation) error { c.TakenBy = m; return nil }
	case 3:
		st := states[r.IntN(len(states))]
		name, change = fmt.Sprintf("move %d to %s", id, st), func(c *store.Consultation) error { c.State = st; return nil }
	case 4:
		ev := fmt.Sprintf("Msg%d", r.IntN(40))
		if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
			return tx.Consultations().AddMessage(id, store.ConsultMessage{Kind: store.MsgAnswer, AuthorID: mentor(), Text: "a", EventID: ev})
		}); err != nil {
			t.Fatalf("AddConsultMessage(%d): %v", id, err)
		}
		return fmt.Sprintf("message %d (%s)", id, ev)
	case 5:
		return rolledBack(t, s, id, mentor())
	default:
		return twoInOneUpdate(t, s, id, mentor())
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().Update(id, change) }); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return name
}

// rolledBack routes, takes and reopens consultation id inside an Update
// that then fails: nothing of it may stay in the counts.
func rolledBack(t *testing.T, s *store.Store, id, m uint64) string {
	t.Helper()
	boom := errors.New("boom")
	err := s.Update(func(tx *store.Tx) error {
		if _, err := tx.Consultations().Update(id, func(c *store.Consultation) error {
			c.Routed, c.TakenBy, c.State = append(c.Routed, m), m, store.StateOpen
			return nil
		}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("rolled back update of %d: got %v, want boom", id, err)
	}
	return fmt.Sprintf("rolled back route, take and reopen of %d by %d", id, m)
}

// twoInOneUpdate takes consultation id for m and resolves it, then
// reopens it, all in one Update.
func twoInOneUpdate(t *testing.T, s *store.Store, id, m uint64) string {
	t.Helper()
	err := s.Update(func(tx *store.Tx) error {
		if _, err := tx.Consultations().Update(id, func(c *store.Consultation) error {
			c.TakenBy, c.State = m, store.StateResolved
			return nil
		}); err != nil {
			return err
		}
		_, err := tx.Consultations().Update(id, func(c *store.Consultation) error {
			c.State = store.StateOpen
			return nil
		})
		return err
	})
	if err != nil {
		t.Fatalf("take, resolve and reopen %d in one update: %v", id, err)
	}
	return fmt.Sprintf("take %d by %d, resolve and reopen in one update", id, m)
}

// TestMentorLoadMigration opens a file written before the counts, holding
// consultations in every state, with the current binary: the migration
// counts them, and later writes keep the counts right.
func TestMentorLoadMigration(t *testing.T) {
	if store.MentorLoadSchema < 2 {
		t.Fatalf("MentorLoadSchema = %d: the migration is not in the list", store.MentorLoadSchema)
	}
	path := filepath.Join(t.TempDir(), "soudan.db")
	before := store.MentorLoadSchema - 1
	old, err := store.OpenAtSchema(path, store.Options{}, before)
	if err != nil {
		t.Fatalf("open at schema %d: %v", before, err)
	}
	q := []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: 1, Text: "q"}}
	cs, err := store.PutUncountedConsultations(old,
		store.Consultation{AskerID: 1, Messages: q, Routed: []uint64{10, 11}},
		store.Consultation{AskerID: 1, Messages: q, State: store.StateAnswered, Routed: []uint64{10}, TakenBy: 10},
		store.Consultation{AskerID: 1, Messages: q, State: store.StateAnswered, TakenBy: 12},
		store.Consultation{AskerID: 1, Messages: q, State: store.StateResolved, Routed: []uint64{10, 13}, TakenBy: 13},
		store.Consultation{AskerID: 1, Messages: q, State: store.StateClosed, Routed: []uint64{11}},
	)
	if err != nil {
		t.Fatalf("store consultations at schema %d: %v", before, err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("Open of a schema %d file: %v", before, err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(); err != nil || v != store.KnownSchemaVersion {
		t.Errorf("SchemaVersion after migration: got %d, %v; want %d", v, err, store.KnownSchemaVersion)
	}
	got, err := storetest.Read(s, func(tx *store.Tx) (map[uint64]int, error) { return tx.Mentors().ActiveLoad() })
	if want := map[uint64]int{10: 2, 11: 1, 12: 1}; err != nil || !maps.Equal(got, want) {
		t.Errorf("ActiveLoad after migration: got %v, %v; want %v", got, err, want)
	}
	assertLoad(t, s, 13, "after migration")

	// The migrated counts are the ones writes move: resolving the first
	// consultation and reopening the resolved one must land exactly.
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Consultation, error) {
		return tx.Consultations().Update(cs[0].ID, func(c *store.Consultation) error { c.State = store.StateResolved; return nil })
	}); err != nil {
		t.Fatalf("resolve %d after migration: %v", cs[0].ID, err)
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Consultation, error) {
		return tx.Consultations().Update(cs[3].ID, func(c *store.Consultation) error { c.State = store.StateOpen; return nil })
	}); err != nil {
		t.Fatalf("reopen %d after migration: %v", cs[3].ID, err)
	}
	got, err = storetest.Read(s, func(tx *store.Tx) (map[uint64]int, error) { return tx.Mentors().ActiveLoad() })
	if want := map[uint64]int{10: 2, 12: 1, 13: 1}; err != nil || !maps.Equal(got, want) {
		t.Errorf("ActiveLoad after writes on the migrated file: got %v, %v; want %v", got, err, want)
	}
	assertLoad(t, s, 13, "after writes on the migrated file")
}
