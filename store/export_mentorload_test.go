package store

import (
	"errors"
	"reflect"
	"slices"
)

// MentorLoadSchema is the schema version whose migration builds the mentor
// load counts, wherever it sits in the list.
var MentorLoadSchema = func() int {
	want := reflect.ValueOf(migration(buildMentorLoad)).Pointer()
	for i, m := range migrations {
		if reflect.ValueOf(m).Pointer() == want {
			return i + 1
		}
	}
	return 0
}()

// PutUncountedConsultations stores cs as a release before the mentor load
// counts did: each record (ID, CreatedAt, State and messages filled in as
// Consultations.Create does) and its index entries, no counts. It refuses a
// file that already keeps the counts, so it only makes old files.
func PutUncountedConsultations(s *Store, cs ...Consultation) ([]Consultation, error) {
	var out []Consultation
	err := s.Update(func(tx *Tx) error {
		if tx.tx.Bucket(bktMentorLoad) != nil {
			return errors.New("the file already keeps mentor load counts")
		}
		for _, c := range cs {
			id, err := tx.bucket(bktConsults).NextSequence()
			if err != nil {
				return err
			}
			c.ID, c.CreatedAt = id, tx.Now()
			if c.State == "" {
				c.State = StateOpen
			}
			if err := stamp(&c, tx.Now()); err != nil {
				return err
			}
			// A file this old has no month index either.
			es := slices.DeleteFunc(consultEntries(c), func(e entry) bool { return tx.bucket(e.bucket) == nil })
			if err := reindex(tx, c.ID, nil, es); err != nil {
				return err
			}
			if err := putJSON(tx.bucket(bktConsults), itob(c.ID), c); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}
