package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// Buckets of retention (schema version 15).
const (
	// bktConsByClosed files finished (resolved or closed) consultations
	// by when they finished: closedStamp(ClosedAt) 0x00 itob(id). The
	// retention purge walks it from the oldest, so a purge reads only what
	// it removes.
	bktConsByClosed = "consultations.by_closed"
	// bktPurged keeps what purged consultations counted for, per month of
	// their creation ("2026-05", UTC): the aggregates survive the records.
	bktPurged = "retention.purged"
)

// closedLayout is the fixed-width, sortable form of a finish time in the
// closed index.
const closedLayout = "20060102150405.000000000"

// closedStamp is the closed index value of t.
func closedStamp(t time.Time) string { return t.UTC().Format(closedLayout) }

// closedEntries is c's entry in the closed index: one while it is finished
// and has a finish time, none otherwise.
func closedEntries(c Consultation) []entry {
	if c.State.Active() || c.ClosedAt.IsZero() {
		return nil
	}
	return []entry{{bktConsByClosed, closedStamp(c.ClosedAt)}}
}

// createRetentionBuckets is the migration that creates the closed index,
// filing the finished consultations already stored, and the bucket of
// purged aggregates.
func createRetentionBuckets(btx kv.Tx) error {
	for _, name := range []string{bktConsByClosed, bktPurged} {
		if _, err := btx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	tx := &Tx{tx: btx}
	return tx.bucket(bktConsults).ForEach(func(k, data []byte) error {
		var c Consultation
		if err := json.Unmarshal(data, &c); err != nil {
			return fmt.Errorf("index consultation %d: %w", btoi(k), err)
		}
		return reindex(tx, c.ID, nil, closedEntries(c))
	})
}

// PurgedMonth is what the consultations created in one month and later
// purged counted for. Counts are of consultations; ratings of the rated
// ones.
type PurgedMonth struct {
	Month         string         `json:"month"` // "2026-05", of CreatedAt in UTC
	Consultations int            `json:"consultations"`
	Answered      int            `json:"answered"` // had a first answer
	Resolved      int            `json:"resolved"`
	Closed        int            `json:"closed"`
	Anonymous     int            `json:"anonymous"`
	Rated         int            `json:"rated"`
	RatingSum     int            `json:"rating_sum"`
	Rated8Plus    int            `json:"rated_8_plus"`
	ByTopic       map[uint64]int `json:"by_topic,omitempty"`
}

// count adds c to the month's aggregates.
func (p *PurgedMonth) count(c Consultation) {
	p.Consultations++
	if !c.AnsweredAt.IsZero() {
		p.Answered++
	}
	switch c.State {
	case StateResolved:
		p.Resolved++
	case StateClosed:
		p.Closed++
	}
	if c.Anonymous {
		p.Anonymous++
	}
	if c.Rating != nil {
		p.Rated++
		p.RatingSum += *c.Rating
		if *c.Rating >= 8 {
			p.Rated8Plus++
		}
	}
	if p.ByTopic == nil {
		p.ByTopic = map[uint64]int{}
	}
	p.ByTopic[c.TopicID]++
}

// PurgeConsultations removes up to limit finished (resolved or closed)
// consultations that finished before before, oldest first, with their
// index entries, and adds what they counted for to the purged aggregates
// (PurgedCounts). It returns how many it removed and whether more wait;
// a caller purges in bounded transactions by calling it again in a new one
// until more is false. Running it again finds nothing left to remove.
func (tx *Tx) PurgeConsultations(before time.Time, limit int) (n int, more bool, err error) {
	if err := tx.writable(); err != nil {
		return 0, false, fmt.Errorf("purge consultations: %w", err)
	}
	if limit <= 0 {
		return 0, false, fmt.Errorf("purge consultations: limit %d; want at least 1", limit)
	}
	ids, more := tx.finishedBefore(before, limit)
	months := map[string]*PurgedMonth{}
	for _, id := range ids {
		c, err := getByID[Consultation](tx, bktConsults, id)
		if err != nil {
			return n, false, fmt.Errorf("purge consultation %d: %w", id, err)
		}
		if err := tx.deleteConsult(c); err != nil {
			return n, false, fmt.Errorf("purge consultation %d: %w", id, err)
		}
		key := c.CreatedAt.UTC().Format("2006-01")
		if months[key] == nil {
			if months[key], err = tx.purgedMonth(key); err != nil {
				return n, false, fmt.Errorf("purge consultations: %w", err)
			}
		}
		months[key].count(c)
		n++
	}
	for key, p := range months {
		if err := putJSON(tx.bucket(bktPurged), []byte(key), p); err != nil {
			return n, false, fmt.Errorf("purge consultations: aggregates of %s: %w", key, err)
		}
	}
	return n, more, nil
}

// finishedBefore returns up to limit ids from the closed index that
// finished before t, oldest first, and whether more follow.
func (tx *Tx) finishedBefore(t time.Time, limit int) ([]uint64, bool) {
	end := []byte(closedStamp(t))
	var ids []uint64
	c := tx.bucket(bktConsByClosed).Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k, end) < 0; k, _ = c.Next() {
		if len(ids) == limit {
			return ids, true
		}
		if len(k) > 8 {
			ids = append(ids, btoi(k[len(k)-8:]))
		}
	}
	return ids, false
}

// deleteConsult removes c's record and its whole trail: index entries and
// any mentor load it still counts towards.
func (tx *Tx) deleteConsult(c Consultation) error {
	old := trailOf(c)
	if err := reindex(tx, c.ID, old.entries, nil); err != nil {
		return err
	}
	if err := moveLoad(tx, old.loaded, nil); err != nil {
		return err
	}
	return tx.bucket(bktConsults).Delete(itob(c.ID))
}

// purgedMonth returns the stored aggregates of month, or new ones.
func (tx *Tx) purgedMonth(month string) (*PurgedMonth, error) {
	p := &PurgedMonth{Month: month}
	raw := tx.bucket(bktPurged).Get([]byte(month))
	if raw == nil {
		return p, nil
	}
	if err := json.Unmarshal(raw, p); err != nil {
		return nil, fmt.Errorf("aggregates of %s: %w", month, err)
	}
	return p, nil
}

// PurgedCounts returns the aggregates of every month some purged
// consultation was created in, oldest month first.
func (tx *Tx) PurgedCounts() ([]PurgedMonth, error) {
	ps, err := getAll[PurgedMonth](tx, bktPurged)
	if err != nil {
		return nil, fmt.Errorf("purged counts: %w", err)
	}
	return ps, nil
}

// PurgedIn returns the aggregates of the purged consultations created in
// month ("2006-01", UTC); found is false when none was purged.
func (tx *Tx) PurgedIn(month string) (p PurgedMonth, found bool, err error) {
	if tx.bucket(bktPurged).Get([]byte(month)) == nil {
		return PurgedMonth{}, false, nil
	}
	pm, err := tx.purgedMonth(month)
	if err != nil {
		return PurgedMonth{}, false, err
	}
	return *pm, true, nil
}
