package store

import (
	"errors"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
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
func (s *Store) PutMentor(m Mentor) (Mentor, error) {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		if _, err := getByID[User](tx, bktUsers, m.UserID); err != nil {
			return fmt.Errorf("user %d: %w", m.UserID, err)
		}
		old, err := getByID[Mentor](tx, bktMentors, m.UserID)
		switch {
		case err == nil:
			m.CreatedAt = old.CreatedAt
		case errors.Is(err, ErrNotFound):
			m.CreatedAt = s.now()
		default:
			return err
		}
		return s.putMentor(tx, old, &m)
	})
	if err != nil {
		return Mentor{}, fmt.Errorf("put mentor %d: %w", m.UserID, err)
	}
	return m, nil
}

// putMentor stores m, previously old, stamping UpdatedAt and moving its
// index entries.
func (s *Store) putMentor(tx *bbolt.Tx, old Mentor, m *Mentor) error {
	m.Topics = uniqueIDs(m.Topics...)
	m.UpdatedAt = s.now()
	if err := reindex(tx, m.UserID, mentorEntries(old), mentorEntries(*m)); err != nil {
		return err
	}
	return putJSON(bucket(tx, bktMentors), itob(m.UserID), m)
}

// Mentor returns the mentor profile of the user with userID.
func (s *Store) Mentor(userID uint64) (Mentor, error) {
	var m Mentor
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		m, err = getByID[Mentor](tx, bktMentors, userID)
		return err
	})
	if err != nil {
		return Mentor{}, fmt.Errorf("get mentor %d: %w", userID, err)
	}
	return m, nil
}

// UpdateMentor applies fn to the mentor profile of userID and stores the
// result, stamping UpdatedAt and reindexing its topics. An error from fn
// aborts the update and is returned wrapped. fn runs inside the write
// transaction and must not call the Store.
func (s *Store) UpdateMentor(userID uint64, fn func(*Mentor) error) (Mentor, error) {
	var m Mentor
	err := s.db.Update(func(tx *bbolt.Tx) (err error) {
		if m, err = getByID[Mentor](tx, bktMentors, userID); err != nil {
			return err
		}
		old := m
		old.Topics = slices.Clone(m.Topics)
		if err := fn(&m); err != nil {
			return err
		}
		m.UserID, m.CreatedAt = old.UserID, old.CreatedAt
		return s.putMentor(tx, old, &m)
	})
	if err != nil {
		return Mentor{}, fmt.Errorf("update mentor %d: %w", userID, err)
	}
	return m, nil
}

// Mentors returns every mentor profile, in user id order.
func (s *Store) Mentors() ([]Mentor, error) {
	var ms []Mentor
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		ms, err = getAll[Mentor](tx, bktMentors)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list mentors: %w", err)
	}
	return ms, nil
}

// MentorsByTopic returns the mentors who volunteer for the topic with
// topicID, in user id order.
func (s *Store) MentorsByTopic(topicID uint64) ([]Mentor, error) {
	var ms []Mentor
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		ms, err = getIDs[Mentor](tx, bktMentors, lookup(tx, bktMentorsByTop, idValue(topicID)))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list mentors of topic %d: %w", topicID, err)
	}
	return ms, nil
}
