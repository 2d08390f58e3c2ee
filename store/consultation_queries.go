package store

import (
	"fmt"
	"slices"
)

// ByThread returns the consultation discussed in the thread: a
// channel thread or a DM card's thread listed in its Threads. Should two
// consultations list the same thread, the newest wins.
func (co Consultations) ByThread(platform, workspace, channel, thread string) (Consultation, error) {
	ids := lookup(co.tx, bktConsByThread, threadKey(platform, workspace, channel, thread))
	err := ErrNotFound
	var c Consultation
	if len(ids) > 0 {
		c, err = getByID[Consultation](co.tx, bktConsults, ids[len(ids)-1])
	}
	if err != nil {
		return Consultation{}, fmt.Errorf("get consultation of thread %s/%s/%s/%s: %w", platform, workspace, channel, thread, err)
	}
	return c, nil
}

// IDByThread returns the id of the consultation discussed in
// the thread, from the index alone (no record is read).
func (co Consultations) IDByThread(platform, workspace, channel, thread string) (uint64, error) {
	ids := lookup(co.tx, bktConsByThread, threadKey(platform, workspace, channel, thread))
	if len(ids) == 0 {
		return 0, fmt.Errorf("consultation of thread %s/%s/%s/%s: %w", platform, workspace, channel, thread, ErrNotFound)
	}
	return ids[len(ids)-1], nil
}

// ByAsker returns the consultations the user with userID
// asked, newest first.
func (co Consultations) ByAsker(userID uint64) ([]Consultation, error) {
	cs, err := getIDs[Consultation](co.tx, bktConsults, lookup(co.tx, bktConsByAsker, idValue(userID)))
	if err != nil {
		return nil, fmt.Errorf("list consultations asked by %d: %w", userID, err)
	}
	slices.Reverse(cs)
	return cs, nil
}

// ByMentor returns the consultations the user with userID was
// routed to or took, newest first.
func (co Consultations) ByMentor(userID uint64) ([]Consultation, error) {
	cs, err := getIDs[Consultation](co.tx, bktConsults, lookup(co.tx, bktConsByMentor, idValue(userID)))
	if err != nil {
		return nil, fmt.Errorf("list consultations of mentor %d: %w", userID, err)
	}
	slices.Reverse(cs)
	return cs, nil
}

// ByState returns the consultations in any of states, oldest
// first. With no states it returns every consultation.
func (co Consultations) ByState(states ...State) ([]Consultation, error) {
	var cs []Consultation
	var err error
	if len(states) == 0 {
		cs, err = getAll[Consultation](co.tx, bktConsults)
	} else {
		cs, err = getIDs[Consultation](co.tx, bktConsults, idsInStates(co.tx, states))
	}
	if err != nil {
		return nil, fmt.Errorf("list consultations in %v: %w", states, err)
	}
	return cs, nil
}

// idsInStates returns the ids of the consultations in any of states, in id
// order.
func idsInStates(tx *Tx, states []State) []uint64 {
	var ids []uint64
	for _, st := range uniqueFunc(states, func(a, b State) bool { return a == b }) {
		ids = append(ids, lookup(tx, bktConsByState, string(st))...)
	}
	slices.Sort(ids)
	return ids
}
