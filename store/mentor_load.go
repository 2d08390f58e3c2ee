package store

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/soudan/soudan/store/kv"
)

// bktMentorLoad holds each mentor's active load: key itob(mentor user id),
// value itob(count of active consultations the mentor was routed to or
// took). Mentors with none have no key. putConsult keeps it in the same
// transaction as the consultations, so reading a load never decodes them.
const bktMentorLoad = "consultations.load_by_mentor"

// loadedMentors are the mentors whose active load c counts towards: while
// c is active (open or answered), every mentor routed to it or taking it,
// each once.
func loadedMentors(c Consultation) []uint64 {
	if !c.State.Active() {
		return nil
	}
	return uniqueIDs(append(slices.Clone(c.Routed), c.TakenBy)...)
}

// moveLoad takes one off the load of every mentor in old and adds one to
// every mentor in new; a mentor in both keeps their count untouched.
func moveLoad(tx *Tx, old, new []uint64) error {
	b := tx.bucket(bktMentorLoad)
	for _, id := range old {
		if !slices.Contains(new, id) {
			if err := addLoad(b, id, -1); err != nil {
				return err
			}
		}
	}
	for _, id := range new {
		if !slices.Contains(old, id) {
			if err := addLoad(b, id, +1); err != nil {
				return err
			}
		}
	}
	return nil
}

// addLoad adds delta to the active load of mentor, deleting the key when
// it reaches zero. A count that would drop below zero means the bucket
// disagrees with the consultations, and fails rather than hiding it.
func addLoad(b kv.Bucket, mentor uint64, delta int) error {
	k := itob(mentor)
	n, err := loadValue(b.Get(k))
	if err != nil {
		return fmt.Errorf("active load of mentor %d: %w", mentor, err)
	}
	n += int64(delta)
	switch {
	case n < 0:
		return fmt.Errorf("active load of mentor %d would drop below zero: the load counts disagree with the consultations", mentor)
	case n == 0:
		return b.Delete(k)
	default:
		return b.Put(k, itob(uint64(n)))
	}
}

// loadValue decodes a stored count; a missing one is zero.
func loadValue(v []byte) (int64, error) {
	switch len(v) {
	case 0:
		return 0, nil
	case 8:
		return int64(btoi(v)), nil
	}
	return 0, fmt.Errorf("bad count of %d bytes", len(v))
}

// ActiveLoad returns, per mentor user id, how many active (open or
// answered) consultations the mentor was routed to or took. Mentors with
// none are absent. It reads the maintained counts: its cost grows with the
// number of mentors with load, not with the consultations stored.
func (mv Mentors) ActiveLoad() (map[uint64]int, error) {
	load := map[uint64]int{}
	err := mv.tx.bucket(bktMentorLoad).ForEach(func(k, v []byte) error {
		if len(k) != 8 {
			return fmt.Errorf("bad mentor key %x", k)
		}
		n, err := loadValue(v)
		if err != nil {
			return fmt.Errorf("mentor %d: %w", btoi(k), err)
		}
		load[btoi(k)] = int(n)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("active load: %w", err)
	}
	return load, nil
}

// Load is ActiveLoad for the mentors with the given user ids only,
// which is what routing needs: it reads one count per id. Mentors with no
// active consultation are absent, as in ActiveLoad.
func (mv Mentors) Load(ids ...uint64) (map[uint64]int, error) {
	b := mv.tx.bucket(bktMentorLoad)
	load := make(map[uint64]int, len(ids))
	for _, id := range ids {
		n, err := loadValue(b.Get(itob(id)))
		if err != nil {
			return nil, fmt.Errorf("load of mentor %d: %w", id, err)
		}
		if n > 0 {
			load[id] = int(n)
		}
	}
	return load, nil
}

// buildMentorLoad is the migration that creates the mentor load bucket and
// counts the consultations already stored into it, for files written
// before the counts were kept.
func buildMentorLoad(btx kv.Tx) error {
	if btx.Bucket(bktMentorLoad) != nil {
		if err := btx.DeleteBucket(bktMentorLoad); err != nil {
			return fmt.Errorf("drop bucket %s: %w", bktMentorLoad, err)
		}
	}
	if _, err := btx.CreateBucket(bktMentorLoad); err != nil {
		return fmt.Errorf("create bucket %s: %w", bktMentorLoad, err)
	}
	// Each record's own state decides, as in putConsult, not the state index.
	tx := &Tx{tx: btx}
	return tx.bucket(bktConsults).ForEach(func(k, data []byte) error {
		var c Consultation
		if err := json.Unmarshal(data, &c); err != nil {
			return fmt.Errorf("count load of consultation %d: %w", btoi(k), err)
		}
		if err := moveLoad(tx, nil, loadedMentors(c)); err != nil {
			return fmt.Errorf("count load of consultation %d: %w", btoi(k), err)
		}
		return nil
	})
}
