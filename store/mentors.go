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

// PutMentor creates or replaces the mentor profile of m.UserID, which must
// be an existing user. It keeps the stored CreatedAt, stamps UpdatedAt and
// files the mentor under each of m.Topics.
func (tx *Tx) PutMentor(m Mentor) (Mentor, error) {
	if err := tx.putMentorProfile(&m); err != nil {
		return Mentor{}, fmt.Errorf("put mentor %d: %w", m.UserID, err)
	}
	return m, nil
}

// putMentorProfile is PutMentor without its error wrapping.
func (tx *Tx) putMentorProfile(m *Mentor) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if _, err := getByID[User](tx, bktUsers, m.UserID); err != nil {
		return fmt.Errorf("user %d: %w", m.UserID, err)
	}
	old, err := getByID[Mentor](tx, bktMentors, m.UserID)
	switch {
	case err == nil:
		m.CreatedAt = old.CreatedAt
	case errors.Is(err, ErrNotFound):
		m.CreatedAt = tx.Now()
	default:
		return err
	}
	return tx.putMentor(old, m)
}

// putMentor stores m, previously old, stamping UpdatedAt and moving its
// index entries.
func (tx *Tx) putMentor(old Mentor, m *Mentor) error {
	m.Topics = uniqueIDs(m.Topics...)
	m.UpdatedAt = tx.Now()
	if err := reindex(tx, m.UserID, mentorEntries(old), mentorEntries(*m)); err != nil {
		return err
	}
	return putJSON(tx.bucket(bktMentors), itob(m.UserID), m)
}

// Mentor returns the mentor profile of the user with userID.
func (tx *Tx) Mentor(userID uint64) (Mentor, error) {
	m, err := getByID[Mentor](tx, bktMentors, userID)
	if err != nil {
		return Mentor{}, fmt.Errorf("get mentor %d: %w", userID, err)
	}
	return m, nil
}

// UpdateMentor applies fn to the mentor profile of userID and stores the
// result, stamping UpdatedAt and reindexing its topics. An error from fn
// aborts the update and is returned wrapped. fn must not call the Store
// (it may call tx).
func (tx *Tx) UpdateMentor(userID uint64, fn func(*Mentor) error) (Mentor, error) {
	m, err := tx.updateMentor(userID, fn)
	if err != nil {
		return Mentor{}, fmt.Errorf("update mentor %d: %w", userID, err)
	}
	return m, nil
}

// updateMentor is UpdateMentor without its error wrapping.
func (tx *Tx) updateMentor(userID uint64, fn func(*Mentor) error) (Mentor, error) {
	if err := tx.writable(); err != nil {
		return Mentor{}, err
	}
	m, err := getByID[Mentor](tx, bktMentors, userID)
	if err != nil {
		return Mentor{}, err
	}
	old := m
	old.Topics = slices.Clone(m.Topics)
	if err := fn(&m); err != nil {
		return Mentor{}, err
	}
	m.UserID, m.CreatedAt = old.UserID, old.CreatedAt
	return m, tx.putMentor(old, &m)
}

// Mentors returns every mentor profile, in user id order.
func (tx *Tx) Mentors() ([]Mentor, error) {
	ms, err := getAll[Mentor](tx, bktMentors)
	if err != nil {
		return nil, fmt.Errorf("list mentors: %w", err)
	}
	return ms, nil
}

// MentorsByTopic returns the mentors who volunteer for the topic with
// topicID, in user id order.
func (tx *Tx) MentorsByTopic(topicID uint64) ([]Mentor, error) {
	ms, err := getIDs[Mentor](tx, bktMentors, lookup(tx, bktMentorsByTop, idValue(topicID)))
	if err != nil {
		return nil, fmt.Errorf("list mentors of topic %d: %w", topicID, err)
	}
	return ms, nil
}
