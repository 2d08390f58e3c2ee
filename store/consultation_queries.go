package store

import (
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
)

// ConsultationByThread returns the consultation discussed in the thread: a
// channel thread or a DM card's thread listed in its Threads. Should two
// consultations list the same thread, the newest wins.
func (s *Store) ConsultationByThread(platform, workspace, channel, thread string) (Consultation, error) {
	var c Consultation
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		ids := lookup(tx, bktConsByThread, threadKey(platform, workspace, channel, thread))
		if len(ids) == 0 {
			return ErrNotFound
		}
		c, err = getByID[Consultation](tx, bktConsults, ids[len(ids)-1])
		return err
	})
	if err != nil {
		return Consultation{}, fmt.Errorf("get consultation of thread %s/%s/%s/%s: %w", platform, workspace, channel, thread, err)
	}
	return c, nil
}

// ConsultationsByAsker returns the consultations the user with userID
// asked, newest first.
func (s *Store) ConsultationsByAsker(userID uint64) ([]Consultation, error) {
	cs, err := s.consultsIn(bktConsByAsker, idValue(userID))
	if err != nil {
		return nil, fmt.Errorf("list consultations asked by %d: %w", userID, err)
	}
	slices.Reverse(cs)
	return cs, nil
}

// ConsultationsByMentor returns the consultations the user with userID was
// routed to or took, newest first.
func (s *Store) ConsultationsByMentor(userID uint64) ([]Consultation, error) {
	cs, err := s.consultsIn(bktConsByMentor, idValue(userID))
	if err != nil {
		return nil, fmt.Errorf("list consultations of mentor %d: %w", userID, err)
	}
	slices.Reverse(cs)
	return cs, nil
}

// consultsIn returns the consultations filed under value in index, oldest
// first.
func (s *Store) consultsIn(index, value string) ([]Consultation, error) {
	var cs []Consultation
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		cs, err = getIDs[Consultation](tx, bktConsults, lookup(tx, index, value))
		return err
	})
	return cs, err
}

// ConsultationsByState returns the consultations in any of states, oldest
// first. With no states it returns every consultation.
func (s *Store) ConsultationsByState(states ...State) ([]Consultation, error) {
	var cs []Consultation
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		if len(states) == 0 {
			cs, err = getAll[Consultation](tx, bktConsults)
			return err
		}
		cs, err = getIDs[Consultation](tx, bktConsults, idsInStates(tx, states))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list consultations in %v: %w", states, err)
	}
	return cs, nil
}

// idsInStates returns the ids of the consultations in any of states, in id
// order.
func idsInStates(tx *bbolt.Tx, states []State) []uint64 {
	var ids []uint64
	for _, st := range uniqueFunc(states, func(a, b State) bool { return a == b }) {
		ids = append(ids, lookup(tx, bktConsByState, string(st))...)
	}
	slices.Sort(ids)
	return ids
}

// ActiveLoad returns, per mentor user id, how many active (open or
// answered) consultations the mentor was routed to or took. Mentors with
// none are absent.
func (s *Store) ActiveLoad() (map[uint64]int, error) {
	load := map[uint64]int{}
	err := s.db.View(func(tx *bbolt.Tx) error {
		cs, err := getIDs[Consultation](tx, bktConsults, idsInStates(tx, []State{StateOpen, StateAnswered}))
		if err != nil {
			return err
		}
		for _, c := range cs {
			for _, id := range uniqueIDs(append(slices.Clone(c.Routed), c.TakenBy)...) {
				load[id]++
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("active load: %w", err)
	}
	return load, nil
}
