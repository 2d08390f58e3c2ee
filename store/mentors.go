package store

import (
	"errors"
	"fmt"
	"slices"
)

// mentorEntries are the index entries of m.
func mentorEntries(m Mentor) []entry {
	var es []entry
	for _, t := range m.Topics {
		es = append(es, entry{bktMentorsByTop, idValue(t)})
	}
	return es
}

// Put creates or replaces the mentor profile of m.UserID, which must
// be an existing user. It keeps the stored CreatedAt, stamps UpdatedAt and
// files the mentor under each of m.Topics.
func (mv Mentors) Put(m Mentor) (Mentor, error) {
	if err := mv.putMentorProfile(&m); err != nil {
		return Mentor{}, fmt.Errorf("put mentor %d: %w", m.UserID, err)
	}
	return m, nil
}

// putMentorProfile is Put without its error wrapping.
func (mv Mentors) putMentorProfile(m *Mentor) error {
	if err := mv.tx.writable(); err != nil {
		return err
	}
	if _, err := getByID[User](mv.tx, bktUsers, m.UserID); err != nil {
		return fmt.Errorf("user %d: %w", m.UserID, err)
	}
	old, err := getByID[Mentor](mv.tx, bktMentors, m.UserID)
	switch {
	case err == nil:
		m.CreatedAt = old.CreatedAt
	case errors.Is(err, ErrNotFound):
		m.CreatedAt = mv.tx.Now()
	default:
		return err
	}
	return mv.put(old, m)
}

// put stores m, previously old, stamping UpdatedAt and moving its
// index entries.
func (mv Mentors) put(old Mentor, m *Mentor) error {
	m.Topics = uniqueIDs(m.Topics...)
	m.UpdatedAt = mv.tx.Now()
	if err := reindex(mv.tx, m.UserID, mentorEntries(old), mentorEntries(*m)); err != nil {
		return err
	}
	return putJSON(mv.tx.bucket(bktMentors), itob(m.UserID), m)
}

// ByUser returns the mentor profile of the user with userID.
func (mv Mentors) ByUser(userID uint64) (Mentor, error) {
	m, err := getByID[Mentor](mv.tx, bktMentors, userID)
	if err != nil {
		return Mentor{}, fmt.Errorf("get mentor %d: %w", userID, err)
	}
	return m, nil
}

// Update applies fn to the mentor profile of userID and stores the
// result, stamping UpdatedAt and reindexing its topics. An error from fn
// aborts the update and is returned wrapped. fn must not call the Store
// (it may call tx).
func (mv Mentors) Update(userID uint64, fn func(*Mentor) error) (Mentor, error) {
	m, err := mv.update(userID, fn)
	if err != nil {
		return Mentor{}, fmt.Errorf("update mentor %d: %w", userID, err)
	}
	return m, nil
}

// update is Update without its error wrapping.
func (mv Mentors) update(userID uint64, fn func(*Mentor) error) (Mentor, error) {
	if err := mv.tx.writable(); err != nil {
		return Mentor{}, err
	}
	m, err := getByID[Mentor](mv.tx, bktMentors, userID)
	if err != nil {
		return Mentor{}, err
	}
	old := m
	old.Topics = slices.Clone(m.Topics)
	if err := fn(&m); err != nil {
		return Mentor{}, err
	}
	m.UserID, m.CreatedAt = old.UserID, old.CreatedAt
	return m, mv.put(old, &m)
}

// All returns every mentor profile, in user id order.
func (mv Mentors) All() ([]Mentor, error) {
	ms, err := getAll[Mentor](mv.tx, bktMentors)
	if err != nil {
		return nil, fmt.Errorf("list mentors: %w", err)
	}
	return ms, nil
}

// IDsByTopic returns the user ids of the mentors who volunteer for the
// topic with topicID, in order, from the index alone: routing orders them
// by their load counts and reads only the profiles it gets to (ByUser),
// so a question's cost does not grow with a topic's mentors.
func (mv Mentors) IDsByTopic(topicID uint64) []uint64 {
	return lookup(mv.tx, bktMentorsByTop, idValue(topicID))
}

// ByTopic returns the mentors who volunteer for the topic with
// topicID, in user id order.
func (mv Mentors) ByTopic(topicID uint64) ([]Mentor, error) {
	ids := lookup(mv.tx, bktMentorsByTop, idValue(topicID))
	// Routing a question reads each mentor's user record and active load
	// right after the list (and the other callers the user record): on a
	// server engine the three reads of every mentor take one round trip.
	mv.tx.prefetch(ids, bktMentors, bktUsers, bktMentorLoad)
	ms, err := getIDs[Mentor](mv.tx, bktMentors, ids)
	if err != nil {
		return nil, fmt.Errorf("list mentors of topic %d: %w", topicID, err)
	}
	return ms, nil
}
